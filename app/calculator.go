package app

import (
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/distill"
	"github.com/klcalc/klcalc/compute/textparse"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// calculator is the root component: it owns the State, keeps it in the
// URL fragment and recomputes the results of both modes on every edit
// (edit → recompute). The views receive what recompute found, the parsed
// problem, the result and the errors, and never parse or compute.
type calculator struct {
	app.Compo

	state    State
	ready    bool  // the URL's state has been applied (never on the server)
	linkErr  error // the share link's problems, as DecodeState joined them; written in words at render
	result   *compute.Result
	resultOf State       // the state result was computed for (see recomputeKL)
	fixes    []fixAction // one per warning of result, in its order (fixNone: none)
	kl       klProblem   // the parsed inputs of result, for the snippet and the comparison on demand
	compare  []compute.FrameworkValue
	chartRow int      // the output row the charts draw, within result's rows
	inputErr []string // shape, temperature and internal errors
	cellErrs []*CellError
	tab      tabData      // what the open tab shows: see edit
	terms    *termSummary // the ranking and histogram of a large result's terms, made in a task of its own (completeResult)
	detected formSwitch   // the form a paste switched to, until the next edit
	parsed   parseCache   // the cells as last parsed, so that an edit parses only what changed
	pending  bool         // a large link is being opened (see loadInSteps)

	// The Gaussian mode, computed while it is shown.
	gauss       gaussInput              // state.Gauss parsed
	gaussResult *compute.GaussianResult // nil when the input is invalid
	gaussErr    error                   // the invalid fields, one GaussError each (joined)

	rl rlData // the RL mode's, computed while it is shown

	copy     copyResult   // what Copy link did
	stopCopy func()       // removes the copy listener
	lang     lang         // resolved: the URL's lang, else the browser's
	urlGen   atomic.Int64 // generation of the latest URL write; an encoding goroutine reads it
	urlDone  int64        // the generation whose link is in the address bar
	edited   bool         // the user has changed something since the page loaded
	linkLoss linkLoss     // why the address bar does not hold the state, if it does not
	wrote    string       // the fragment the app last wrote, escaped
	update   bool         // a new version is installed and waits for a reload

	tensors   *openTensors  // the tensor file last read, for its picker; nil: none
	busy      *fileProgress // a file or a paste being read or computed, shown with its Cancel (see applyTensors)
	sideGen   [2]int        // by side: bumped to abandon a write to it (see claimSides)
	tensorErr string        // the picker's choice that could not be made
	dropErr   string        // why a file dropped outside the panels was not read
	fault     string        // a recovered panic's value, shown until dismissed (recover.go)
	storage   *storageData  // for a 16-bit dtype: what rounding the inputs did

	// Cancel (cancel.go).
	running  atomic.Pointer[fileProgress] // the write that Cancel stops: read by the browser's listener
	canceled string                       // the name of the write last canceled, shown until dismissed
	stopStop func()                       // removes the Cancel listeners
	writing  *fileProgress                // the write whose own step runs now, on the UI goroutine

	gcPercent int // the collector's GOGC as tuneGC last set it (0: not yet)
}

// tabData is what the open tab draws. After an edit it keeps the previous
// result for one frame: the frame of the edit draws the inputs and the
// result card only, and the tab follows in the next one, so that the
// answer appears within a frame however heavy the tab is.
type tabData struct {
	result  *compute.Result
	kl      klProblem
	compare []compute.FrameworkValue
	grad    gradData   // the gradient tab's, computed only while it is open
	flavors flavorData // the distillation tab's, likewise
}

// formSwitch is a form chosen from pasted values (compute.GuessForm),
// shown with an undo until the next edit.
type formSwitch struct {
	Side side
	To   compute.Form
	Clue compute.FormClue // ClueNone: no switch
}

// bigState is the size from which URL writes wait for a pause in typing:
// encoding (and compressing) a large state on every keystroke would make
// typing lag.
const bigState = 200

func newCalculator() *calculator { return &calculator{state: defaultState()} }

// OnMount makes copied text plain ASCII: the page shows minus signs as
// U+2212 and infinity as ∞, which Python does not parse.
func (c *calculator) OnMount(ctx app.Context) {
	defer recoverTo(ctx)
	ctx.Handle(actionFault, c.onFault)
	c.stopCopy = app.Window().AddEventListener("copy", onCopyText)
	c.stopStop = c.listenCancel()
}

// onFault shows a panic that a component recovered from (recover.go).
func (c *calculator) onFault(ctx app.Context, a app.Action) {
	defer recoverTo(ctx)
	if msg, ok := a.Value.(string); ok {
		c.fault = msg
	}
}

func (c *calculator) onFaultDismiss(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	c.fault = ""
}

func (c *calculator) OnDismount() {
	defer recoverLog()
	if c.stopCopy != nil {
		c.stopCopy()
	}
	if c.stopStop != nil {
		c.stopStop()
	}
}

// onCopyText rewrites a copied selection of the page (not of a field,
// whose text the user typed) for Python: − is -, ∞ is inf.
func onCopyText(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	sel := app.Window().Call("getSelection")
	if !sel.Truthy() {
		return
	}
	text := sel.Call("toString").String()
	plain := asciiNumbers(text)
	if plain == text || !e.Get("clipboardData").Truthy() {
		return
	}
	e.Get("clipboardData").Call("setData", "text/plain", plain)
	e.PreventDefault()
}

// OnNav runs on the first load, on back/forward and on a hand-edited
// fragment: the URL is the source of truth.
func (c *calculator) OnNav(ctx app.Context) {
	defer recoverTo(ctx)
	c.guard(func() {
		frag := pageFragment(ctx)
		if c.ready && frag != "" && frag == c.wrote {
			// The link the app itself wrote for the state it holds (a
			// navigation event can arrive late, after the user typed on):
			// reading it back would drop what the link leaves out, such
			// as a space just typed at the end of a cell.
			return
		}
		gen := c.urlGen.Add(1) // a pending URL write is for the state we leave
		c.abandonWrites()
		if app.IsClient && len(frag) > sliceLinkAbove {
			c.loadInSteps(ctx, gen, frag)
			return
		}
		c.pending = false // a large link's steps, if any, were abandoned
		c.applyLink(frag)
		c.recompute()
		if frag == "" {
			c.writeURL(ctx)
		}
	})
}

// sliceLinkAbove is the fragment length from which a link is opened in
// steps, each a task of its own: decoding, parsing and computing a
// 100 000-value link blocked the page for 576 ms at once.
const sliceLinkAbove = 32 << 10

// applyLink makes the state the fragment's, escaped as in the address bar:
// url.Parse's Fragment would turn an escaped "," inside a cell into a
// separator.
func (c *calculator) applyLink(frag string) {
	st, err := DecodeState(frag)
	c.state, c.linkErr = st, err
	c.resolveLang()
	c.ready = true
}

// loadInSteps opens a large link in tasks of its own: decoding it,
// collecting garbage, drawing its inputs, parsing them, computing and
// drawing the result, and (see followTab) the open tab; between two the
// page runs. A navigation or an edit meanwhile abandons the steps.
func (c *calculator) loadInSteps(ctx app.Context, gen int64, frag string) {
	c.pending = true
	c.step(ctx, gen, func(ctx app.Context) {
		st, err := DecodeState(frag) // drawn in a later step
		c.step(ctx, gen, func(ctx app.Context) {
			// The decoding left the collector much to mark; collected
			// here, in a task of its own, it no longer slows the drawing
			// of the inputs (about 150 → 110 ms at 100 × 1 000).
			runtime.GC()
			c.step(ctx, gen, func(ctx app.Context) {
				c.state, c.linkErr = st, err
				c.resolveLang()
				c.ready = true
				c.result, c.tab = nil, tabData{}
				c.refresh()
				c.step(ctx, gen, func(ctx app.Context) {
					c.parsed.parse(sideP, c.state.P) // recompute then parses nothing
					c.parsed.parse(sideQ, c.state.Q)
					c.step(ctx, gen, func(ctx app.Context) {
						c.pending = false
						c.recompute()
						if c.result != nil {
							c.followTab(ctx, tabData{})
						}
						c.refresh()
					})
				})
			})
		})
	})
}

// step runs f on the UI goroutine in a task of its own, unless a
// navigation or an edit has come since generation gen.
func (c *calculator) step(ctx app.Context, gen int64, f func(app.Context)) {
	c.nextTask(ctx, func(ctx app.Context) {
		if c.urlGen.Load() == gen {
			c.guard(func() { f(ctx) })
		}
	})
}

// nextTask runs f on the UI goroutine in a browser task of its own, after
// the current one has drawn what it changed: yielding at once would let
// the next frame's drawing and f share a task. f draws nothing unless it
// calls refresh. It is dispatched on the calculator: ctx.Dispatch would
// update the event's component (a grid, after an edit) instead, or drop f
// once that element is gone.
func (c *calculator) nextTask(ctx app.Context, f func(app.Context)) {
	c.deferred(ctx, func() {
		go func() {
			defer recoverTo(ctx)
			yieldToBrowser()
			c.dispatch(ctx, f)
		}()
	})
}

// dispatch runs f on the UI goroutine, on the calculator, without a render.
func (c *calculator) dispatch(ctx app.Context, f func(app.Context)) {
	ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: c, Function: func(ctx app.Context) {
		defer recoverTo(ctx)
		f(ctx)
	}})
}

