// Package wake is the one way liveplot's loops are woken: a channel of capacity 1 that holds at
// most one pending wake-up, so that a sender never blocks and a loop never misses work.
package wake

// Signal wakes the loop that receives from c, or does nothing when a wake-up is already pending.
// c must have a capacity of 1.
func Signal(c chan<- struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
