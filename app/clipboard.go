package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// copyResult is what a Copy button reports: what the browser did, not what
// was asked of it. The clipboard API refuses without permission, outside
// a secure context (plain http), or when the page is not focused.
type copyResult int

const (
	copyNone    copyResult = iota // nothing asked yet (or the content changed since)
	copyPending                   // asked; the browser has not answered
	copyDone                      // the browser wrote the text
	copyRefused                   // the browser refused, or has no clipboard for the page
	copyNoLink                    // Copy link: the state has no link (see linkLoss)
)

// copyText writes text to the clipboard and calls done on the UI goroutine
// with the outcome. navigator.clipboard.writeText is tried first; where it
// is missing (insecure contexts) or refuses, document.execCommand("copy")
// on a hidden text area, which browsers still honour during a click.
func copyText(ctx app.Context, text string, done func(copyResult)) {
	if !app.IsClient {
		done(copyRefused)
		return
	}
	finish := func(ok bool) {
		r := copyRefused
		if ok {
			r = copyDone
		}
		ctx.Dispatch(func(ctx app.Context) {
			defer recoverTo(ctx)
			done(r)
		})
	}
	cb := app.Window().Get("navigator").Get("clipboard")
	if !cb.Truthy() || !cb.Get("writeText").Truthy() {
		finish(execCopy(text))
		return
	}
	var onOK, onErr app.Func
	release := func() {
		onOK.Release()
		onErr.Release()
	}
	onOK = app.FuncOf(func(app.Value, []app.Value) any {
		defer recoverTo(ctx)
		release()
		finish(true)
		return nil
	})
	onErr = app.FuncOf(func(app.Value, []app.Value) any {
		defer recoverTo(ctx)
		release()
		finish(execCopy(text))
		return nil
	})
	done(copyPending)
	cb.Call("writeText", text).Call("then", onOK, onErr)
}

// execCopy is the older way: select a detached text area's text and ask
// the browser to copy the selection. It reports what the browser returned.
func execCopy(text string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	doc := app.Window().Get("document")
	ta := doc.Call("createElement", "textarea")
	ta.Set("value", text)
	ta.Call("setAttribute", "readonly", "")
	ta.Get("classList").Call("add", "offscreen")
	doc.Get("body").Call("appendChild", ta)
	ta.Call("select")
	ok = doc.Call("execCommand", "copy").Bool()
	ta.Call("remove")
	return ok
}

// copyMessage is the status text of a Copy button: done is the button's
// own "copied" sentence.
func (t *uiText) copyMessage(r copyResult, done string) string {
	switch r {
	case copyDone:
		return done
	case copyRefused:
		return t.CopyRefused
	case copyNoLink:
		return t.CopyNoLink
	}
	return ""
}