// OnAppUpdate runs when the service worker has installed a new version of
// the app (go-app's worker is cache-first, so this page still runs the old
// one). Before the user has changed anything, reloading is invisible and
// gives them the new version on this very visit; afterwards a banner asks,
// so that no typing is lost.
func (c *calculator) OnAppUpdate(ctx app.Context) {
	defer recoverTo(ctx)
	if !c.edited {
		ctx.Reload()
		return
	}
	c.update = true
}

// resolveLang picks the language: the link's, else the browser's, and
// sets <html lang> to it.
func (c *calculator) resolveLang() {
	l, ok := parseLang(c.state.Lang)
	if !ok && app.IsClient {
		l, _ = parseLang(app.Window().Get("navigator").Get("language").String())
	}
	c.lang = l
	if app.IsClient {
		app.Window().Get("document").Get("documentElement").Set("lang", l.String())
		app.Window().Get("document").Set("title", texts(l).Title)
	}
}

// guard runs f and turns a panic into an error message, so that a bug
// never kills the WebAssembly runtime and the page stays usable. Neither
// mode then shows a result.
func (c *calculator) guard(f func()) {
	defer func() {
		if r := recover(); r != nil {
			c.result, c.gaussResult = nil, nil
			c.inputErr = []string{fmt.Sprintf(texts(c.lang).InternalError, r)}
			app.Logf("recovered panic: %v\n%s", r, debug.Stack())
		}
	}()
	f()
}

// recompute parses the state and computes the discrete result and, in the
// Gaussian mode, the Gaussian one. It runs inside guard.
func (c *calculator) recompute() {
	c.tuneGC(c.state.cells(sideP) + c.state.cells(sideQ))
	prev, prevOf := c.result, c.resultOf
	c.result, c.compare, c.inputErr, c.cellErrs, c.storage = nil, nil, nil, nil, nil
	c.gauss, c.gaussResult, c.gaussErr = gaussInput{}, nil, nil
	c.recomputeKL(prev, prevOf)
	c.rl = rlData{}
	if c.state.RLMode {
		c.rl = newRLData(c.state, c.lang)
	}
	c.tab = tabData{result: c.result, kl: c.kl, compare: c.compare}
	if c.result != nil && c.result.HasDetails() {
		c.tabExtras(&c.tab) // a large result's come in a task of their own (followTab)
	}
	if c.result != nil && !c.result.HasDetails() {
		c.tab.result = nil // followTab brings it
	}
	if !c.state.Gaussian {
		return
	}
	in, err := c.state.Gauss.parse()
	if err != nil {
		c.gaussErr = err
		return
	}
	c.computeGauss(in)
}

// computeGauss computes the Gaussian mode's parsed input.
func (c *calculator) computeGauss(in gaussInput) {
	r, err := in.compute()
	if err != nil {
		c.gaussErr = err
		return
	}
	c.gauss, c.gaussResult = in, &r
}

