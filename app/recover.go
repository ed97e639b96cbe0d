package app

import (
	"fmt"
	"runtime/debug"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// A panic that reaches the top of a goroutine kills the WebAssembly
// runtime, and with it the page: every event handler, lifecycle method,
// Render, dispatched function, JavaScript callback and goroutine of this
// package therefore begins with a deferred recoverTo, recoverRender or
// recoverLog (recover_test.go checks that it does). The functions recover themselves:
// recover works only when called by the deferred function directly.
//
// A wrapper around the handlers would be shorter but wrong: go-app v9
// compares an element's handlers by code pointer (eventHandler.Equal), so
// every wrapped handler would look alike and a changed one would never be
// mounted.

// actionFault is the go-app action that carries a recovered panic's text
// to the calculator, which shows it (renderFault).
const actionFault = "klcalc-fault"

// recoverTo recovers a panic, logs it with its stack, and posts its value
// to the calculator, which shows it; the page keeps working.
func recoverTo(ctx app.Context) {
	r := recover()
	if r == nil {
		return
	}
	app.Logf("recovered panic: %v\n%s", r, debug.Stack())
	if ctx != nil && ctx.Dispatcher() != nil {
		ctx.NewActionWithValue(actionFault, fmt.Sprint(r))
	}
}

// recoverLog recovers a panic where no context is at hand (a JavaScript
// callback of a helper) and logs it; what the panic left undone shows as
// nothing happening rather than as a dead page.
func recoverLog() {
	if r := recover(); r != nil {
		app.Logf("recovered panic: %v\n%s", r, debug.Stack())
	}
}

// recoverRender recovers a panic in a Render method and makes *ui a
// notice in both languages (a component may not know the reader's), so
// that the rest of the page still renders: `func (v *T) Render() (ui
// app.UI) { defer recoverRender(&ui); … }`.
func recoverRender(ui *app.UI) {
	r := recover()
	if r == nil {
		return
	}
	app.Logf("recovered panic in Render: %v\n%s", r, debug.Stack())
	*ui = app.Div().Class("notice render-fault").Attr("role", "alert").Text(
		fmt.Sprintf(texts(langEN).InternalError, r) + " · " + fmt.Sprintf(texts(langKO).InternalError, r))
}
