package app

import (
	"runtime"
	"runtime/debug"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// renderNow draws the pending updates at once. go-app v9.8.0 draws them
// at its next frame tick, which after a pause in typing is 8.3 ms away
// (engineUpdateRate = 120, reset on the first dispatch), so an edit could
// never show its result within one 16.7 ms frame. Its engine drains its
// queue and draws a frame in Consume, an exported method that the tests'
// dispatcher exposes; the same method of the browser's engine is used here
// (docs/goapp.md §3). Consume first waits for every ctx.Async goroutine,
// so the app schedules its own timers with later, never with ctx.After.
func renderNow(ctx app.Context) {
	if !app.IsClient {
		return
	}
	if d, ok := ctx.Dispatcher().(interface{ Consume() }); ok {
		d.Consume()
	}
}

// yieldToBrowser returns once the browser has run a task of its own. A Go
// timer is not enough: on js/wasm the runtime returns to JavaScript only
// when no goroutine can run, and go-app's frame ticker and a due timer
// kept a large link's steps in one 554 ms task. A JavaScript timeout
// callback can only run in a task of its own.
func yieldToBrowser() {
	if !app.IsClient {
		runtime.Gosched()
		return
	}
	done := make(chan struct{})
	var f app.Func
	f = app.FuncOf(func(app.Value, []app.Value) any {
		defer recoverLog()
		f.Release()
		close(done)
		return nil
	})
	app.Window().Call("setTimeout", f, 0)
	<-done
}

// later runs fn on the UI goroutine after d, as ctx.After does, but on a
// goroutine of its own that renderNow does not wait for.
func later(ctx app.Context, d time.Duration, fn func(app.Context)) {
	go func() {
		defer recoverTo(ctx)
		time.Sleep(d)
		ctx.Dispatch(func(ctx app.Context) {
			defer recoverTo(ctx)
			fn(ctx)
		})
	}()
}

// Go's collector marks on the page's one thread, inside the event
// (wasm/main.go), so a small state's edits run at GOGC=400: at the default
// 100 a collection came every edit or two at 1 000 values and doubled its
// time. A large state's values are pointer-free and cost the marking
// little, but at 400 its heap may grow to five times what is live, and
// WebAssembly memory never shrinks: a dropped file of 2 × 1 024 000 values
// left the tab at 299–327 MB (resident 422–464 MB), and with this at
// 255 MB (resident 361–408 MB), as fast (cmd/klbench row 7, side by side).
const (
	gcSmall      = 400
	gcLarge      = 100
	gcLargeAbove = 200_000 // values of P and Q
)

// tuneGC sets the collector for a state of the given number of values, if
// that changes its setting.
func (c *calculator) tuneGC(values int) {
	p := gcSmall
	if values > gcLargeAbove {
		p = gcLarge
	}
	if app.IsClient && p != c.gcPercent {
		debug.SetGCPercent(p)
		c.gcPercent = p
	}
}