// recomputeKL parses and computes the discrete mode. Its errors show in
// both modes. When only the reduction changed since prev was computed
// for prevOf, prev's terms are divided again instead (at 2 × 1 024 000
// values computing them took 500 ms of wasm).
func (c *calculator) recomputeKL(prev *compute.Result, prevOf State) {
	if prev != nil && c.state.Reduction != prevOf.Reduction && c.state.sameInputs(prevOf) {
		if r, ok := prev.WithReduction(c.state.Reduction); ok {
			if !isLarge(c.kl.p, c.kl.q) {
				r = r.Reference() // a large result's comes in a task of its own (followTab)
			}
			c.kl.opt.Reduction = c.state.Reduction
			c.setResult(r, c.kl.p, c.kl.q, c.kl.opt)
			return
		}
	}
	p, q, opt, cellErrs, err := c.state.problemWith(c.parsed.parse)
	c.cellErrs = cellErrs
	for _, e := range splitErrors(err) {
		var ie *InputError
		if errors.As(e, &ie) {
			c.inputErr = append(c.inputErr, texts(c.lang).inputMessage(c.lang, ie))
		} else {
			c.inputErr = append(c.inputErr, texts(c.lang).computeError(c.lang, e))
		}
	}
	if err != nil || len(cellErrs) > 0 {
		return
	}
	// A large state's value comes first: its float64 reference and its
	// details follow in tasks of their own (followTab). Each is computed in
	// slices, between which this goroutine lets the browser run a task
	// (yieldToBrowser): nothing else runs on the UI goroutine meanwhile,
	// so the state cannot change under it, while the page keeps painting
	// and scrolling, and events wait their turn.
	calc, large := compute.CalculateValue, isLarge(p, q)
	if large {
		calc = func(p, q compute.Side, opt compute.Options) (*compute.Result, error) {
			return compute.CalculateDTypeYield(p, q, opt, c.yieldOrStop, computeSlice)
		}
	}
	r, err := calc(p, q, opt)
	if err == nil && !large {
		r = r.Details()
	}
	if isCanceled(err) {
		return // the edit undoes itself (edit)
	}
	if err != nil {
		c.inputErr = append(c.inputErr, texts(c.lang).computeError(c.lang, err))
		return
	}
	c.setResult(r, p, q, opt)
}

// setResult makes r, computed from p, q and opt, the discrete mode's
// result, with what follows from it: its storage panel, its warnings in
// order with their fixes, and the comparison when the state is small.
func (c *calculator) setResult(r *compute.Result, p, q compute.Side, opt compute.Options) {
	c.result, c.resultOf = r, c.state
	c.kl = klProblem{p: p, q: q, opt: opt, out: r.Shape, scaleT2: c.state.ScaleT2}
	c.storage = nil
	if sd, ok := storageCheck(p, q, opt, r.Value); ok {
		c.storage = &sd
	}
	sortWarnings(r.Warnings)
	c.fixes = make([]fixAction, len(r.Warnings))
	for i, w := range r.Warnings {
		c.fixes[i] = warningFix(w, c.state, p, q)
		if c.state.size() <= CompareEagerly { // a large state would compute twice per edit
			c.fixes[i].preview(c.state)
		}
	}
	c.chartRow = min(c.chartRow, chartRows(r)-1)
	if len(p.Data.Data)+len(q.Data.Data) <= CompareEagerly {
		c.compare = compute.CompareFrameworks(p.Probabilities(), q.Probabilities(), r)
	}
}

// isLarge reports whether a problem is computed in steps (in the browser,
// above detailsAbove values): see recomputeKL.
func isLarge(p, q compute.Side) bool {
	return app.IsClient && len(p.Data.Data)+len(q.Data.Data) > detailsAbove
}

// parseInSteps is the length of a paste from which it is parsed in slices.
const parseInSteps = 256 << 10

// computeSlice is how long a large result is computed before the browser
// gets a task of its own; a pause costs about 4 ms.
const computeSlice = 40 * time.Millisecond

// detailsAbove is the size (values of P and Q) above which an edit shows
// the value first and the breakdown and related quantities, which only the
// tabs show, in a task of its own (see followTab).
const detailsAbove = 20000

// CompareEagerly is the size (values of P and Q) up to which every edit
// also computes what the other libraries return; above it that waits for a
// click, so typing stays quick.
const CompareEagerly = 20000

func (c *calculator) onCompare(ctx app.Context) {
	c.guard(func() {
		if c.result != nil {
			c.compare = compute.CompareFrameworks(c.kl.p.Probabilities(), c.kl.q.Probabilities(), c.result.Details())
			c.tab.compare = c.compare
		}
		c.refresh()
	})
}

// writeURL replaces the page URL (no reload, no history entry) with the
// state, keeping the current path so that links work under a sub-path. A
// large state's link is written after a pause in typing, and encoded in
// slices between which the page keeps running: an edit meanwhile
// abandons it.
func (c *calculator) writeURL(ctx app.Context) {
	gen := c.urlGen.Add(1)
	if c.state.size() < bigState || !app.IsClient {
		c.replaceURL(ctx, gen, c.state.Encode(), 0)
		return
	}
	st := c.state // its rows are never changed in place (see State.detach)
	current := func() bool { return c.urlGen.Load() == gen }
	go func() {
		defer recoverTo(ctx)
		time.Sleep(400 * time.Millisecond)
		if !current() {
			return
		}
		enc, over, ok := st.encodeWithin(func() bool {
			yieldToBrowser()
			return current()
		}, linkRoom())
		if !ok {
			return
		}
		c.dispatch(ctx, func(ctx app.Context) {
			if current() {
				c.replaceURL(ctx, gen, enc, over)
			}
		})
	}()
}

// linkRoom is the longest fragment the address bar can take: maxLink less
// the page's address and the '#'.
func linkRoom() int { return maxLink - len(pageBase()) - 1 }

// flushURL writes a pending link at once, for Copy link.
func (c *calculator) flushURL(ctx app.Context) {
	if gen := c.urlGen.Load(); c.urlDone != gen {
		enc, over, _ := c.state.encodeWithin(nil, linkRoom())
		c.replaceURL(ctx, gen, enc, over)
	}
}

// maxLink is the longest URL Chromium accepts (2 MB); a longer link would
// fail to open, so it is not written and the page says so.
const maxLink = 2 << 20

