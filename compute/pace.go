package compute

import "time"

// pacer lets a long computation pause: every paceEvery elements of work
// it looks at the clock, and once every has passed since the last pause it
// calls yield, so that a caller on the browser's one thread can let the
// page run in between (CalculateDTypeYield). A pause costs the page a
// task switch, about 4 ms, hence a pause per slice of time rather than
// of work. A nil *pacer never pauses.
type pacer struct {
	yield func()
	every time.Duration
	last  time.Time
	n     int // elements since the clock was last read
}

// paceEvery is the work between two looks at the clock: well under a
// millisecond of wasm.
const paceEvery = 1 << 14

// tick counts k elements of work done, and pauses if it is time.
func (pc *pacer) tick(k int) {
	if pc == nil {
		return
	}
	if pc.n += k; pc.n < paceEvery {
		return
	}
	pc.n = 0
	if time.Since(pc.last) >= pc.every {
		pc.yield()
		pc.last = time.Now()
	}
}

// paceChunk is how many elements an elementwise loop does between two
// ticks.
const paceChunk = 4096
