package jupytext

import (
	"fmt"
	"strings"
)

// MaxInputSize is the largest notebook the readers accept, in bytes. Larger
// input is refused with an error rather than read into memory.
const MaxInputSize = 64 << 20

// checkSize refuses input over MaxInputSize, naming the line at which the
// limit is crossed.
func checkSize(data []byte, file string) error {
	if len(data) <= MaxInputSize {
		return nil
	}
	line := strings.Count(string(data[:MaxInputSize]), "\n") + 1
	return &Error{File: file, Line: line, Msg: fmt.Sprintf("the file is larger than %d MiB (the limit is crossed at this line); split the notebook or strip its outputs", MaxInputSize>>20)}
}
