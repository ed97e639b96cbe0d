package compute

import (
	"errors"
	"time"
)

// ErrCanceled is the error of a computation whose yield asked it to stop
// (CalculateDTypeYield).
var ErrCanceled = errors.New("compute: canceled")

// pacer lets a long computation pause: every paceEvery elements of work
// it looks at the clock, and once every has passed since the last pause it
// calls yield, so that a caller on the browser's one thread can let the
// page run in between (CalculateDTypeYield). A pause costs the page a
// task switch, about 4 ms, hence a pause per slice of time rather than
// of work. A nil *pacer never pauses.
//
// While cancel is set, a yield that returns false stops the computation:
// tick panics with errStop, which CalculateDTypeYield recovers and
// returns as ErrCanceled. Threading a stop through every loop and helper
// would cost each of them an error result for one caller's sake.
type pacer struct {
	yield  func() bool
	every  time.Duration
	last   time.Time
	n      int  // elements since the clock was last read
	cancel bool // a false yield stops the computation
}

// stop is the value tick panics with to stop a computation.
type stop struct{}

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
		more := pc.yield()
		pc.last = time.Now()
		if !more && pc.cancel {
			panic(stop{})
		}
	}
}

// catchStop turns the panic of a stopped computation into ErrCanceled in
// *err; any other panic goes on. It must be deferred.
func catchStop(err *error) {
	if r := recover(); r != nil {
		if _, ok := r.(stop); !ok {
			panic(r)
		}
		*err = ErrCanceled
	}
}

// paceChunk is how many elements an elementwise loop does between two
// ticks.
const paceChunk = 4096