// replaceURL puts enc, the link of generation gen, in the address bar,
// through go-app, which must know the page's URL to tell a later Back
// from a visit to the same page. The URL is built from location's parts,
// not read whole: go-app's Page().URL() reads and parses the whole href
// (about 50 ms at 100 000 values), and a large state's link is compressed,
// so unescaping it is a scan.
func (c *calculator) replaceURL(ctx app.Context, gen int64, enc string, over int) {
	c.urlDone = gen
	base := pageBase()
	loss := c.state.linkLoss(enc, len(base))
	if loss.Problem == lossNone && over > 0 {
		// The encoding stopped once every link was longer than the room.
		loss = linkLoss{Problem: lossTooLong, Size: over, Limit: maxLink - len(base), AtLeast: true}
	}
	if loss != c.linkLoss {
		c.linkLoss = loss
		c.Update()
	}
	if loss.Problem != lossNone {
		// An empty fragment opens the default example, which is better
		// than a link that fails to open or reopens other data; the page
		// says so (renderLinkNotice).
		enc = ""
	}
	c.wrote = enc
	if !app.IsClient {
		return
	}
	u, err := url.Parse(base)
	if err != nil {
		return // RepairLocation makes it parse
	}
	u.RawFragment = enc
	u.Fragment, _ = url.PathUnescape(enc)
	ctx.Page().ReplaceURL(u)
}

// pageBase is the page's URL without its fragment, read from location.
func pageBase() string {
	if !app.IsClient {
		return "/"
	}
	loc := app.Window().Get("location")
	return loc.Get("origin").String() + loc.Get("pathname").String() + loc.Get("search").String()
}

// pageFragment is the page's fragment as the address bar holds it, escaped,
// without '#'.
func pageFragment(ctx app.Context) string {
	if !app.IsClient {
		return ctx.Page().URL().EscapedFragment()
	}
	return strings.TrimPrefix(app.Window().Get("location").Get("hash").String(), "#")
}

// edit applies a change made by the user. It leaves performance marks in
// the page (kl-compute: the computation; kl-edit: through the re-render),
// which the benchmarks read.
func (c *calculator) edit(ctx app.Context, f func(s *State)) {
	start := time.Now()
	mark(ctx, "mark", "kl-edit-start")
	c.guard(func() {
		old := c.state
		c.state.detach()
		c.detected, c.pending = formSwitch{}, false
		f(&c.state)
		c.state.keepUnchanged(old)
		c.copy, c.edited = copyNone, true
		shown := c.tab
		c.recompute()
		if p := c.writing; p != nil {
			// This edit is a file's or a paste's (computeNext): canceled
			// during its computation, it is undone before anything is
			// drawn or written to the link; else its result is in and
			// Cancel is too late.
			if p.stop.Load() {
				c.cancelWrite(ctx, p)
				return
			}
			c.endWrite(p)
		}
		if app.IsClient && c.result != nil && (shown.result != nil || !c.result.HasDetails()) {
			c.followTab(ctx, shown)
		}
		// Edits can arrive from a child's asynchronous callback (a file
		// read), which go-app would only re-render the child for.
		c.Update()
		mark(ctx, "measure", "kl-compute", "kl-edit-start")
		c.writeURL(ctx)
	})
	c.deferred(ctx, func() { mark(ctx, "measure", "kl-edit", "kl-edit-start") })
	if app.IsClient && time.Since(start) > computeSlice {
		// The computation's last slice and the drawing in tasks of their
		// own: together they made a task of more than 200 ms at
		// 2 × 1 024 000 values.
		yieldToBrowser()
	}
	renderNow(ctx)
}

// followTab shows shown in the open tab for the frame of an edit, and
// then the new result: a heavy tab never delays the answer (see tabData).
// A result without its reference or details gets them in tasks of their
// own first (completeResult): at 2 × 1 024 000 values each is about as
// long as the value itself.
func (c *calculator) followTab(ctx app.Context, shown tabData) {
	next, r := c.tab, c.result
	c.tab = shown
	if r.HasDetails() && r.HasReference() {
		c.deferred(ctx, func() {
			c.tab = next
			c.refresh()
		})
		return
	}
	c.nextTask(ctx, func(ctx app.Context) { c.completeResult(ctx, r, next) })
}

// completeResult brings what result r lacks, a step per task: its float64
// reference and the warnings that need it, its details (Terms, then
// Related), the ranking and histogram of a large result's terms, the open
// tab's own computation (the gradients or the flavours), then the drawing
// of the tab. An edit or a navigation meanwhile shows its own result, and
// the steps stop.
func (c *calculator) completeResult(ctx app.Context, r *compute.Result, next tabData) {
	if c.result != r {
		return
	}
	if !r.HasReference() {
		var ref *compute.Result
		c.guard(func() { ref = r.Reference() })
		if ref == nil {
			return
		}
		c.setResult(ref, c.kl.p, c.kl.q, c.kl.opt)
		c.refresh()
		c.nextTask(ctx, func(ctx app.Context) { c.completeResult(ctx, ref, next) })
		return
	}
	var terms *compute.Result
	c.guard(func() { terms = r.WithTerms() })
	if terms == nil {
		return
	}
	c.nextTask(ctx, func(ctx app.Context) {
		if c.result != r {
			return
		}
		var d *compute.Result
		c.guard(func() { d = terms.Details() })
		if d == nil {
			return
		}
		if d.Terms.Len() < summaryInTask || c.terms.of(d) {
			c.drawTab(ctx, r, d, next)
			return
		}
		c.nextTask(ctx, func(ctx app.Context) {
			if c.result != r {
				return
			}
			c.guard(func() { c.terms = summarize(d) })
			c.drawTab(ctx, r, d, next)
		})
	})
}

// drawTab shows d, the details of the current result r, in the open tab,
// after the tab's own computation if it has one, each in a task of its
// own.
func (c *calculator) drawTab(ctx app.Context, r, d *compute.Result, next tabData) {
	draw := func(ctx app.Context) {
		if c.result != r {
			return
		}
		c.result = d
		next.result = d
		c.tab = next
		c.refresh()
	}
	if !c.needsExtras() {
		c.nextTask(ctx, draw)
		return
	}
	c.nextTask(ctx, func(ctx app.Context) {
		if c.result != r {
			return
		}
		c.guard(func() { c.tabExtras(&next) })
		c.nextTask(ctx, draw)
	})
}

// needsExtras reports whether the open tab computes something of its own.
func (c *calculator) needsExtras() bool {
	return c.state.View == viewGradient || c.state.View == viewDistill
}

// tabExtras computes what the open tab needs beyond the result: the
// gradients, or the distillation flavours.
func (c *calculator) tabExtras(t *tabData) {
	switch c.state.View {
	case viewGradient:
		t.grad = newGradData(c.kl, c.distillT2())
	case viewDistill:
		t.flavors = newFlavorData(c.kl, c.state, c.lang)
	}
}

