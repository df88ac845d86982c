package stream

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestAppendStringRoundTrips(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote\back`, "tab\tnl\ncr\r\x00\x1f", "<script>&", "héllo 世界", "\u2028\u2029", "bad\xffutf8"} {
		raw := appendString(nil, s)
		var got string
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("%q encodes to invalid JSON %s: %v", s, raw, err)
		}
		want := s
		if s == "bad\xffutf8" {
			want = "bad\ufffdutf8"
		}
		if got != want {
			t.Errorf("%q encodes to %s, which decodes to %q", s, raw, got)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	for f, want := range map[float64]string{0: "0", -1.5: "-1.5", 1e6: "1000000", 1e21: "1e+21", 1e-7: "1e-07",
		math.NaN(): "null", math.Inf(1): "null", math.Inf(-1): "null", 0.1: "0.1"} {
		if got := string(appendFloat(nil, f)); got != want {
			t.Errorf("appendFloat(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestAppendPlotlyDateMatchesTheLayout(t *testing.T) {
	zone := time.FixedZone("X", -5*3600-30*60)
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		tm := time.Unix(r.Int64N(4e9), r.Int64N(1e9)).In(zone)
		if r.IntN(4) == 0 {
			tm = tm.Truncate(time.Second)
		}
		if got, want := string(appendPlotlyDate(nil, tm)), tm.Format("2006-01-02 15:04:05.999999"); got != want {
			t.Fatalf("appendPlotlyDate(%v) = %s, want %s", tm, got, want)
		}
	}
}

func TestColumnsFallBackToGenericStorage(t *testing.T) {
	c := newColumn(3)
	c.pushFloat(1)
	c.push(scalar{kind: kindString, s: "a"})
	c.push(scalar{kind: kindBool, b: true})
	c.pushFloat(math.Inf(1))
	if got := string(c.appendJSON(nil, 0)); got != `["a",true,null]` {
		t.Fatalf("column holds %s, want the newest 3 values", got)
	}
}

func TestTimeColumnsEncodeLikeTheLayout(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("X", -5*3600-30*60)}
	if ny, err := time.LoadLocation("America/New_York"); err == nil { // DST changes
		zones = append(zones, ny)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, loc := range zones {
		z := zoneCache{loc: loc}
		for range 20000 {
			tm := time.Unix(r.Int64N(8e9)-2e9, r.Int64N(1e9)).In(loc)
			want := `"` + tm.Format("2006-01-02 15:04:05.999999") + `"`
			if got := string(appendUnixNano(nil, tm.UnixNano(), &z)); got != want {
				t.Fatalf("appendUnixNano(%v) = %s, want %s", tm, got, want)
			}
		}
	}
}
