package tensorfile

import (
	"encoding/binary"
	"errors"
	"time"
)

// ErrCanceled is returned, as it is and not in an [Error], by a
// [ReadYield] whose yield asked it to stop: it says nothing of the file.
var ErrCanceled = errors.New("tensorfile: canceled")

// ReadYield is Read, calling yield, unless nil, once every has passed
// since the start or the last call, at the next of the points it checks
// (every 65 536 values decoded, every megabyte inflated), so that a caller
// on the browser's one thread can let the page run in between: a 64 MB
// file took about 230 ms of wasm to decode at once. The result is Read's,
// unless a call of yield returns false: reading then stops there and
// returns ErrCanceled.
func ReadYield(data []byte, lim Limits, yield func() bool, every time.Duration) (File, error) {
	if yield != nil {
		lim.pace = &pacer{yield: yield, every: every, last: time.Now()}
	}
	return Read(data, lim)
}

// pacer is ReadYield's: it calls yield once every has passed since last.
// A nil *pacer never pauses.
type pacer struct {
	yield func() bool
	every time.Duration
	last  time.Time
}

// paceValues is how many values are decoded between two looks at the
// clock: well under a millisecond of wasm.
const paceValues = 1 << 16

// tick pauses if it is time, and reports ErrCanceled if yield said stop.
func (pc *pacer) tick() error {
	if pc == nil || time.Since(pc.last) < pc.every {
		return nil
	}
	more := pc.yield()
	pc.last = time.Now()
	if !more {
		return ErrCanceled
	}
	return nil
}

// decode is the package's decode in slices of paceValues, with a tick
// after each.
func (pc *pacer) decode(dst []float64, src []byte, dt DType, bo binary.ByteOrder, tensor string, base int64) error {
	if pc == nil {
		return decode(dst, src, dt, bo, tensor, base)
	}
	size := dt.Size()
	for i := 0; i < len(dst); i += paceValues {
		j := min(i+paceValues, len(dst))
		if err := decode(dst[i:j], src[i*size:j*size], dt, bo, tensor, base+int64(i*size)); err != nil {
			return err
		}
		if err := pc.tick(); err != nil {
			return err
		}
	}
	return nil
}