// deferred runs f after the next frame's updates, as ctx.Defer does, but
// on the calculator rather than on the event's element, which the edit
// may have removed: go-app drops a deferred function whose source is no
// longer mounted.
func (c *calculator) deferred(ctx app.Context, f func()) {
	ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Defer, Source: c, Function: func(ctx app.Context) {
		defer recoverTo(ctx)
		f()
	}})
}

// mark calls performance.mark or performance.measure in the browser.
func mark(ctx app.Context, method string, args ...any) {
	if !app.IsClient {
		return
	}
	if p := app.Window().Get("performance"); p.Truthy() {
		p.Call(method, args...)
	}
}

func (c *calculator) onCell(ctx app.Context, sd side, row, col int, v string) {
	c.materialize(sd)
	c.edit(ctx, func(s *State) { s.setCell(sd, row, col, v) })
}

// materialize gives side sd cell text in place of its values (State.PVals)
// before an edit of its cells, and tells the parse cache their values, so
// that the edit parses only the row it changes: 1 024 000 cells took
// 600 ms of wasm to parse.
func (c *calculator) materialize(sd side) {
	if v := *c.state.vals(sd); v != nil {
		text := formatRows(v)
		c.parsed.seed(sd, text, v)
		c.state.setText(sd, text)
	}
}

// onResize changes a grid's shape. A class added or removed on one side
// goes to the other too while both have as many classes and the link is
// on, so that P and Q keep broadcasting.
func (c *calculator) onResize(ctx app.Context, sd side, op resizeOp) {
	c.materialize(sideP)
	c.materialize(sideQ)
	c.edit(ctx, func(s *State) { s.resize(sd, op) })
}

// onSwap exchanges P and Q.
func (c *calculator) onSwap(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	c.edit(ctx, (*State).swap)
}

func (c *calculator) onLinked(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	on := ctx.JSSrc().Get("checked").Bool()
	c.edit(ctx, func(s *State) { s.Unlinked = !on })
}

func (c *calculator) onPaste(ctx app.Context, sd side, text string) error {
	if isStateFile(text) {
		c.openStateFile(ctx, text)
		return nil
	}
	// A large paste is parsed in slices, as a large result is computed
	// (see recomputeKL): 1 500 000 values took 830 ms of wasm at once.
	// The page says so meanwhile, with a Cancel that undoes the paste.
	var m textparse.Matrix
	var err error
	prog := &fileProgress{Name: texts(c.lang).Files.Pasted, Reading: true, undo: c.undoPoint()}
	if app.IsClient && len(text) > parseInSteps {
		c.startWrite(ctx, prog)
		c.writing = prog
		m, err = textparse.ParseYield(text, c.yieldOrStop, computeSlice)
		if isCanceled(err) {
			c.cancelWrite(ctx, prog)
			return nil
		}
		c.endWrite(prog)
	} else {
		m, err = textparse.Parse(text)
	}
	if err != nil {
		return err
	}
	if len(m.Rows) > 1 && len(m.Rows[0]) == 1 {
		// A spreadsheet column is one distribution, not C rows of one class.
		col := make([]float64, len(m.Rows))
		for i, r := range m.Rows {
			col[i] = r[0]
		}
		m.Rows, m.Dims = [][]float64{col}, 1
	}
	// The values stay numbers, as a tensor file's do (State.PVals): their
	// cells show FormatFloat's text. A large paste's result is computed
	// after a frame that says so.
	put := func(ctx app.Context) { c.putPaste(ctx, sd, m) }
	n := 0
	for _, r := range m.Rows {
		n += len(r)
	}
	if !app.IsClient || n <= formatInSteps {
		put(ctx)
		return nil
	}
	current := c.claimSides([]side{sd})
	c.computeNext(ctx, prog, current, put)
	return nil
}

// putPaste puts the pasted values m on side sd.
func (c *calculator) putPaste(ctx app.Context, sd side, m textparse.Matrix) {
	c.edit(ctx, func(s *State) {
		s.setVals(sd, m.Rows)
		*s.shape(sd) = nil
		if len(m.Shape) > 2 && len(m.Shape) <= maxShapeDims {
			*s.shape(sd) = slices.Clone(m.Shape) // a 3-D or 4-D printout keeps its shape
		}
		if len(m.Rows) == 1 && (m.Dims == 1 || m.Dims == 2) {
			s.Dims = m.Dims
		}
		// Values that cannot be probabilities say what they are.
		form := &s.PForm
		if sd == sideQ {
			form = &s.QForm
		}
		if *form == compute.FormProb {
			if f, clue := compute.GuessForm(m.Rows); clue != compute.ClueNone {
				*form = f
				c.detected = formSwitch{Side: sd, To: f, Clue: clue}
			}
		}
	})
}

func (c *calculator) onForm(ctx app.Context, sd side, f compute.Form) {
	c.edit(ctx, func(s *State) {
		if sd == sideP {
			s.PForm = f
		} else {
			s.QForm = f
		}
	})
}

func (c *calculator) onTemp(ctx app.Context, sd side, t string) {
	c.edit(ctx, func(s *State) {
		if sd == sideP {
			s.PTemp = t
		} else {
			s.QTemp = t
		}
	})
}

func (c *calculator) onOptions(ctx app.Context, o optionValues) {
	c.edit(ctx, func(s *State) {
		s.Reduction, s.DType, s.Dims, s.Unit = o.Reduction, o.DType, o.Dims, o.Unit
	})
}

func (c *calculator) setLang(ctx app.Context, l lang) {
	c.edit(ctx, func(s *State) { s.Lang = l.String() })
	c.resolveLang()
}

func (c *calculator) onMode(ctx app.Context, m pageMode) {
	c.edit(ctx, func(s *State) { s.Gaussian, s.RLMode = m == modeGauss, m == modeRL })
}

// onGaussCase and onGaussField apply the Gaussian view's edits to the
// state the calculator holds, like onCell, so that no edit is computed
// from the view's copy of an older state.
func (c *calculator) onGaussCase(ctx app.Context, gc gaussCase) {
	c.edit(ctx, func(s *State) { s.Gauss = s.Gauss.withCase(gc) })
}

func (c *calculator) onGaussField(ctx app.Context, f gaussField, text string) {
	c.edit(ctx, func(s *State) { s.Gauss = s.Gauss.withField(f, text) })
}

