//go:build !js

package uitest

// Hostile input, end to end: malformed, huge and tricky links, cells,
// pastes and files in headless Chromium against the real server and
// built site. Each case must end in a clear error (#error, or the field's
// own error box, non-empty) or in the value compute.Calculate gives; after
// each, nothing was injected, the page still paints (a requestAnimationFrame
// callback within 2 s), no Go panic was logged, and the runtime still
// computes what is typed into a cell.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/klcalc/klcalc/cmd/internal/e2e"
	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

// injectionProbe runs in every document before its scripts and records
// any element that could run code or fetch something, apart from the two
// scripts and the loader icon of the pre-rendered page.
const injectionProbe = `(() => {
  window.__injected = [];
  const risky = "script, img, iframe, frame, object, embed, base, image, video, audio, source, link[rel=import], meta[http-equiv]";
  const expected = el =>
    (el.tagName === "SCRIPT" && !el.textContent.trim() && /\/(wasm_exec|app)\.js$/.test(el.src)) ||
    (el.tagName === "IMG" && el.id === "app-wasm-loader-icon");
  new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      for (const el of [n, ...n.querySelectorAll(risky)]) {
        if (el.matches(risky) && !expected(el)) window.__injected.push(el.outerHTML.slice(0, 120));
      }
    }
  }).observe(document, {childList: true, subtree: true});
})();`

// healthProbe reports injected elements, inline event-handler attributes,
// the scripts of the document, window.pwned, and how long a
// requestAnimationFrame callback takes to arrive (-1: not within 2 s).
const healthProbe = `(async () => {
  const r = {injected: window.__injected || [], pwned: !!window.pwned};
  r.handlers = [...document.querySelectorAll("*")]
    .filter(el => [...el.attributes].some(a => /^on/i.test(a.name)))
    .map(el => el.outerHTML.slice(0, 120));
  r.scripts = [...document.scripts].map(s => s.src ? new URL(s.src).pathname : "inline: " + s.textContent.slice(0, 60));
  r.raf = await new Promise(res => {
    const t0 = performance.now();
    requestAnimationFrame(() => res(performance.now() - t0));
    setTimeout(() => res(-1), 2000);
  });
  return r;
})()`

type healthReport struct {
	Injected []string `json:"injected"`
	Handlers []string `json:"handlers"`
	Scripts  []string `json:"scripts"`
	Pwned    bool     `json:"pwned"`
	RAF      float64  `json:"raf"`
}

// The hostile payloads, as typed.
const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `<img src=x onerror=window.pwned=1>`
)

