// Package gonbenv is what GoNB's environment tells a program that runs as a notebook cell, and
// what liveplot run tells the kernel through it: whether the program is a cell, where the cells
// of one kernel session keep state, and whether a page shows the outputs. kernelext, the
// figure registry and liveplot run read it alike.
package gonbenv

import (
	"os"
	"path/filepath"
)

// CommsVar overrides whether a GoNB cell uses comm messages: "on" or "off" (then figures still
// move by display updates), or "none": no page shows this kernel's outputs, so neither comm
// messages nor display updates are sent (NoPage).
const CommsVar = "LIVEPLOT_GONB_COMMS"

// NoPage, in a GoNB kernel's environment, says that no page shows the kernel's outputs while its
// cells run (a batch run such as liveplot run): streams then send neither comm messages nor
// display updates, and the outputs end in their final state.
const NoPage = CommsVar + "=none"

// InCell reports whether this program runs as a GoNB notebook cell.
func InCell() bool { return os.Getenv("GONB_PIPE") != "" }

// StateDir returns a directory that the processes of one kernel session share, or "" when
// there is none (a plain program keeps its state in memory). Inside GoNB, where every cell is a
// new process, it is a directory under the session's GONB_TMP_DIR: what one cell shows, a later
// cell can find there.
func StateDir() string {
	if !InCell() {
		return ""
	}
	tmp := os.Getenv("GONB_TMP_DIR")
	if tmp == "" {
		return ""
	}
	return filepath.Join(tmp, "liveplot")
}
