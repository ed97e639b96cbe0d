package app

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/tensorfile"
	"github.com/klcalc/klcalc/compute/textparse"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// A large file or paste is parsed and computed on the UI goroutine, in
// slices between which the browser runs (yieldToBrowser). go-app hands
// every event to that goroutine, so a Cancel button of its own would be
// clicked only once the computation is over. The page's own listener
// (listenCancel) is called by the browser directly, between two slices:
// it marks the write stopped, and the next yield stops the decoding, the
// parse or the computation (tensorfile.ErrCanceled, textparse.ErrCanceled,
// compute.ErrCanceled). The write is then undone: the page is as it was
// before the file or the paste.

// cancelButtonID is the id of the progress notice's Cancel button.
const cancelButtonID = "file-progress-cancel"

// fileProgress is a file or a paste, put on the sides, whose result is
// being computed.
type fileProgress struct {
	Name    string // the file's, or what names a paste
	Reading bool   // a paste's text is being parsed; else its result computed

	stop atomic.Bool // Cancel was clicked (listenCancel); read by the yields
	undo undoPoint   // what Cancel restores
}

// undoPoint is what a file or a paste changes: the state and everything
// computed from it. It shares their slices, which are never written in
// place (State.detach, parseCache.parse); TestUndoPointCoversCalculator
// keeps it up to date with the calculator's fields.
type undoPoint struct {
	state       State
	result      *compute.Result
	resultOf    State
	fixes       []fixAction
	kl          klProblem
	compare     []compute.FrameworkValue
	chartRow    int
	inputErr    []string
	cellErrs    []*CellError
	tab         tabData
	terms       *termSummary
	detected    formSwitch
	parsed      parseCache
	pending     bool
	gauss       gaussInput
	gaussResult *compute.GaussianResult
	gaussErr    error
	rl          rlData
	copy        copyResult
	edited      bool
	tensors     *openTensors
	tensorErr   string
	storage     *storageData
}

// undoPoint is what Cancel would bring back now.
func (c *calculator) undoPoint() undoPoint {
	return undoPoint{
		state: c.state, result: c.result, resultOf: c.resultOf, fixes: c.fixes,
		kl: c.kl, compare: c.compare, chartRow: c.chartRow, inputErr: c.inputErr,
		cellErrs: c.cellErrs, tab: c.tab, terms: c.terms, detected: c.detected,
		parsed: c.parsed, pending: c.pending, gauss: c.gauss, gaussResult: c.gaussResult,
		gaussErr: c.gaussErr, rl: c.rl, copy: c.copy, edited: c.edited,
		tensors: c.tensors, tensorErr: c.tensorErr, storage: c.storage,
	}
}

// restore brings u back.
func (c *calculator) restore(u undoPoint) {
	c.state, c.result, c.resultOf, c.fixes = u.state, u.result, u.resultOf, u.fixes
	c.kl, c.compare, c.chartRow, c.inputErr = u.kl, u.compare, u.chartRow, u.inputErr
	c.cellErrs, c.tab, c.terms, c.detected = u.cellErrs, u.tab, u.terms, u.detected
	c.parsed, c.pending, c.gauss, c.gaussResult = u.parsed, u.pending, u.gauss, u.gaussResult
	c.gaussErr, c.rl, c.copy, c.edited = u.gaussErr, u.rl, u.copy, u.edited
	c.tensors, c.tensorErr, c.storage = u.tensors, u.tensorErr, u.storage
}

// startWrite shows prog's notice, with its Cancel button, at once (the
// parse or the computation that follows draws nothing until it ends), and
// makes prog the write that Cancel stops.
func (c *calculator) startWrite(ctx app.Context, prog *fileProgress) {
	c.busy = prog
	c.running.Store(prog)
	c.canceled = ""
	c.refresh()
	renderNow(ctx)
}

// stopped reports whether the user has canceled the write whose decoding,
// parse or computation is running now (c.writing): an edit of the user's
// between two steps of a write is never stopped.
func (c *calculator) stopped() bool {
	return c.writing != nil && c.writing.stop.Load()
}

// endWrite ends prog: nothing is under way any more, and its notice goes,
// whatever is drawn next (an error's caller may redraw a child only).
func (c *calculator) endWrite(prog *fileProgress) {
	c.running.CompareAndSwap(prog, nil)
	if c.writing == prog {
		c.writing = nil
	}
	if c.busy == prog {
		c.busy = nil
		c.refresh()
	}
}

// cancelWrite undoes prog, which the user canceled, and says so. The
// address bar still holds the link of the state restored: the write's
// link is written after its result, which never came. Focus on the Cancel
// button, gone with its notice, goes to the new notice's Dismiss.
func (c *calculator) cancelWrite(ctx app.Context, prog *fileProgress) {
	c.restore(prog.undo)
	c.endWrite(prog)
	c.canceled = prog.Name
	c.refresh()
	c.deferred(ctx, func() {
		doc := app.Window().Get("document")
		if a := doc.Get("activeElement"); a.Truthy() && !a.Equal(doc.Get("body")) {
			return // the user is elsewhere: Escape in a field, say
		}
		if b := doc.Call("getElementById", "write-canceled-dismiss"); b.Truthy() {
			b.Call("focus")
		}
	})
}

// yieldOrStop is the yield of a large parse or computation: it lets the
// browser run a task (a click on Cancel among them), and reports whether
// to go on.
func (c *calculator) yieldOrStop() bool {
	yieldToBrowser()
	return !c.stopped()
}

// isCanceled reports whether err is a parse's or a computation's stop.
func isCanceled(err error) bool {
	return errors.Is(err, compute.ErrCanceled) || errors.Is(err, textparse.ErrCanceled) || errors.Is(err, tensorfile.ErrCanceled)
}

// listenCancel makes a click on the Cancel button, or Escape, stop the
// write under way, from the browser's event itself (see the top of this
// file). It returns what removes the listeners.
func (c *calculator) listenCancel() func() {
	doc := app.Window().Get("document")
	onClick := app.FuncOf(func(this app.Value, args []app.Value) any {
		defer recoverLog()
		if t := args[0].Get("target"); t.Truthy() && t.Get("closest").Truthy() && t.Call("closest", "#"+cancelButtonID).Truthy() {
			c.requestStop()
		}
		return nil
	})
	onKey := app.FuncOf(func(this app.Value, args []app.Value) any {
		defer recoverLog()
		if args[0].Get("key").String() == "Escape" {
			c.requestStop()
		}
		return nil
	})
	doc.Call("addEventListener", "click", onClick, true)
	doc.Call("addEventListener", "keydown", onKey, true)
	return func() {
		doc.Call("removeEventListener", "click", onClick, true)
		doc.Call("removeEventListener", "keydown", onKey, true)
		onClick.Release()
		onKey.Release()
	}
}

// requestStop marks the write under way, if any, stopped. It runs in the
// browser's event, outside the UI goroutine, so it touches nothing else.
func (c *calculator) requestStop() {
	if p := c.running.Load(); p != nil {
		p.stop.Store(true)
	}
}

// onCanceledDismiss hides the notice of a canceled write.
func (c *calculator) onCanceledDismiss(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	c.canceled = ""
}

// renderCanceled says that a file or a paste was canceled and the page
// is as it was; an empty slot otherwise.
func (c *calculator) renderCanceled(t *uiText) app.UI {
	msg := ""
	if c.canceled != "" {
		msg = fmt.Sprintf(t.Files.Canceled, c.canceled)
	}
	return dismissable("write-canceled", "write-canceled-dismiss", msg, t.Files.Dismiss, c.onCanceledDismiss)
}
