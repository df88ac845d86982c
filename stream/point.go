package stream

// Point is one point of a trace. Nil fields are not written; a number, string, bool or
// time.Time appends one value to its array, a slice overwrites the array.
type Point struct {
	X, Y, Z any
	Text    any // "text"
	Color   any // "marker.color"
}