// refresh renders the calculator after a change made outside edit, such
// as a step that nextTask dispatched without a render.
func (c *calculator) refresh() {
	if c.Mounted() {
		c.Update()
	}
}

// onChartRow keeps the reader's choice of chart row; it is not part of
// the state (nor of the link).
func (c *calculator) onChartRow(ctx app.Context, row int) {
	c.chartRow = row
	c.refresh()
}

func (c *calculator) copyLink(ctx app.Context) {
	c.guard(func() {
		c.flushURL(ctx)
		if c.linkLoss.Problem != lossNone {
			// The bare address would reopen the default example.
			c.copy = copyNoLink
			c.refresh()
			return
		}
		link := app.Window().Get("location").Get("href").String()
		copyText(ctx, link, func(r copyResult) {
			c.copy = r
			c.refresh()
		})
	})
}

func (c *calculator) cellErrsFor(sd side) map[[2]int]string {
	t := texts(c.lang)
	m := map[[2]int]string{}
	for _, e := range c.cellErrs {
		if e.Side == sd {
			m[[2]int{e.Row, e.Col}] = t.cellError(e, c.cellText(e))
		}
	}
	return m
}

// distillT2 is T² when both sides are logits at one temperature T ≠ 1,
// the knowledge-distillation setting, else 0.
func (c *calculator) distillT2() float64 {
	st := c.state
	if st.PForm != compute.FormLogits || st.QForm != compute.FormLogits {
		return 0
	}
	tp, err1 := parseTemp(sideP, st.PTemp)
	tq, err2 := parseTemp(sideQ, st.QTemp)
	if err1 != nil || err2 != nil || tp != tq || tp == 1 {
		return 0
	}
	return tp * tp
}

func (c *calculator) cellText(e *CellError) string {
	rows := *c.state.rows(e.Side)
	if e.Row < len(rows) && e.Col < len(rows[e.Row]) {
		return rows[e.Row][e.Col]
	}
	return ""
}

func (c *calculator) errorMessages() []string {
	t := texts(c.lang)
	var msgs []string
	msgs = append(msgs, t.linkMessages(c.lang, c.linkErr)...)
	for i, e := range c.cellErrs {
		if i == 10 {
			msgs = append(msgs, fmt.Sprintf(t.MoreCells, len(c.cellErrs)-10))
			break
		}
		msgs = append(msgs, t.cellError(e, c.cellText(e)))
	}
	return append(msgs, c.inputErr...)
}

// Render draws the page: a header with the tools, then the workspace, the
// inputs beside the result and its tabs (one column on a phone, where a
// compact result bar stays in view).
func (c *calculator) Render() (ui app.UI) {
	defer recoverRender(&ui)
	st, t, l := c.state, texts(c.lang), c.lang
	return app.Elem("div").Class("page").OnDragOver(c.onPageDragOver).OnDrop(c.onPageDrop).Body(
		// In the prerendered page: without JavaScript nothing else works.
		app.Elem("noscript").Body(app.Elem("p").Class("noscript").Text(noScriptText)),
		newTopBar().Lang(l).Mode(st.mode()).Copied(c.copy).Editor(c),
		// A stable slot: a banner that appeared as a sibling of <main>
		// would make go-app rebuild all that follows it.
		app.Elem("div").Class("update-slot").Body(
			newLinkNotice().Lang(l).Loss(c.linkLoss).Saver(c),
			// Always there, as #link-status: a condition that comes and goes
			// before the update banner's kept go-app v9.8.0 from adding the
			// banner (TestE2EUpdate).
			c.renderDropStatus(t),
			c.renderFault(t),
			app.If(c.update, app.Elem("div").ID("update").Class("update").Attr("role", "status").Body(
				app.Text(t.UpdateReady+" "),
				app.Button().Type("button").ID("update-reload").Text(t.Reload).OnClick(func(ctx app.Context, e app.Event) {
					defer recoverTo(ctx)
					ctx.Reload()
				}),
			)),
		),
		optional(st.RLMode, c.renderRL),
		app.If(st.Gaussian, app.Elem("main").ID("calculator").Class("gauss-mode").Body(
			c.renderErrors(),
			app.If(c.ready, c.renderGauss()),
			app.If(!c.ready, app.Elem("p").ID("loading").Class("loading").Text(t.Loading)),
		)).ElseIf(!st.RLMode, c.renderWorkspace(t)),
		app.Elem("footer").Class("foot").Body(
			app.Elem("p").Text(t.Footer),
		),
	)
}

// renderDropStatus says why a file dropped outside the panels was not
// read; empty otherwise.
func (c *calculator) renderDropStatus(t *uiText) app.UI {
	return dismissable("drop-status", "drop-dismiss", c.dropErr, t.Files.Dismiss, c.onDropDismiss)
}

// renderFault says that something failed inside the app and that the
// page still works; empty otherwise.
func (c *calculator) renderFault(t *uiText) app.UI {
	msg := ""
	if c.fault != "" {
		msg = fmt.Sprintf(t.InternalError, c.fault)
	}
	return dismissable("fault", "fault-dismiss", msg, t.Files.Dismiss, c.onFaultDismiss)
}

// dismissable is a notice at the top of the page with a button that
// dismisses it; an empty msg leaves the element empty, so that it keeps
// its place among its siblings (see Render).
func dismissable(id, buttonID, msg, dismiss string, onDismiss app.EventHandler) app.UI {
	if msg == "" {
		return app.Elem("div").ID(id).Class("link-status")
	}
	return app.Elem("div").ID(id).Class("link-status notice").Attr("role", "alert").Body(
		app.P().Text(msg),
		app.Button().Type("button").ID(buttonID).Text(dismiss).OnClick(onDismiss),
	)
}

// noScriptText is shown without JavaScript, in both languages at once: the
// page cannot know the reader's language then.
const noScriptText = "This calculator runs in your browser and needs JavaScript and WebAssembly: please turn JavaScript on. " +
	"이 계산기는 브라우저 안에서 실행되므로 JavaScript와 WebAssembly가 필요합니다. JavaScript를 켜 주세요."

