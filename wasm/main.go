//go:build js && wasm

// Command wasm is the browser entry point of the calculator.
package main

import (
	"runtime/debug"

	"github.com/klcalc/klcalc/app"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"
)

func main() {
	// Go's collector shares the page's one thread: a cycle's marking runs
	// before an event returns to the browser, and at the default GOGC=100
	// it ran every edit or two at 1 000 values and doubled that edit's
	// time. A larger heap is cheap here; the limit keeps a 10⁶-value page
	// from growing without bound (docs/goapp.md §3). A large state lowers
	// it again (app's tuneGC).
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(768 << 20)
	app.RepairLocation()
	app.Register()
	goapp.RunWhenOnBrowser()
}