// esc percent-encodes text for a share link the way the app does (app's
// escapeCell): every byte but letters, digits and "+-._~".
func esc(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// klCase describes a calculation for compute: rows of cell text, as the
// page holds them.
type klCase struct {
	p, q         [][]string
	pForm, qForm compute.Form
	pTemp, qTemp float64 // 0: 1
	red          compute.Reduction
	dt           compute.DType
	dims         int // the shape of a single-row side; 0: 1 if both sides have one row, else 2
}

// want computes what the page must show, parsing the cells with compute as
// the page does.
func (c klCase) want(t *testing.T) *compute.Result {
	t.Helper()
	dims := c.dims
	if dims == 0 {
		dims = 2
		if len(c.p) == 1 && len(c.q) == 1 {
			dims = 1
		}
	}
	side := func(rows [][]string, f compute.Form, temp float64) compute.Side {
		vals := make([][]float64, len(rows))
		for i, r := range rows {
			vals[i] = make([]float64, len(r))
			for j, cell := range r {
				v, err := textparse.ParseFloat(cell)
				if err != nil {
					t.Fatalf("expected value: %v", err)
				}
				vals[i][j] = v
			}
		}
		d := 2
		if len(rows) == 1 {
			d = dims
		}
		tensor, err := compute.FromRows(vals, d)
		if err != nil {
			t.Fatal(err)
		}
		if temp == 0 {
			temp = 1
		}
		return compute.Side{Data: tensor, Form: f, Temperature: temp}
	}
	r, err := compute.Calculate(side(c.p, c.pForm, c.pTemp), side(c.q, c.qForm, c.qTemp), compute.Options{Reduction: c.red, DType: c.dt})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// jsLit quotes s as a JavaScript string literal (JSON's syntax; U+2028
// and U+2029 are escaped by encoding/json too).
func jsLit(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// row is one row of cells.
func row(cells ...string) [][]string { return [][]string{cells} }

// sameSigned is sameValue that also tells −0 from +0.
func sameSigned(got string, want float64) bool {
	if !sameValue(got, want) {
		return false
	}
	v, _ := strconv.ParseFloat(got, 64)
	return v != 0 || math.Signbit(v) == math.Signbit(want)
}

// hostile is the state shared by the cases: one tab, reused.
type hostile struct {
	p    *e2e.Page
	root string // http://127.0.0.1:port/
}

// hsession is a subtest's view of the tab: it knows how many Go crashes
// the tab had logged before, so that only a new one fails the subtest.
type hsession struct {
	*uiSession
	crashes int
}

func (h *hostile) session(t *testing.T) *hsession {
	s := &hsession{uiSession: &uiSession{t: t, p: h.p, url: h.root}}
	s.crashes = len(goCrashes(h.p))
	return s
}

// goCrashes returns the Go runtime failures the tab logged.
func goCrashes(p *e2e.Page) []string {
	var out []string
	for _, prob := range p.Problems() {
		if strings.HasPrefix(prob, "go: ") {
			out = append(out, prob)
		}
	}
	return out
}

// goCrash returns a Go runtime failure logged during this subtest, or "".
func goCrash(s *hsession) string {
	if c := goCrashes(s.p); len(c) > s.crashes {
		return c[s.crashes]
	}
	return ""
}

// poll waits until the JavaScript condition holds, and fails at once if
// the Go runtime died, or after timeout.
func poll(s *hsession, what, cond string, timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for i := 0; ; i++ {
		ok, err := chromedp.Run(s.p.Ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if i%10 == 9 {
			if c := goCrash(s); c != "" {
				s.t.Fatalf("waiting for %s: the Go runtime died: %s", what, c)
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waiting for %s (%s): not after %v; #error %q", what, cond, timeout, s.errorText())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// load opens the calculator on a fragment with a fresh page load ("#":
// the page with an empty fragment) and waits until it has applied it.
func load(s *hsession, frag string) {
	s.t.Helper()
	s.p.Navigate(s.t, "about:blank")
	s.p.Navigate(s.t, s.url+"#"+strings.TrimPrefix(frag, "#"))
	poll(s, "the calculator to apply the link", `!document.getElementById("app-wasm-loader") && !document.getElementById("loading") && !!document.getElementById("calculator")`, bootTimeout)
}

// wantError waits until the element id holds an error containing substr
// (any error for ""), and checks that it is visible and that #error and
// #gauss-error are announced (role="alert").
func wantError(s *hsession, id, substr string) string {
	s.t.Helper()
	text := fmt.Sprintf(`(document.getElementById(%s)?.textContent ?? "")`, jsLit(id))
	poll(s, "an error in #"+id+" with "+strconv.Quote(substr), text+` !== "" && `+text+`.includes(`+jsLit(substr)+`)`, 30*time.Second)
	msg := e2e.Eval[string](s.t, s.p, text)
	if !e2e.Eval[bool](s.t, s.p, `document.getElementById(`+jsLit(id)+`).checkVisibility()`) {
		s.t.Errorf("#%s says %q, but it is not visible", id, msg)
	}
	if id == "error" || id == "gauss-error" {
		if role := e2e.Eval[string](s.t, s.p, `document.getElementById(`+jsLit(id)+`).getAttribute("role") ?? ""`); role != "alert" {
			s.t.Errorf("#%s has role %q, want alert", id, role)
		}
	}
	return msg
}

// wantNoError checks that #error is empty.
func wantNoError(s *hsession) {
	s.t.Helper()
	if e := s.errorText(); e != "" {
		s.t.Errorf("#error = %q, want none", e)
	}
}

// wantValue waits until #result's data-value is want (to 4 ulps, with the
// sign of a zero) and fails after timeout.
func wantValue(s *hsession, want float64, timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	got := ""
	for i := 0; time.Now().Before(deadline); i++ {
		got, _ = chromedp.Run(s.p.Ctx, chromedp.Evaluate[string](`document.getElementById("result")?.getAttribute("data-value") ?? ""`))
		if got != "" && sameSigned(got, want) {
			return
		}
		if i%10 == 9 {
			if c := goCrash(s); c != "" {
				s.t.Fatalf("waiting for the result %s: the Go runtime died: %s", compute.FormatFloat(want), c)
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	s.t.Fatalf("#result data-value = %q after %v, want %s; #error %q", got, timeout, compute.FormatFloat(want), s.errorText())
}

// wantResult waits for the value of c, or for each element with
// reduction='none'.
func wantResult(s *hsession, c klCase) {
	s.t.Helper()
	r := c.want(s.t)
	if c.red != compute.ReductionNone {
		wantValue(s, r.Value, bootTimeout)
		return
	}
	got := s.noneValues()
	if len(got) != len(r.Output.Data) {
		s.t.Fatalf("%d values, want %d", len(got), len(r.Output.Data))
	}
	for i, v := range r.Output.Data {
		if !sameSigned(got[i], v) {
			s.t.Errorf("value %d = %s, want %s", i, got[i], compute.FormatFloat(v))
		}
	}
}

// cellText is the text of a cell of the grid.
func cellText(s *hsession, id string) string {
	s.t.Helper()
	return e2e.Eval[string](s.t, s.p, `document.getElementById(`+jsLit(id)+`)?.value ?? "<no cell>"`)
}

// setHash changes the fragment of the loaded page, as a hand edit does.
// The expression builds the fragment in the page, so that it may be huge.
func setHash(s *hsession, jsExpr string) {
	s.t.Helper()
	e2e.Eval[any](s.t, s.p, `location.hash = `+jsExpr)
}

// pasteInto puts text (a JavaScript expression) into a side's paste area
// and applies it.
func pasteInto(s *hsession, side, jsText string) {
	s.t.Helper()
	e2e.Eval[any](s.t, s.p, `(() => {
	  document.querySelectorAll("details").forEach(d => d.open = true);
	  const ta = document.getElementById("`+side+`-paste");
	  ta.value = `+jsText+`;
	  ta.dispatchEvent(new Event("input", {bubbles: true}));
	  document.getElementById("`+side+`-paste-apply").click();
	})()`)
}

// dropFile drops a file with the given name and content (JavaScript
// expressions) on a side's panel.
func dropFile(s *hsession, side, jsName, jsContent string) {
	s.t.Helper()
	e2e.Eval[any](s.t, s.p, `(() => {
	  const dt = new DataTransfer();
	  dt.items.add(new File([`+jsContent+`], `+jsName+`, {type: "text/csv"}));
	  document.getElementById("`+side+`-panel").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`)
}

// setField sets a text field's value and sends an input event, for text
// too long to type key by key.
func setField(s *hsession, id, jsText string) {
	s.t.Helper()
	e2e.Eval[any](s.t, s.p, `(el => { el.value = `+jsText+`; el.dispatchEvent(new Event("input", {bubbles: true})); })(document.getElementById(`+jsLit(id)+`))`)
}

// aliveCase is loaded after every case, and then edited: the runtime must
// still compute.
var (
	aliveCase  = klCase{p: row("0.3", "0.7"), q: row("0.6", "0.4"), red: compute.ReductionSum, dt: compute.DTypeFloat64}
	aliveFrag  = "p=0.3,0.7&q=0.6,0.4&reduction=sum&dtype=float64"
	aliveEdit  = klCase{p: row("0.45", "0.7"), q: row("0.6", "0.4"), red: compute.ReductionSum, dt: compute.DTypeFloat64}
	aliveTyped = "0.45"
)

// checkHealthy runs after each case: nothing injected, the page paints,
// no new problem (Go panic, console error, CSP violation), and the
// runtime follows a new fragment and an edit.
func checkHealthy(s *hsession, before map[string]int) {
	s.t.Helper()
	h := e2e.Eval[healthReport](s.t, s.p, healthProbe)
	if len(h.Injected) > 0 || len(h.Handlers) > 0 || h.Pwned {
		s.t.Errorf("injected: elements %q, handler attributes %q, window.pwned %v", h.Injected, h.Handlers, h.Pwned)
	}
	if len(h.Scripts) != 2 {
		s.t.Errorf("scripts in the page: %q, want wasm_exec.js and app.js", h.Scripts)
	}
	if h.RAF < 0 {
		s.t.Errorf("no animation frame within 2 s: the page is frozen")
	}
	for _, p := range s.p.Problems() {
		if before[p] > 0 {
			before[p]--
			continue
		}
		s.t.Errorf("problem in the page: %s", p)
	}
	setHash(s, jsLit("#"+aliveFrag))
	wantValue(s, aliveCase.want(s.t).Value, 20*time.Second)
	s.typeInto("P-r0-c0", aliveTyped)
	wantValue(s, aliveEdit.want(s.t).Value, 20*time.Second)
}

func problemCounts(p *e2e.Page) map[string]int {
	m := map[string]int{}
	for _, s := range p.Problems() {
		m[s]++
	}
	return m
}

type hostileCase struct {
	name string
	run  func(s *hsession)
}

// urlError is a case that loads frag and expects an error in #error.
func urlError(name, frag, substr string) hostileCase {
	return hostileCase{name, func(s *hsession) {
		load(s, frag)
		wantError(s, "error", substr)
	}}
}

// urlResult is a case that loads frag and expects c's result, and an
// error containing substr ("" for none).
func urlResult(name, frag string, c klCase, substr string) hostileCase {
	return hostileCase{name, func(s *hsession) {
		load(s, frag)
		wantResult(s, c)
		if substr == "" {
			wantNoError(s)
		} else {
			wantError(s, "error", substr)
		}
	}}
}

// gaussError loads a Gaussian-mode link and expects an error of the mode.
func gaussError(name, frag, substr string) hostileCase {
	return hostileCase{name, func(s *hsession) {
		load(s, frag)
		poll(s, "any error", `(document.getElementById("gauss-error")?.textContent ?? "") !== "" || (document.getElementById("error")?.textContent ?? "") !== ""`, 30*time.Second)
		if e := s.errorText(); e != "" && strings.Contains(e, substr) {
			return
		}
		wantError(s, "gauss-error", substr)
	}}
}

func hostileCases() []hostileCase {
	classic := klCase{p: row("0.1", "0.4", "0.5"), q: row("0.2", "0.3", "0.5")}
	long := "0.5" + strings.Repeat("0", 100000) + "1"
	cases := []hostileCase{
		urlError("RaggedRowsP", "p=0.1,0.9;0.5&q=0.5,0.5;0.5,0.5", "P row 2 has 1 value but row 1 has 2"),
		urlError("RaggedRowsQ", "p=0.5,0.5&q=0.2,0.8;1,2,3", "Q row 2 has 3 values but row 1 has 2"),
		urlError("ShapesDoNotBroadcast", "p=0.5,0.5&q=0.2,0.3,0.5", "do not broadcast"),
		urlError("ArabicIndicDigits", "p="+esc("٠٫٥")+",0.5&q=0.5,0.5", `"٠٫٥" is not a number`),
		urlError("FullWidthDigits", "p="+esc("０．５")+",0.5&q=0.5,0.5", `"０．５" is not a number`),
		urlResult("UnicodeMinus", "p=0.5,0.5&q="+esc("−0.5")+","+esc("−1.5")+"&q_as=log&reduction=sum",
			klCase{p: row("0.5", "0.5"), q: row("−0.5", "−1.5"), qForm: compute.FormLog, red: compute.ReductionSum}, ""),
		urlResult("NaNWords", "p=NaN,0.5&q=0.5,-nan&reduction=sum&dtype=float64",
			klCase{p: row("NaN", "0.5"), q: row("0.5", "-nan"), red: compute.ReductionSum, dt: compute.DTypeFloat64}, ""),
		urlError("NaNPayloadSyntax", "p="+esc("nan(0x7ff8dead)")+",0x7ff8000000000001&q=0.5,0.5", `"nan(0x7ff8dead)" is not a number`),
		urlResult("InfNaNAnyCase", "p=inf,-INF,NaN&q=0.1,0.2,0.7&reduction=none&dtype=float64",
			klCase{p: row("inf", "-INF", "NaN"), q: row("0.1", "0.2", "0.7"), red: compute.ReductionNone, dt: compute.DTypeFloat64}, ""),
		urlResult("HugeAndTinyNumbers", "p=4.9e-324,1,0.5&q=1e400,-1e400,0.5&reduction=none&dtype=float64",
			klCase{p: row("4.9e-324", "1", "0.5"), q: row("1e400", "-1e400", "0.5"), red: compute.ReductionNone, dt: compute.DTypeFloat64}, ""),
		urlResult("SubnormalSum", "p=4.9e-324,1&q=4.9e-324,1&reduction=sum&dtype=float64",
			klCase{p: row("4.9e-324", "1"), q: row("4.9e-324", "1"), red: compute.ReductionSum, dt: compute.DTypeFloat64}, ""),
		{"NegativeZero", func(s *hsession) {
			c := klCase{p: row("-0", "1"), q: row("0.5", "0.5"), red: compute.ReductionNone, dt: compute.DTypeFloat64}
			load(s, "p=-0,1&q=0.5,0.5&reduction=none&dtype=float64")
			wantResult(s, c)
			if got := cellText(s, "P-r0-c0"); got != "-0" {
				s.t.Errorf("P cell = %q, want -0 as typed", got)
			}
			// Typed, in Q, as a log-probability: exp(−0) = 1.
			c = klCase{p: row("1", "0"), q: row("-0", "-0"), qForm: compute.FormLog, red: compute.ReductionSum, dt: compute.DTypeFloat64}
			load(s, "p=1,0&q=0,-5&q_as=log&reduction=sum&dtype=float64")
			s.typeInto("Q-r0-c1", "-0")
			s.typeInto("Q-r0-c0", "-0")
			wantValue(s, c.want(s.t).Value, 20*time.Second)
			if got := cellText(s, "Q-r0-c0"); got != "-0" {
				s.t.Errorf("Q cell = %q, want -0 as typed", got)
			}
			if h := s.hash(); !strings.Contains(h, "q=-0,-0") {
				s.t.Errorf("fragment %q does not keep -0", h)
			}
		}},
		urlError("EmptyP", "p=", "P row 1, column 1: empty"),
		urlError("OnlyCommas", "p=,,,", "P row 1, column 4: empty"),
		urlResult("EmptyFragment", "#", classic, ""),
		urlResult("OnlyAmpersands", "&&&", classic, ""),
		urlResult("OnlyEquals", "=&==&===", classic, "unknown key"),
		urlError("KeysWithoutEquals", "p&q&reduction", "reduction"),
		urlResult("UnknownKeys", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&foo=1&"+esc(xssImg)+"=2", classic, `unknown key "foo"`),
		urlResult("DuplicatedKeys", "p=0.2,0.3,0.5&p=1,0&q=0.2,0.3,0.5&q=9",
			klCase{p: row("0.2", "0.3", "0.5"), q: row("0.2", "0.3", "0.5")}, "appears twice"),
		// A malformed escape is kept as cell text (README); url.Parse
		// rejects the whole URL.
		urlError("PercentZZ", "p=%zz,0.5&q=0.5,0.5", `"%zz" is not a number`),
		urlError("PercentAlone", "p=%,0.5&q=0.5,0.5", `"%" is not a number`),
		urlError("PercentTruncatedUTF8", "p=%E0%A4%A,0.5&q=0.5,0.5", "is not a number"),
		{"PercentGarbageInHash", func(s *hsession) {
			load(s, classicFragment)
			setHash(s, jsLit("#p=%zz,%,%E0%A4%A&q=1,2,3"))
			wantError(s, "error", `"%zz" is not a number`)
		}},
		urlError("InvalidUTF8", "p=%FF,0.5&q=0.5,0.5", "P row 1, column 1"),
		urlResult("InvalidUTF8Lang", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&lang=%FF%FE", classic, "lang must be en or ko"),
		urlResult("LongSingleNumber", "p="+long+",0.5&q=0.5,0.5&reduction=sum",
			klCase{p: row(long, "0.5"), q: row("0.5", "0.5"), red: compute.ReductionSum}, ""),
		{"LongJunkNumber", func(s *hsession) {
			load(s, "p="+strings.Repeat("1", 100000)+"x,0.5&q=0.5,0.5")
			if e := wantError(s, "error", "is not a number"); len(e) > 500 {
				s.t.Errorf("error message of %d characters: the number is not shortened", len(e))
			}
		}},
		urlResult("ElementwiseMean", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&reduction=elementwise_mean",
			klCase{p: row("0.1", "0.4", "0.5"), q: row("0.2", "0.3", "0.5"), red: compute.ReductionMean}, ""),
		urlResult("LangXX", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&lang=xx", classic, "lang must be en or ko"),
		urlResult("DimsZero", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&dims=0", classic, "dims must be 1 or 2"),
		urlResult("DtypeFloat8", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&dtype=float8", classic, "dtype must be float32, float64, bfloat16 or float16"),
		// PyTorch computes any temperature; the page shows its value and
		// explains the temperature (issue 8).
		{"TemperatureZero", func(s *hsession) {
			load(s, "p=1,2&q=0.5,0.5&q_as=logits&q_temp=0")
			wantValue(s, math.NaN(), bootTimeout)
			poll(s, "the temperature warning", `(document.getElementById("warnings")?.textContent ?? "").includes("Q's temperature is 0")`, 30*time.Second)
			wantNoError(s)
		}},
		{"TemperatureInf", func(s *hsession) {
			load(s, "p=1,2&q=0.5,0.5&p_as=logits&p_temp=1e400&reduction=sum")
			wantValue(s, 0, bootTimeout) // P uniform, as Q is
			poll(s, "the temperature warning", `(document.getElementById("warnings")?.textContent ?? "").includes("P's temperature is infinite")`, 30*time.Second)
			wantNoError(s)
		}},
		{"CountsForm", func(s *hsession) {
			// p_as=counts is new: either a clear error or the normalised result.
			load(s, "p=1,2,7&q=0.2,0.3,0.5&p_as=counts&reduction=sum")
			f, err := compute.ParseForm("counts")
			if err != nil {
				wantError(s, "error", "p_as")
				return
			}
			wantResult(s, klCase{p: row("1", "2", "7"), q: row("0.2", "0.3", "0.5"), pForm: f, red: compute.ReductionSum})
		}},
		{"ManyRows", func(s *hsession) {
			start := time.Now()
			rows := make([][]string, 20000)
			for i := range rows {
				rows[i] = []string{"0.25", "0.75"}
			}
			load(s, "p="+strings.TrimSuffix(strings.Repeat("0.25,0.75;", len(rows)), ";")+"&q=0.5,0.5")
			wantResult(s, klCase{p: rows, q: row("0.5", "0.5")})
			s.t.Logf("20000 rows: result after %v", time.Since(start).Round(time.Millisecond))
		}},
		{"CommaInCellSurvivesReload", func(s *hsession) {
			load(s, classicFragment)
			s.typeInto("P-r0-c1", "1,5")
			wantError(s, "error", `P row 1, column 2: "1,5" is not a number`)
			poll(s, "the escaped comma in the URL", `location.hash.includes("1%2C5")`, 10*time.Second)
			href := e2e.Eval[string](s.t, s.p, `location.href`)
			s.p.Navigate(s.t, "about:blank")
			s.p.Navigate(s.t, href)
			poll(s, "the cell after a reload", `document.getElementById("P-r0-c1")?.value === "1,5"`, bootTimeout)
			if n := e2e.Eval[int](s.t, s.p, `document.querySelectorAll("#P-grid input").length`); n != 3 {
				s.t.Errorf("P has %d cells after the reload, want 3", n)
			}
		}},

		// Script and markup in every field.
		urlError("ScriptInP", "p="+esc(xssScript)+",0.5&q=0.5,0.5", strconv.Quote(xssScript)+" is not a number"),
		urlError("ImgInQ", "p=0.5,0.5&q=0.5,"+esc(xssImg), strconv.Quote(xssImg)+" is not a number"),
		urlError("ScriptInPTemp", "p=1,2&q=0.5,0.5&p_as=logits&p_temp="+esc(xssScript), "P's temperature"),
		urlError("ImgInQTemp", "p=0.5,0.5&q=1,2&q_as=logits&q_temp="+esc(xssImg), "Q's temperature"),
		urlResult("ScriptInKey", esc(xssScript)+"=1&p=0.1,0.4,0.5&q=0.2,0.3,0.5", classic, "unknown key"),
		urlResult("ImgInReduction", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&reduction="+esc(xssImg), classic, "reduction"),
		urlResult("MarkupInEveryOption", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&dtype="+esc(xssImg)+"&unit="+esc(xssScript)+
			"&lang="+esc(xssImg)+"&dims="+esc(xssScript)+"&p_as="+esc(xssScript)+"&mode="+esc(xssImg), classic, "Share link: mode must be kl, gauss or rl"),
		{"RawMarkupInHash", func(s *hsession) {
			// Unescaped, as a hand edit would put it; the browser escapes
			// some characters and not others.
			load(s, classicFragment)
			setHash(s, jsLit("#p="+xssImg+",0.5&q=0.5,0.5&"+xssScript+"=1"))
			wantError(s, "error", "is not a number")
		}},
		{"MarkupTypedInCell", func(s *hsession) {
			load(s, classicFragment)
			s.typeInto("P-r0-c0", xssImg)
			wantError(s, "error", strconv.Quote(xssImg)+" is not a number")
			s.typeInto("Q-r0-c2", xssScript)
			wantError(s, "error", strconv.Quote(xssScript)+" is not a number")
			if got := cellText(s, "P-r0-c0"); got != xssImg {
				s.t.Errorf("cell = %q, want the text as typed", got)
			}
		}},
		{"MarkupTypedInTemperature", func(s *hsession) {
			load(s, "p=1,2&q=0.5,0.5&p_as=logits")
			s.typeInto("P-temp", xssScript)
			wantError(s, "error", "P's temperature")
		}},
		{"MarkupPasted", func(s *hsession) {
			load(s, classicFragment)
			pasteInto(s, "P", jsLit(xssScript))
			wantError(s, "P-paste-error", "script")
			pasteInto(s, "Q", jsLit("[1, 2, "+xssImg+"]"))
			wantError(s, "Q-paste-error", "img")
		}},
		{"MarkupPastedIntoCell", func(s *hsession) {
			load(s, classicFragment)
			e2e.Eval[any](s.t, s.p, `(() => {
			  const dt = new DataTransfer(); dt.setData("text/plain", `+jsLit("0.5\t"+xssImg+"\t"+xssScript)+`);
			  const el = document.getElementById("Q-r0-c0"); el.focus();
			  el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
			})()`)
			wantValue(s, classic.want(s.t).Value, 5*time.Second) // not numbers: not taken as a grid
		}},
		{"MarkupFileDropped", func(s *hsession) {
			load(s, classicFragment)
			dropFile(s, "P", jsLit(xssImg+".csv"), jsLit(xssScript+"\n"+xssImg+"\n"))
			wantError(s, "P-paste-error", "")
			dropFile(s, "Q", jsLit(xssScript+".json"), jsLit(`[0.5, "`+xssImg+`"]`))
			wantError(s, "Q-paste-error", "")
		}},
		{"ValidFileDropped", func(s *hsession) {
			// The file is read asynchronously: the page must show its data.
			load(s, "p=0.5,0.5&q=0.2,0.3,0.5&reduction=sum")
			dropFile(s, "P", jsLit("p.csv"), jsLit("0.1,0.4,0.5\n0.3,0.3,0.4\n"))
			wantResult(s, klCase{p: [][]string{{"0.1", "0.4", "0.5"}, {"0.3", "0.3", "0.4"}}, q: row("0.2", "0.3", "0.5"), red: compute.ReductionSum})
			wantNoError(s)
		}},
		{"BinaryFileDropped", func(s *hsession) {
			load(s, classicFragment)
			dropFile(s, "P", jsLit("noise.bin"), `new Uint8Array(Array.from({length: 4096}, (_, i) => (i * 7919) % 256))`)
			wantError(s, "P-paste-error", "")
		}},
		{"NaNPayloadPasted", func(s *hsession) {
			load(s, "p=0.1,0.2,0.3,0.2,0.2&q=0.2,0.2,0.2,0.2,0.2&reduction=sum&dtype=float64")
			pasteInto(s, "Q", jsLit("[NaN, -NaN, Infinity, -Infinity, 1e-310]"))
			wantResult(s, klCase{p: row("0.1", "0.2", "0.3", "0.2", "0.2"), q: row("NaN", "-NaN", "Infinity", "-Infinity", "1e-310"),
				red: compute.ReductionSum, dt: compute.DTypeFloat64})
		}},
		{"DeeplyNestedPaste", func(s *hsession) {
			load(s, classicFragment)
			start := time.Now()
			pasteInto(s, "P", `"[".repeat(1000000) + "0.5" + "]".repeat(1000000)`)
			wantError(s, "P-paste-error", "nested")
			s.t.Logf("a million nested brackets: error after %v", time.Since(start).Round(time.Millisecond))
			pasteInto(s, "Q", `"[[" + "(".repeat(50000) + "0.5"`)
			wantError(s, "Q-paste-error", "")
		}},
		urlError("NestedBracketsInCell", "p="+esc("[[[[0.5]]]]")+",0.5&q=0.5,0.5", "is not a number"),

		// The Gaussian mode.
		gaussError("GaussHostileValues", "mode=gauss&g=normal&mu1=nan&s1=-1&mu2=1e400&s2=0", "σ"),
		gaussError("GaussMarkup", "mode=gauss&g=normal&mu1="+esc(xssScript)+"&s1="+esc(xssImg)+"&mu2=0&s2=1", "not a number"),
		gaussError("GaussDiagLengths", "mode=gauss&g=diag&mu1=1,2,3&s1=1&mu2=0&s2=1", "μ"),
		gaussError("GaussVAERagged", "mode=gauss&g=vae&mu=1,2;3&logvar=0,0", "μ"),
		gaussError("GaussBadCase", "mode=gauss&g="+esc(xssImg), "must be normal, diag or vae"),
		{"GaussMarkupTyped", func(s *hsession) {
			load(s, "mode=gauss&g=vae")
			setField(s, "gauss-mu", jsLit(xssImg+"\n"+xssScript))
			wantError(s, "gauss-error", "")
		}},
	}
	return cases
}

func TestE2EHostile(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	h := &hostile{p: b.Open(t), root: srv.URL + "/"}
	h.p.AddScript(t, injectionProbe)
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			s := h.session(t)
			before := problemCounts(h.p)
			start := time.Now()
			tc.run(s)
			t.Logf("outcome after %v", time.Since(start).Round(time.Millisecond))
			checkHealthy(s, before)
		})
	}
	checkCleanPage(t, h.p, srv.URL)
}

// TestE2EHostileHuge: a 10 MB fragment and a million values, each within
// a minute, and the page stays usable.
func TestE2EHostileHuge(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	h := &hostile{p: b.Open(t), root: srv.URL + "/"}
	h.p.AddScript(t, injectionProbe)
	const budget = 60 * time.Second

	t.Run("Fragment10MB", func(t *testing.T) {
		s := h.session(t)
		before := problemCounts(h.p)
		load(s, classicFragment)
		// Chromium refuses to navigate to a URL over 2 MB (the navigation is
		// aborted and the page stays as it was) ...
		big := h.root + "#p=" + strings.Repeat("0.5,", 10<<20/4)
		ctx, cancel := context.WithTimeout(s.p.Ctx, budget)
		_, err := chromedp.Run(ctx, chromedp.Navigate(big))
		cancel()
		msg := fmt.Sprint(err)
		t.Logf("navigating to a 10 MB URL: %.80s", msg)
		wantValue(s, classicKL(t), 10*time.Second)
		// ... but a page can set a 10 MB fragment itself.
		start := time.Now()
		setHash(s, `"#p=" + "0.5,".repeat(10 * 1024 * 1024 / 4)`)
		wantError(s, "error", "more than")
		took := time.Since(start)
		t.Logf("10 MB fragment set by the page: error after %v", took.Round(time.Millisecond))
		if took > budget {
			t.Errorf("the 10 MB fragment took %v, more than %v", took, budget)
		}
		checkHealthy(s, before)
	})

	t.Run("MillionValuesPasted", func(t *testing.T) {
		s := h.session(t)
		before := problemCounts(h.p)
		load(s, classicFragment)
		const n = 1000000
		start := time.Now()
		pasteInto(s, "P", `"0.000001,".repeat(999999) + "0.000001"`)
		pasteInto(s, "Q", `"0.0000005,0.0000015,".repeat(499999) + "0.0000005,0.0000015"`)
		p, q := make([]string, n), make([]string, n)
		for i := range p {
			p[i] = "0.000001"
			q[i] = []string{"0.0000005", "0.0000015"}[i%2]
		}
		c := klCase{p: [][]string{p}, q: [][]string{q}}
		wantValue(s, c.want(t).Value, budget)
		took := time.Since(start)
		t.Logf("a million values in P and in Q, pasted: result after %v", took.Round(time.Millisecond))
		if took > budget {
			t.Errorf("took %v, more than %v", took, budget)
		}
		if n := e2e.Eval[int](t, s.p, `document.querySelectorAll("input").length`); n > 5000 {
			t.Errorf("%d inputs in the page for a million values", n)
		}
		// The link is written (after a pause for large states) and reloads.
		poll(s, "the URL", `location.hash.length > 1 && !location.hash.includes("p=0.1,0.4,0.5")`, 30*time.Second)
		href := e2e.Eval[string](t, s.p, `location.href`)
		t.Logf("the link is %d bytes", len(href))
		if len(href) > 2<<20 {
			t.Errorf("the link is %d bytes: Chromium does not open URLs over 2 MB", len(href))
		} else {
			start = time.Now()
			s.p.Navigate(t, "about:blank")
			s.p.Navigate(t, href)
			wantValue(s, c.want(t).Value, budget)
			t.Logf("reloading that link: result after %v", time.Since(start).Round(time.Millisecond))
		}
		checkHealthy(s, before)
	})

	t.Run("MillionValuesDropped", func(t *testing.T) {
		s := h.session(t)
		before := problemCounts(h.p)
		q := make([]string, 1000)
		for i := range q {
			q[i] = []string{"0.0005", "0.0015"}[i%2]
		}
		load(s, "p=0.5,0.5&q="+strings.Join(q, ","))
		start := time.Now()
		// A 1000 × 1000 CSV file of 6 MB.
		dropFile(s, "P", jsLit("big.csv"), `Array.from({length: 1000}, () => "0.001,".repeat(999) + "0.001").join("\n")`)
		p := make([][]string, 1000)
		for i := range p {
			p[i] = strings.Split(strings.Repeat("0.001,", 999)+"0.001", ",")
		}
		wantValue(s, klCase{p: p, q: [][]string{q}}.want(t).Value, budget)
		t.Logf("a 1000×1000 CSV dropped: result after %v", time.Since(start).Round(time.Millisecond))
		checkHealthy(s, before)
	})
	checkCleanPage(t, h.p, srv.URL)
}

// classicKL is the value of the classic example.
func classicKL(t *testing.T) float64 {
	return klCase{p: row("0.1", "0.4", "0.5"), q: row("0.2", "0.3", "0.5")}.want(t).Value
}
