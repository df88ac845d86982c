package stream

import (
	"strconv"
	"time"

	"github.com/liveplot/liveplot/internal/wake"
)

// run is the frame loop: it sends what was written, at most cfg.frameRate frames a second, or at
// once when more than cfg.bufferBound values are pending. Writers never wait for it: while a
// send is slow, writes gather in the window, and the next frame carries the newest of them.
func (l *Link) run() {
	defer close(l.done)
	interval := time.Duration(float64(time.Second) / l.cfg.frameRate)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	last := time.Now() // the first frame, too, gathers an interval of writes
	ctxDone := l.cfg.ctx.Done()
	endContext := func() { // close as Close does; the loop then sees stop
		ctxDone = nil
		go l.contextDone()
	}
	for {
		select {
		case <-l.wake:
		case <-ctxDone:
			endContext()
			continue
		case <-l.stop:
			l.flush(true)
			return
		}
		if wait := interval - time.Since(last); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-l.urgent:
				timer.Stop()
			case <-ctxDone:
				timer.Stop()
				endContext()
			case <-l.stop:
				timer.Stop()
				l.flush(true)
				return
			}
		}
		last = time.Now()
		l.flush(false)
	}
}

// flush cuts a frame of what is pending and sends it, after any frames cut before.
func (l *Link) flush(closing bool) {
	select {
	case <-l.urgent: // this frame answers it
	default:
	}
	l.mu.Lock()
	if frame := l.cutLocked(closing); frame != nil {
		l.outbox = append(l.outbox, frame)
	}
	frames := l.outbox
	l.outbox = nil
	l.mu.Unlock()
	for _, frame := range frames {
		err := l.channel.Send(frame)
		l.mu.Lock()
		if err != nil && l.sendErr == nil {
			l.sendErr = err
		}
		l.mu.Unlock()
	}
}

// cutLocked encodes what is pending as the next frame and marks it sent; nil when nothing is
// pending. The frame's arrays are the newest values of the window: the values written since the
// last frame that the window still holds.
func (l *Link) cutLocked(closing bool) []byte {
	p := &l.pending
	if !p.any && !p.heartbeat && !closing {
		p.wakeSent, p.urgeSent = false, false
		return nil
	}
	l.stats.Frames++
	b := l.frameHeadLocked(false)
	sentPoints := 0
	b = l.appendArraysLocked(b, "replace", func(a *array) (int, bool) {
		return 0, a.replaced
	}, &sentPoints)
	b = l.appendArraysLocked(b, "extend", func(a *array) (int, bool) {
		n := a.col.len()
		return n - min(a.appended, n), !a.replaced && a.appended > 0
	}, &sentPoints)
	if l.maxPoints > 0 && sentPoints > 0 {
		b = append(b, `,"maxpoints":`...)
		b = strconv.AppendInt(b, int64(l.maxPoints), 10)
	}
	if l.relayout.pending {
		b = append(b, `,"relayout":`...)
		b = l.relayout.appendJSON(b, true)
		l.relayout.markSent()
	}
	if closing {
		b = append(b, `,"closed":true`...)
	}
	b = append(b, '}')
	l.frameSize = len(b)

	sent := min(sentPoints, p.points)
	l.stats.Sent += int64(sent)
	l.stats.Coalesced += int64(p.points - sent)
	for _, a := range l.window {
		a.replaced, a.appended = false, 0
	}
	*p = pendingState{}
	return b
}

// frameHeadLocked starts a frame: link, seq (a new one unless snapshot) and reset. The frame's
// buffer is its own (a Channel may keep it), sized like the last frame up to 64 KiB: a frame
// that carried a whole big window must not make every later frame (the closing one, often
// empty) allocate as much.
func (l *Link) frameHeadLocked(snapshot bool) []byte {
	b := make([]byte, 0, min(l.frameSize+l.frameSize/8+64, 64<<10))
	b = append(b, `{"link":`...)
	b = appendString(b, l.id)
	b = append(b, `,"seq":`...)
	if !snapshot {
		l.seq++
	}
	b = strconv.AppendInt(b, l.seq, 10)
	if snapshot {
		b = append(b, `,"reset":true`...)
	}
	return b
}

// appendArraysLocked appends `,"key":{path: array, ...}` for the arrays that pick selects, each
// from the index pick returns; nothing when it selects none. *points becomes the longest array
// sent.
func (l *Link) appendArraysLocked(b []byte, key string, pick func(*array) (from int, ok bool), points *int) []byte {
	opened := false
	for _, path := range l.paths {
		a := l.window[path]
		from, ok := pick(a)
		if !ok {
			continue
		}
		if !opened {
			b = append(b, ',', '"')
			b = append(b, key...)
			b = append(b, `":{`...)
			opened = true
		} else {
			b = append(b, ',')
		}
		b = appendString(b, path)
		b = append(b, ':')
		b = a.col.appendJSON(b, from)
		*points = max(*points, a.col.len()-from)
	}
	if opened {
		b = append(b, '}')
	}
	return b
}

// snapshot returns the frame that brings a late viewer up to date: the whole window and every
// layout update, with reset. What is pending is cut into a frame first (sent by the frame loop),
// so that the snapshot has that frame's seq and a viewer that applied the snapshot drops it.
func (l *Link) snapshot() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending.any {
		l.outbox = append(l.outbox, l.cutLocked(false))
		wake.Signal(l.wake)
	}
	b := l.frameHeadLocked(true)
	var points int
	b = l.appendArraysLocked(b, "replace", func(*array) (int, bool) { return 0, true }, &points)
	if l.maxPoints > 0 {
		b = append(b, `,"maxpoints":`...)
		b = strconv.AppendInt(b, int64(l.maxPoints), 10)
	}
	if len(l.relayout.entries) > 0 {
		b = append(b, `,"relayout":`...)
		b = l.relayout.appendJSON(b, false)
	}
	if l.closed {
		b = append(b, `,"closed":true`...)
	}
	return append(b, '}')
}
