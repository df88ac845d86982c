package stream

import (
	"math"
	"time"
)

// zoneCache remembers a location's UTC offset over the zone period (between two DST changes)
// that holds the last time asked about, so that formatting a column of times looks the zone up
// once, not once per value.
type zoneCache struct {
	loc        *time.Location
	valid      bool
	start, end int64 // Unix seconds; the period is [start, end)
	offset     int64 // seconds east of UTC
}

func (z *zoneCache) offsetAt(sec int64) int64 {
	if z.valid && sec >= z.start && sec < z.end {
		return z.offset
	}
	t := time.Unix(sec, 0).In(z.loc)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	z.start, z.end = math.MinInt64, math.MaxInt64
	if !start.IsZero() {
		z.start = start.Unix()
	}
	if !end.IsZero() {
		z.end = end.Unix()
	}
	z.offset, z.valid = int64(off), true
	return z.offset
}

// appendUnixNano appends the time ns (Unix nanoseconds) in z's location as a plotly date string,
// quoted: the fast path of time columns.
func appendUnixNano(b []byte, ns int64, z *zoneCache) []byte {
	sec := floorDiv(ns, 1e9)
	frac := ns - sec*1e9
	local := sec + z.offsetAt(sec)
	days := floorDiv(local, 86400)
	secOfDay := local - days*86400
	year, month, day := civilDate(days)
	if year < 0 || year > 9999 {
		return appendTime(b, time.Unix(0, ns).In(z.loc))
	}
	b = append(b, '"')
	b = appendDate(b, int(year), int(month), int(day), int(secOfDay/3600), int(secOfDay/60%60), int(secOfDay%60), int(frac))
	return append(b, '"')
}

// civilDate converts days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
// civil_from_days).
func civilDate(days int64) (year, month, day int64) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	month = mp + 3
	if mp >= 10 {
		month = mp - 9
	}
	year = yoe + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// appendDate appends "2006-01-02 15:04:05.999999" (fraction to microseconds, trailing zeros
// trimmed) for a year of four digits.
func appendDate(b []byte, year, month, day, hour, minute, sec, nanos int) []byte {
	b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-')
	b = append(b, byte('0'+month/10), byte('0'+month%10), '-', byte('0'+day/10), byte('0'+day%10), ' ')
	b = append(b, byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':')
	b = append(b, byte('0'+sec/10), byte('0'+sec%10))
	us := nanos / 1000
	if us == 0 {
		return b
	}
	var digits [7]byte
	digits[0] = '.'
	for i := 6; i >= 1; i-- {
		digits[i] = byte('0' + us%10)
		us /= 10
	}
	n := 7
	for digits[n-1] == '0' {
		n--
	}
	return append(b, digits[:n]...)
}
