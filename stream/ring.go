package stream

// ring holds the newest values of one array: at most max of them (max 0: all). Its backing array
// grows as values come, never beyond max, so a window's memory is what its values need.
type ring[T any] struct {
	buf  []T
	head int // index of the oldest value; not 0 only when the ring is full
	max  int // 0: unbounded
}

func (r *ring[T]) len() int { return len(r.buf) }

// at returns the i-th value, oldest first.
func (r *ring[T]) at(i int) T {
	j := r.head + i
	if j >= len(r.buf) {
		j -= len(r.buf)
	}
	return r.buf[j]
}

// push appends v, dropping the oldest value when the ring is full.
func (r *ring[T]) push(v T) {
	if r.max == 0 || len(r.buf) < r.max {
		if r.max > 0 && len(r.buf) == cap(r.buf) {
			grown := make([]T, len(r.buf), min(r.max, max(16, 2*cap(r.buf))))
			copy(grown, r.buf)
			r.buf = grown
		}
		r.buf = append(r.buf, v)
		return
	}
	r.buf[r.head] = v
	r.head++
	if r.head == len(r.buf) {
		r.head = 0
	}
}

// reset empties the ring, keeping its backing array.
func (r *ring[T]) reset() {
	clear(r.buf)
	r.buf = r.buf[:0]
	r.head = 0
}
