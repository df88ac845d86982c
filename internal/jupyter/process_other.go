//go:build !unix

package jupyter

import (
	"errors"
	"os/exec"
)

func setProcessGroup(cmd *exec.Cmd) {}

func killProcessGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

func interruptProcessGroup(cmd *exec.Cmd) error {
	return errors.New("interrupt by signal is not supported on this platform")
}