// renderWorkspace is the discrete mode: the inputs, and beside them the
// result card and the open tab.
func (c *calculator) renderWorkspace(t *uiText) app.UI {
	st, l := c.state, c.lang
	shown := c.ready && c.result != nil
	return app.Elem("main").ID("calculator").Class("workspace").Body(
		// Always there, empty without a result: a child that comes and goes
		// before the inputs would shift them, and go-app would rebuild them
		// under the user's typing.
		c.renderResultBar(t),
		app.Elem("section").Class("inputs-col").Aria("label", t.InputsLabel).Body(
			app.Elem("div").Class("input-tools").Body(
				app.Button().Type("button").ID("swap").Text("⇄ "+t.SwapPQ).OnClick(c.onSwap),
				app.Label().Class("linked").Body(
					app.Input().Type("checkbox").ID("linked").Checked(!st.Unlinked).OnChange(c.onLinked),
					app.Text(" "+t.LinkClasses),
				),
			),
			// A stable slot, as above.
			app.Elem("div").Class("file-slot").Body(
				c.renderFileProgress(t),
				c.renderCanceled(t),
				optional(c.tensors != nil, func() app.UI {
					return newTensorPicker().Lang(l).File(c.tensors.summary).Err(c.tensorErr).Editor(c)
				}),
			),
			app.Elem("div").Class("inputs").Body(
				c.sidePanel(sideP),
				c.sidePanel(sideQ),
			),
			c.optionsPanel(),
			c.renderErrors(),
		),
		app.Elem("section").Class("output-col").Aria("label", t.OutputLabel).Body(
			app.If(!c.ready || c.pending, app.Elem("p").ID("loading").Class("loading").Text(t.Loading)),
			// Where the result would be, so that it is seen: why there is none.
			optional(c.ready && !c.pending && c.result == nil, func() app.UI {
				msgs := c.errorMessages()
				return app.Elem("section").ID("no-result").Class("result-panel no-result").Aria("labelledby", "no-result-heading").Body(
					app.Elem("h2").ID("no-result-heading").Text(t.NoResult),
					app.Elem("ul").Body(app.Range(msgs).Slice(func(i int) app.UI { return app.Elem("li").Text(msgs[i]) })),
				)
			}),
			app.If(shown, newResultView().Lang(l).Result(c.result).TSquared(c.distillT2()).Scaled(st.ScaleT2).Fixes(c.fixes).Editor(c)),
			app.Elem("div").Class("storage-slot").Body(
				optional(shown && c.storage != nil, func() app.UI { return newStoragePanel().Lang(l).Data(*c.storage) }),
			),
			app.If(shown, newTabBar().Lang(l).Open(st.View).Opener(c)),
			// data-value: the value of the result the tab draws, which an
			// edit's next frame brings up to date.
			// stale: the tab still shows the result before the last edit,
			// whose details are being computed; dimmed after a moment
			// (calc.css), so that one frame of it never flickers.
			app.If(shown, app.Elem("div").ID("view").Class("view").Attr("role", "tabpanel").
				DataSet("value", c.tabValue()).
				DataSet("stale", yesNo(c.tabStale())).
				Aria("busy", c.tabStale()).
				Aria("labelledby", "tab-"+st.View.String()).Body(c.renderView())),
		),
	)
}

// sidePanel is the editor of one side. Its fields are data and the
// calculator itself, so that go-app skips it when they did not change.
func (c *calculator) sidePanel(sd side) *sidePanel {
	st, t := c.state, texts(c.lang)
	p := newSidePanel().Side(sd).Lang(c.lang).CellErrors(c.cellErrsFor(sd)).Editor(c)
	if c.detected.Side == sd && c.detected.Clue != compute.ClueNone {
		p.Detected(c.detected)
	}
	if sd == sideP {
		return p.Title(t.TargetTitle).Rows(st.P).Vals(st.PVals).Shape(st.PShape).Form(st.PForm).Temp(st.PTemp)
	}
	return p.Title(t.InputTitle).Rows(st.Q).Vals(st.QVals).Shape(st.QShape).Form(st.QForm).Temp(st.QTemp)
}

func (c *calculator) optionsPanel() *optionsPanel {
	st := c.state
	return newOptionsPanel().Lang(c.lang).Editor(c).
		Values(optionValues{Reduction: st.Reduction, DType: st.DType, Dims: st.effectiveDims(), Unit: st.Unit}).
		SingleRow(st.numRows(sideP) == 1 && st.numRows(sideQ) == 1)
}

// renderView is the open tab; the others are not rendered at all.
func (c *calculator) renderView() app.UI {
	l, r := c.lang, c.tab.result
	if r == nil {
		return app.Elem("div") // app.If evaluates its branch even when false
	}
	switch c.state.View {
	case viewCharts:
		return newChartView().Lang(l).Result(r).Row(c.chartRow).Picker(c)
	case viewRelated:
		return newRelatedView().Lang(l).Result(r)
	case viewLibraries:
		return newCompareView().Lang(l).Values(c.tab.compare).Comparer(c)
	case viewCode:
		return newSnippetView().Lang(l).Problem(c.tab.kl)
	case viewGradient:
		return newGradView().Lang(l).Data(c.tab.grad).Result(r).Row(c.chartRow).Editor(c)
	case viewDistill:
		return newDistillView().Lang(l).Data(c.tab.flavors).Flavor(c.state.Flavor).Fields(c.state.Mask, c.state.Beta).Editor(c)
	}
	t := texts(l)
	return app.Elem("div").Body(
		app.Elem("div").Class("downloads").Body(
			app.Button().Type("button").ID("download-terms").Text("⤓ "+t.DownloadTerms).OnClick(c.onDownloadTerms),
			app.If(len(r.RowSums) > 1, app.Button().Type("button").ID("download-rows").Text("⤓ "+t.DownloadRows).OnClick(c.onDownloadRows)),
		),
		reductionsTable(l, r), newBreakdownView().Lang(l).Result(r).Summary(c.terms))
}

// tabValue is the value of the result the open tab draws, as #result's
// data-value writes it.
// tabStale reports whether the open tab still shows the result before
// the last edit (see followTab).
func (c *calculator) tabStale() bool { return c.tab.result != nil && c.tab.result != c.result }

// yesNo is a data attribute's value: go-app writes "true" as a bare
// attribute in the pre-rendered page.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (c *calculator) tabValue() string {
	if c.tab.result == nil {
		return ""
	}
	return compute.FormatFloat(c.tab.result.Value)
}

func (c *calculator) onDownloadTerms(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if r := c.tab.result; r != nil {
		saveFile(ctx, "kl_div-terms.csv", "text/csv", breakdownCSV(r))
	}
}

