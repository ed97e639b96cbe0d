//go:build !js

package uitest

// No silent loss (issue 14): Copy link and Copy code report what the
// browser did; a state no link can hold says so at once, Copy link then
// copies nothing, and the file it offers reopens the calculation.

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

func TestE2ELinkLoss(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	root := srv.URL + "/"
	click := func(s *uiSession, id string) {
		t.Helper()
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID(id))); err != nil {
			t.Fatalf("clicking #%s: %v", id, err)
		}
	}

	t.Run("CopyReportsRefusal", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		s.value()
		// Both ways of copying refuse, as on plain http without permission.
		e2e.Eval[any](t, s.p, `(() => {
		  navigator.clipboard.writeText = () => Promise.reject(new DOMException("Write permission denied.", "NotAllowedError"));
		  document.execCommand = () => false;
		})()`)
		click(s, "copy-link")
		s.waitFor("the refusal", `document.querySelector(".share .copied").innerText.startsWith("Not copied")`)
		click(s, "tab-code")
		s.waitFor("the code tab", `!!document.getElementById("copy-snippet")`)
		click(s, "copy-snippet")
		s.waitFor("the code's refusal", `[...document.querySelectorAll(".copied")].some(e => e.innerText.startsWith("Not copied"))`)
		// Then the clipboard works: the message says so, and holds the link.
		e2e.Eval[any](t, s.p, `navigator.clipboard.writeText = (text) => { window.__copied = text; return Promise.resolve(); }`)
		click(s, "copy-link")
		s.waitFor("Link copied", `document.querySelector(".share .copied").innerText === "Link copied" && window.__copied === location.href`)
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("TooLargeForALink", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		s.value()
		// 1 100 000 values in one column, dropped as a file on P: more
		// than the 1 048 576 a link holds per side.
		drop := func(sd string, shift int) {
			e2e.Eval[any](t, s.p, `((sd, shift) => {
			  const text = Array.from({length: 1100000}, (_, i) => String(((i + shift) % 1000 + 1) / 1000)).join("\n");
			  const dt = new DataTransfer();
			  dt.items.add(new File([text], sd + ".csv", {type: "text/csv"}));
			  document.getElementById(sd + "-panel").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
			})(`+jsLit(sd)+`, `+strconv.Itoa(shift)+`)`)
		}
		drop("P", 0)
		s.waitFor("P's values", `(document.querySelector("#link-status[role=alert]")?.innerText ?? "").includes("1100000 values")`)
		drop("Q", 7)
		s.waitFor("the notice", `(document.querySelector("#link-status[role=alert]")?.innerText ?? "").includes("1100000 values")`)
		s.waitFor("the emptied address", `location.hash === "" || location.hash === "#"`)
		want := s.value()
		// Copy link copies nothing and says why.
		e2e.Eval[any](t, s.p, `window.__copied = null; navigator.clipboard.writeText = (text) => { window.__copied = text; return Promise.resolve(); }`)
		click(s, "copy-link")
		s.waitFor("the reason", `document.querySelector(".share .copied").innerText.includes("does not fit in a link") && window.__copied === null`)
		// The file it offers reopens the calculation, dropped on a fresh page.
		e2e.Eval[any](t, s.p, `(() => {
		  window.__blobs = [];
		  const orig = URL.createObjectURL;
		  URL.createObjectURL = (b) => { window.__blobs.push(b); return orig.call(URL, b); };
		})()`)
		click(s, "save-state")
		s.waitFor("the state file", `window.__blobs.length > 0`)
		e2e.Eval[any](t, s.p, `window.__blobs[0].text().then(t => { window.__state = t; })`)
		s.waitFor("its text", `typeof window.__state === "string"`)
		if head := e2e.Eval[string](t, s.p, `window.__state.slice(0, 17)`); !strings.HasPrefix(head, "klcalc-state 1\nb=") {
			t.Fatalf("state file begins %q", head)
		}
		size := e2e.Eval[int](t, s.p, `window.__state.length`)
		t.Logf("state file of 2 × 1 100 000 values: %d bytes", size)
		state := e2e.Eval[string](t, s.p, `window.__state`)

		s2 := newUISession(t, b, root)
		s2.open(classicFragment)
		s2.value()
		if _, err := chromedp.Run(s2.p.Ctx, chromedp.Evaluate[any](`((text) => {
		  const dt = new DataTransfer();
		  dt.items.add(new File([text], "kl-calculation.klcalc", {type: "text/plain"}));
		  document.getElementById("Q-panel").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		})(`+jsLit(state)+`)`)); err != nil {
			t.Fatal(err)
		}
		s2.waitFor("the reopened calculation", `document.getElementById("result")?.getAttribute("data-value") === `+jsLit(want))
		s2.waitFor("the notice again", `!!document.querySelector("#link-status[role=alert]")`)
		checkCleanPage(t, s.p, srv.URL)
		checkCleanPage(t, s2.p, srv.URL)
	})
}
