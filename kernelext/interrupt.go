package kernelext

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/liveplot/liveplot/internal/gonbenv"
)

// interruptGrace bounds the work done when a cell is interrupted: GoNB kills the cell's program
// 5 seconds after it interrupts it.
const interruptGrace = 4 * time.Second

var interrupts = struct {
	sync.Mutex
	installed bool
	next      int
	handlers  map[int]func(context.Context)
}{handlers: map[int]func(context.Context){}}

// AtInterrupt registers fn to run when the notebook interrupts the running GoNB cell (the stop
// button: GoNB sends SIGINT, then kills the program 5 seconds later). When that happens, every
// registered function runs, with a context that ends before the kill, then whatever was
// displayed or sent is flushed to the kernel and the program exits with status 0: the cell ends
// cleanly, with what it wrote delivered. Call the returned function to unregister fn.
//
// Outside GoNB it does nothing: a plain program keeps Go's default handling of Ctrl-C.
func AtInterrupt(fn func(ctx context.Context)) (remove func()) {
	if !gonbenv.InCell() {
		return func() {}
	}
	interrupts.Lock()
	defer interrupts.Unlock()
	id := interrupts.next
	interrupts.next++
	interrupts.handlers[id] = fn
	if !interrupts.installed {
		interrupts.installed = true
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, os.Interrupt)
		go func() {
			<-signals
			runInterruptHandlers()
			os.Exit(0)
		}()
	}
	return func() {
		interrupts.Lock()
		defer interrupts.Unlock()
		delete(interrupts.handlers, id)
	}
}

// runInterruptHandlers runs the registered functions side by side within interruptGrace, then
// waits for the kernel to have published what the program sent.
func runInterruptHandlers() {
	ctx, cancel := context.WithTimeout(context.Background(), interruptGrace)
	defer cancel()
	interrupts.Lock()
	handlers := make([]func(context.Context), 0, len(interrupts.handlers))
	for _, fn := range interrupts.handlers {
		handlers = append(handlers, fn)
	}
	interrupts.Unlock()
	var wg sync.WaitGroup
	for _, fn := range handlers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(ctx)
		}()
	}
	wg.Wait()
	gonbui.Sync()
}