func (c *calculator) onDownloadRows(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if r := c.tab.result; r != nil {
		saveFile(ctx, "kl_div-rows.csv", "text/csv", rowsCSV(r))
	}
}

// renderResultBar is the phone's compact result, kept in view while the
// inputs scroll: the printed value and the first warning. It repeats the
// result card for the eye only.
func (c *calculator) renderResultBar(t *uiText) app.UI {
	r := c.result
	if r == nil && c.ready && !c.pending {
		if msgs := c.errorMessages(); len(msgs) > 0 {
			return app.Elem("div").Class("result-bar").Aria("hidden", true).Body(
				app.Elem("span").Class("bar-value").Text(t.NoResult),
				app.Elem("span").Class("bar-warning").Text(msgs[0]),
			)
		}
	}
	if r == nil || !c.ready {
		return app.Elem("div").Class("result-bar").Aria("hidden", true)
	}
	_, printed, _ := headline(r, c.distillT2(), c.state.ScaleT2)
	if r.Reduction == compute.ReductionNone {
		printed = compute.ShapeString(r.Shape) + " · Σ " + show(r.Sum)
	}
	var warn string
	if len(r.Warnings) > 0 {
		warn = t.warnTitle(r.Warnings[0])
	}
	return app.Elem("div").Class("result-bar").Aria("hidden", true).Body(
		app.Elem("span").Class("bar-value "+specialClass(r.Value)).Text(printed),
		app.If(warn != "", app.Elem("span").Class("bar-warning").Text(warn)),
	)
}

// onFix applies a warning's fix as an edit of its own: the page's entry
// is kept in the history first, so that Back returns to it.
func (c *calculator) onFix(ctx app.Context, a fixAction) {
	if h := app.Window().Get("history"); h.Truthy() {
		h.Call("pushState", nil, "", app.Window().Get("location").Get("href"))
	}
	c.edit(ctx, a.apply)
}

// setScaleT2 turns the T² headline on or off; the link keeps it.
func (c *calculator) setScaleT2(ctx app.Context, on bool) {
	c.edit(ctx, func(s *State) { s.ScaleT2 = on })
}

// onFlavor chooses the distillation tab's flavour; the link keeps it.
func (c *calculator) onFlavor(ctx app.Context, f distill.Flavor) {
	c.edit(ctx, func(s *State) { s.Flavor = f })
}

// onDistillField takes the token mask or GKD's β as typed.
func (c *calculator) onDistillField(ctx app.Context, mask bool, text string) {
	c.edit(ctx, func(s *State) {
		if mask {
			s.Mask = text
		} else {
			s.Beta = text
		}
	})
}

// onView opens a tab; the link keeps it.
func (c *calculator) onView(ctx app.Context, v view) {
	c.edit(ctx, func(s *State) { s.View = v })
}

// renderRL is the RL mode's view of what recompute found.
func (c *calculator) renderRL() app.UI {
	return newRLView().Lang(c.lang).State(c.state.RL).Mask(c.state.Mask).DType(c.state.DType).Data(c.rl).Editor(c)
}

// onRLColumns fills the RL mode's fields from pasted or dropped columns.
func (c *calculator) onRLColumns(ctx app.Context, text string) error {
	logp, ref, mask, seq, err := rlColumnsFrom(text)
	if err != nil {
		return err
	}
	c.edit(ctx, func(s *State) { s.RL.LogP, s.RL.Ref, s.Mask, s.RL.Seq = logp, ref, mask, seq })
	return nil
}

// onRLDType chooses the dtype the estimates are computed in.
func (c *calculator) onRLDType(ctx app.Context, dt compute.DType) {
	c.edit(ctx, func(s *State) { s.DType = dt })
}

// onRLField takes an RL column, or a controller field ("ctl-beta=0.2"), as typed.
func (c *calculator) onRLField(ctx app.Context, f rlField, text string) {
	c.edit(ctx, func(s *State) {
		switch f {
		case rlFieldLogP:
			s.RL.LogP = text
		case rlFieldRef:
			s.RL.Ref = text
		case rlFieldMask:
			s.Mask = text
		case rlFieldSeq:
			s.RL.Seq = text
		case rlFieldPi:
			s.RL.Pi = text
		case rlFieldPiRef:
			s.RL.PiRef = text
		case rlFieldCtl:
			id, v, _ := strings.Cut(text, "=")
			switch id {
			case "ctl-beta":
				s.RL.CtlBeta = v
			case "ctl-target":
				s.RL.CtlTarget = v
			case "ctl-steps":
				s.RL.CtlSteps = v
			case "ctl-horizon":
				s.RL.CtlHorizon = v
			}
		}
	})
}

// onRLPreset chooses the framework; the link keeps it.
func (c *calculator) onRLPreset(ctx app.Context, key string) {
	c.edit(ctx, func(s *State) {
		s.RL.Preset = key
		if key == "plain" {
			s.RL.Preset = ""
		}
	})
}

// renderGauss is the Gaussian mode's view of what recompute found.
func (c *calculator) renderGauss() *gaussView {
	return newGaussView().Lang(c.lang).State(c.state.Gauss).
		Input(c.gauss).Result(c.gaussResult).Errors(c.gaussErr).
		Editor(c).View(c.state.View).Opener(c)
}

func (c *calculator) renderErrors() app.UI {
	msgs := c.errorMessages()
	return app.Elem("div").ID("error").Class("errors").Attr("role", "alert").Body(
		app.If(len(msgs) > 0, app.Elem("ul").Body(
			app.Range(msgs).Slice(func(i int) app.UI { return app.Elem("li").Text(msgs[i]) }),
		)),
	)
}

// saveState downloads the state as a file that reopens it.
func (c *calculator) saveState(ctx app.Context) {
	c.guard(func() {
		saveFile(ctx, stateFileName, "text/plain", string(c.state.encodeFile()))
	})
}

// openStateFile replaces the whole state by a saved one, as opening its
// link would, with the file's problems shown as a link's are.
func (c *calculator) openStateFile(ctx app.Context, text string) {
	st, err := decodeStateFile(text)
	c.guard(func() {
		c.state, c.linkErr = st, err
		c.detected = formSwitch{}
		c.edited = true
		c.resolveLang()
		c.recompute()
		if app.IsClient && c.result != nil {
			c.followTab(ctx, tabData{})
		}
		c.writeURL(ctx)
		c.Update()
	})
}
