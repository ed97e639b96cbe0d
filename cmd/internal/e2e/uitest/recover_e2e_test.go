//go:build !js

package uitest

import (
	"strings"
	"testing"
	"time"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// TestE2EEventPanic sends events no browser would send, made by a page
// script: a drop whose dataTransfer has no getData, and one whose file is
// a number. The handlers' syscall/js calls panic on them; the page must
// say so, keep its runtime, and go on computing.
func TestE2EEventPanic(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	h := &hostile{p: b.Open(t), root: srv.URL + "/"}
	s := h.session(t)
	load(s, aliveFrag)
	wantValue(s, aliveCase.want(t).Value, bootTimeout)

	for _, tc := range []struct {
		name, target, dataTransfer, want string
	}{
		{"PanelDropWithoutGetData", `document.getElementById("P-panel")`, `{files: {length: 0}}`, "getData"},
		{"PageDropOfANumber", `document.querySelector(".page")`, `{files: [42]}`, "number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := h.session(t)
			e2e.Eval[any](t, s.p, `(() => {
			  const ev = new Event("drop", {bubbles: true, cancelable: true});
			  Object.defineProperty(ev, "dataTransfer", {value: `+tc.dataTransfer+`});
			  `+tc.target+`.dispatchEvent(ev);
			})()`)
			poll(s, "the fault notice", `(document.getElementById("fault")?.textContent || "").includes("internal error")`, 10*time.Second)
			msg := e2e.Eval[string](t, s.p, `document.getElementById("fault").textContent`)
			if !strings.Contains(msg, tc.want) {
				t.Errorf("#fault says %q; want the panic's value, with %q", msg, tc.want)
			}
			if c := goCrash(s); c != "" {
				t.Fatalf("the Go runtime died: %s", c)
			}
			// The runtime still follows a link and an edit.
			setHash(s, jsLit("#p=0.2,0.8&q=0.5,0.5&reduction=sum&dtype=float64"))
			wantValue(s, klCase{p: row("0.2", "0.8"), q: row("0.5", "0.5"), red: aliveCase.red, dt: aliveCase.dt}.want(t).Value, 20*time.Second)
			s.typeInto("P-r0-c0", aliveTyped)
			wantValue(s, klCase{p: row(aliveTyped, "0.8"), q: row("0.5", "0.5"), red: aliveCase.red, dt: aliveCase.dt}.want(t).Value, 20*time.Second)
			e2e.Eval[any](t, s.p, `document.getElementById("fault-dismiss").click()`)
			poll(s, "the fault notice to go", `!document.getElementById("fault-dismiss")`, 10*time.Second)
		})
	}
	// What the page logged: the recovered panics, and nothing else.
	for _, p := range h.p.Problems() {
		if !strings.Contains(p, "recovered panic: ") {
			t.Errorf("problem in the page: %s", p)
		}
	}
}
