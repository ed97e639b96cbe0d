// Package app is the go-app user interface of the KL-divergence calculator.
//
// It holds only client code and the routes; the HTTP server and the static
// exporter live in cmd/ so that the wasm build does not link net/http
// server code (see docs/goapp.md §1).
package app

import (
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Register declares the routes. The wasm entry point and the server (which
// pre-renders pages) must both call it.
func Register() {
	app.Route("/", newCalculator())
}

// RepairLocation makes the page's URL parseable before go-app reads it:
// go-app v9 dies (a nil URL in performNavigate) when url.Parse rejects
// location.href, which a hand-edited or truncated link with a stray "%"
// (#p=%zz) does, at start-up or on a later hash change. The stray "%"
// signs are escaped as %25 with history.replaceState, so the link then
// reads as text and the calculator reports the cell. It repairs the URL
// now and before each popstate reaches go-app (its own listener is
// registered later, so it runs after this one). It does nothing on the
// server. Call it before app.RunWhenOnBrowser.
func RepairLocation() {
	if !app.IsClient {
		return
	}
	repairLocation()
	app.Window().Call("addEventListener", "popstate", app.FuncOf(func(this app.Value, args []app.Value) any {
		defer recoverLog()
		repairLocation()
		return nil
	}))
}

func repairLocation() {
	// The fragment is read and checked apart from the rest: at 100 000
	// values, url.Parse of the whole href took 66 ms of the page's load,
	// and a fragment can fail to parse only by a stray "%".
	loc := app.Window().Get("location")
	frag := strings.TrimPrefix(loc.Get("hash").String(), "#")
	base := pageBase()
	if _, err := url.Parse(base); err == nil && !hasStrayPercent(frag) {
		return
	}
	fixed := escapeStrayPercents(base) + "#" + escapeStrayPercents(frag)
	if _, err := url.Parse(fixed); err != nil {
		fixed = escapeStrayPercents(base) // give up on the fragment rather than the page
	}
	app.Window().Get("history").Call("replaceState", nil, "", fixed)
}

// hasStrayPercent reports whether s has a "%" that does not start a valid
// %XX escape, the one thing that makes url.Parse reject a fragment.
func hasStrayPercent(s string) bool {
	for i := 0; i < len(s); i++ {
		if strayPercent(s, i) {
			return true
		}
	}
	return false
}

// strayPercent reports whether s[i] is a "%" that does not start a valid
// %XX escape.
func strayPercent(s string, i int) bool {
	return s[i] == '%' && !(i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]))
}

// escapeStrayPercents writes every "%" that does not start a valid
// %XX escape as %25.
func escapeStrayPercents(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strayPercent(s, i) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
