package app

import (
	"fmt"
	"strconv"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// rlData is what the RL mode draws, computed by the calculator from the
// state (rl.go): every estimator the preset offers, per token, per
// sequence and reduced, and the controller's step.
type rlData struct {
	Errs     []string // the inputs' errors, in the reader's language
	Preset   string   // the preset's key
	Name     string   // the framework's name
	OldNew   bool     // estimates KL(π_old ‖ π_new) (cleanrl, sb3)
	Tokens   int
	Counted  int
	NegK1    int       // counted tokens with k1 < 0
	LogRatio []float64 // log r = log π_ref − log π per token
	Seq      []int     // each token's sequence id
	Mask     []bool    // nil: every token counts
	SeqIDs   []int     // the sequences, in order of first appearance
	SeqLen   []int     // their counted tokens
	Ests     []rlEst
	Ctl      rlCtl
	Snippet  string
	// Exact is KL(π ‖ π_ref) per token when the full distributions are
	// given (nil otherwise), and ExactReduced it reduced as the preset
	// reduces its estimates.
	Exact        []float64
	ExactReduced float64
}

// rlEst is one estimator under the preset.
type rlEst struct {
	Key     string // "k1", "k2", "k3", "abs", "k3+"
	Reduced float64
	Tokens  []float64
	Clamped []bool
	PerSeq  []float64 // the preset's per-sequence value (a sum or a mean, as it reduces)
	Alts    []rlAlt
}

// rlAlt is another reduction of the same estimates.
type rlAlt struct {
	Name  string
	Value float64
}

// rlCtl is one step of the adaptive KL controller.
type rlCtl struct {
	Beta, Target, Steps, Horizon float64
	KL, E, Next                  float64
	Fed                          string // what the framework feeds it, in words
	TokenMean, SeqSum            float64
}

// rlView draws the RL mode.
type rlView struct {
	app.Compo

	ILang   lang
	IState  RLState
	IMask   string
	IDType  compute.DType
	IData   rlData
	IEditor rlEditor

	pasteErr string // why the last paste or file was refused
}

// rlEditor takes the RL mode's edits, as typed.
type rlEditor interface {
	onRLField(ctx app.Context, f rlField, text string)
	onRLPreset(ctx app.Context, key string)
	onRLDType(ctx app.Context, dt compute.DType)
	onRLColumns(ctx app.Context, text string) error
}

func newRLView() *rlView { return &rlView{} }

func (v *rlView) Lang(l lang) *rlView           { v.ILang = l; return v }
func (v *rlView) State(s RLState) *rlView       { v.IState = s; return v }
func (v *rlView) Mask(m string) *rlView         { v.IMask = m; return v }
func (v *rlView) DType(d compute.DType) *rlView { v.IDType = d; return v }
func (v *rlView) Data(d rlData) *rlView         { v.IData = d; return v }
func (v *rlView) Editor(e rlEditor) *rlView     { v.IEditor = e; return v }
func rlFieldID(f rlField) string {
	return [...]string{"rl-logp", "rl-ref", "rl-mask", "rl-seq", "rl-ctl", "rl-pi", "rl-piref"}[f]
}

func findEst(es []rlEst, key string) (rlEst, bool) {
	for _, e := range es {
		if e.Key == key {
			return e, true
		}
	}
	return rlEst{}, false
}

// rlShowMax is the most tokens the per-token table draws.
const rlShowMax = 200

func (v *rlView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t := texts(v.ILang)
	r := &t.RL
	return app.Elem("main").ID("calculator").Class("workspace rl-mode").Body(
		app.Elem("section").Class("inputs-col").Aria("label", t.InputsLabel).Body(
			app.Elem("h2").Text(r.Title),
			app.Elem("p").Class("lede").Text(r.Lede),
			app.Elem("div").Class("rl-drop").OnDragOver(v.onDragOver).OnDrop(v.onDrop).Body(
				app.Label().For("rl-paste").Text(r.PasteLabel),
				app.Textarea().ID("rl-paste").Attr("rows", 2).Attr("spellcheck", "false").
					Attr("placeholder", "logp,ref,mask,seq").OnChange(v.onPaste),
				app.Label().Class("file").Body(app.Text(r.FileLabel+" "),
					app.Input().Type("file").ID("rl-file").Accept(".csv,.tsv,.txt,.json").OnChange(v.onFile)),
				app.Elem("p").ID("rl-paste-error").Class("errors").Attr("role", "alert").Text(v.pasteErr),
			),
			v.column(rlFieldLogP, r.LabelLogP, v.IState.LogP),
			v.column(rlFieldRef, r.LabelRef, v.IState.Ref),
			v.column(rlFieldMask, r.LabelMask, v.IMask),
			v.column(rlFieldSeq, r.LabelSeq, v.IState.Seq),
			app.Elem("p").Class("help").Text(r.Hint),
			v.presets(),
			app.Elem("p").Class("field").Body(
				app.Label().For("rl-dtype").Text("dtype "),
				app.Select().ID("rl-dtype").OnChange(v.onDType).Body(
					app.Option().Value("float32").Selected(v.IDType == compute.DTypeFloat32).Text("float32"),
					app.Option().Value("float64").Selected(v.IDType == compute.DTypeFloat64).Text("float64"),
				),
			),
			v.column(rlFieldPi, r.LabelPi, v.IState.Pi),
			v.column(rlFieldPiRef, r.LabelPiRef, v.IState.PiRef),
			app.Elem("p").Class("help").Text(r.ExactHint),
			app.Elem("div").ID("error").Class("errors").Attr("role", "alert").Body(
				app.If(len(v.IData.Errs) > 0, app.Elem("ul").Body(
					app.Range(v.IData.Errs).Slice(func(i int) app.UI { return app.Elem("li").Text(v.IData.Errs[i]) }),
				)),
			),
		),
		app.Elem("section").Class("output-col").Aria("label", t.OutputLabel).Body(
			optional(len(v.IData.Errs) == 0 && len(v.IData.Ests) > 0, v.renderResult),
		),
	)
}

func (v *rlView) column(f rlField, label, text string) app.UI {
	id := rlFieldID(f)
	return app.Elem("p").Class("gauss-field").Body(
		app.Label().For(id).Text(label),
		app.Textarea().ID(id).Attr("rows", 2).Attr("spellcheck", "false").Attr("autocomplete", "off").
			Text(text).OnChange(v.onField, f),
	)
}

func (v *rlView) onField(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if v.IEditor == nil {
		return
	}
	id := ctx.JSSrc().Get("id").String()
	for f := rlFieldLogP; f <= rlFieldPiRef; f++ {
		if rlFieldID(f) == id {
			v.IEditor.onRLField(ctx, f, ctx.JSSrc().Get("value").String())
		}
	}
}

func (v *rlView) presets() app.UI {
	r := &texts(v.ILang).RL
	cur := v.IData.Preset
	if cur == "" {
		cur = rlPresetKeys()[0]
	}
	keys := rlPresetKeys()
	return app.Elem("fieldset").Class("gauss-cases rl-presets").Body(
		app.Elem("legend").Text(r.PresetLegend),
		app.Range(keys).Slice(func(i int) app.UI {
			k := keys[i]
			return app.Label().Class("radio").Body(
				app.Input().Type("radio").Name("rl-preset").ID("rl-preset-"+k).Value(k).Checked(k == cur).OnChange(v.onPreset),
				app.Text(" "+rlPresetName(k)),
			)
		}),
	)
}

func (v *rlView) onDType(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if dt, err := compute.ParseDType(ctx.JSSrc().Get("value").String()); err == nil && v.IEditor != nil {
		v.IEditor.onRLDType(ctx, dt)
	}
}

func (v *rlView) onPreset(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if v.IEditor != nil {
		v.IEditor.onRLPreset(ctx, ctx.JSSrc().Get("value").String())
	}
}

// estDescription is an estimator's one-line definition.
func (r *rlText) estDescription(key string) string {
	switch key {
	case "k1":
		return r.EstK1
	case "k2":
		return r.EstK2
	case "k3":
		return r.EstK3
	case "abs":
		return r.EstAbs
	}
	return r.EstK3Plus
}

// renderResult is the result card, the tables, the controller and the code.
func (v *rlView) renderResult() app.UI {
	r := &texts(v.ILang).RL
	d := v.IData
	dir := r.PolicyRef
	if d.OldNew {
		dir = r.OldNew
	}
	lines := make([]app.UI, 0, len(d.Ests))
	for _, e := range d.Ests {
		var errLine app.UI = app.Text("")
		if d.Exact != nil {
			diff := e.Reduced - d.ExactReduced
			errLine = app.Elem("span").Class("help").DataSet("error", compute.FormatFloat(diff)).Text(fmt.Sprintf(r.Exact, showSigned(diff)))
		}
		lines = append(lines, app.Elem("li").Body(
			app.Elem("span").Class("rl-key").Text(e.Key+" = "),
			app.Elem("span").ID("rl-"+e.Key).Class("rl-value "+specialClass(e.Reduced)).DataSet("value", compute.FormatFloat(e.Reduced)).Text(show(e.Reduced)),
			app.Elem("span").Class("help").Text("  "+r.estDescription(e.Key)),
			errLine,
		))
	}
	var alts []app.UI
	for _, e := range d.Ests {
		for _, a := range e.Alts {
			alts = append(alts, app.Elem("li").DataSet("alt", e.Key+" "+a.Name).DataSet("value", compute.FormatFloat(a.Value)).
				Text(e.Key+", "+a.Name+": "+show(a.Value)))
		}
	}
	neg := r.NoNegK1
	if d.NegK1 > 0 {
		neg = fmt.Sprintf(r.NegK1, d.NegK1, d.Counted, strconv.FormatFloat(100*float64(d.NegK1)/float64(max(d.Counted, 1)), 'f', 0, 64)+" %")
	}
	return app.Elem("div").Body(
		app.Elem("section").Class("result-panel rl-result").Aria("labelledby", "rl-result-heading").Body(
			app.Elem("h2").ID("rl-result-heading").Text(fmt.Sprintf(r.Reduced, d.Name)),
			app.Elem("p").ID("rl-direction").Class("rl-direction").Text(dir),
			app.Elem("ul").ID("rl-reduced").Class("rl-reduced").Body(lines...),
			optional(d.Exact != nil, func() app.UI {
				return app.Elem("p").Body(app.Text(fmt.Sprintf(r.ExactTitle, d.Name)),
					app.Elem("span").ID("rl-exact").Class("rl-value").DataSet("value", compute.FormatFloat(d.ExactReduced)).Text(show(d.ExactReduced)))
			}),
			app.Elem("p").ID("rl-negative").Text(neg),
			app.If(len(alts) > 0, app.Elem("details").Body(
				app.Elem("summary").Text(r.Alternatives),
				app.Elem("ul").ID("rl-alts").Body(alts...),
			)),
		),
		v.tokenTable(),
		v.seqTable(),
		v.controller(),
		app.Elem("section").Class("snippets").Body(
			app.H3().Text(r.Snippet),
			app.Elem("pre").ID("rl-snippet").Attr("tabindex", "0").Text(d.Snippet),
		),
	)
}

func (v *rlView) tokenTable() app.UI {
	r := &texts(v.ILang).RL
	d := v.IData
	n := min(d.Tokens, rlShowMax)
	head := []app.UI{app.Th().Scope("col").Text(r.ColToken), app.Th().Scope("col").Text(r.ColSeq),
		app.Th().Scope("col").Text(r.ColCounted), app.Th().Scope("col").Text(r.ColLogRatio)}
	for _, e := range d.Ests {
		head = append(head, app.Th().Scope("col").Text(e.Key))
	}
	if d.Exact != nil {
		head = append(head, app.Th().Scope("col").Text(r.ColExact))
	}
	rows := make([]app.UI, 0, n)
	for i := 0; i < n; i++ {
		counted := d.Mask == nil || d.Mask[i]
		tds := []app.UI{
			app.Th().Scope("row").Text(strconv.Itoa(i + 1)),
			app.Td().Class("num").Text(strconv.Itoa(d.Seq[i])),
			app.Td().Text(map[bool]string{true: r.Yes, false: r.No}[counted]),
			app.Td().Class("num").DataSet("value", compute.FormatFloat(d.LogRatio[i])).Text(show(d.LogRatio[i])),
		}
		for _, e := range d.Ests {
			x := e.Tokens[i]
			td := app.Td().Class("num "+specialClass(x)).DataSet("est", e.Key).DataSet("value", compute.FormatFloat(x))
			if e.Clamped[i] {
				tds = append(tds, td.DataSet("clamped", "1").Body(
					app.Text(show(x)+" "), app.Elem("span").Class("badge").Text(r.Clamped)))
				continue
			}
			tds = append(tds, td.Text(show(x)))
		}
		if d.Exact != nil {
			tds = append(tds, app.Td().Class("num").DataSet("exact", compute.FormatFloat(d.Exact[i])).Text(show(d.Exact[i])))
		}
		rows = append(rows, app.Tr().Class(map[bool]string{true: "", false: "masked"}[counted]).Body(tds...))
	}
	return app.Elem("section").Class("charts rl-tokens").Body(
		app.H3().Text(r.PerToken),
		app.Elem("div").Class("grad-scroll").Body(
			app.Table().ID("rl-tokens").Class("grad-table").Body(app.THead().Body(app.Tr().Body(head...)), app.TBody().Body(rows...)),
		),
		app.If(n < d.Tokens, app.Elem("p").Class("chart-note").Text(fmt.Sprintf(r.ShownTokens, n, d.Tokens))),
	)
}

func (v *rlView) seqTable() app.UI {
	r := &texts(v.ILang).RL
	d := v.IData
	head := []app.UI{app.Th().Scope("col").Text(r.ColSeq), app.Th().Scope("col").Text(r.ColTokens)}
	for _, e := range d.Ests {
		head = append(head, app.Th().Scope("col").Text(e.Key))
	}
	rows := make([]app.UI, 0, len(d.SeqIDs))
	for j, id := range d.SeqIDs {
		tds := []app.UI{app.Th().Scope("row").Text(strconv.Itoa(id)), app.Td().Class("num").Text(strconv.Itoa(d.SeqLen[j]))}
		for _, e := range d.Ests {
			if j < len(e.PerSeq) {
				tds = append(tds, app.Td().Class("num").DataSet("value", compute.FormatFloat(e.PerSeq[j])).Text(show(e.PerSeq[j])))
			}
		}
		rows = append(rows, app.Tr().Body(tds...))
	}
	return app.Elem("section").Class("charts rl-seqs").Body(
		app.H3().Text(r.PerSeq),
		app.Elem("div").Class("grad-scroll").Body(
			app.Table().ID("rl-seqs").Class("grad-table").Body(app.THead().Body(app.Tr().Body(head...)), app.TBody().Body(rows...)),
		),
	)
}

func (v *rlView) controller() app.UI {
	r := &texts(v.ILang).RL
	c := v.IData.Ctl
	field := func(id, label, text, placeholder string) app.UI {
		return app.Elem("p").Class("field").Body(
			app.Label().For(id).Text(label),
			app.Input().ID(id).Type("text").Attr("inputmode", "decimal").Attr("autocomplete", "off").
				Attr("placeholder", placeholder).Value(text).OnChange(v.onCtl),
		)
	}
	st := v.IState
	return app.Elem("section").Class("charts rl-ctl").Body(
		app.H3().Text(r.CtlTitle),
		app.Elem("div").Class("distill-fields").Body(
			field("ctl-beta", r.CtlBeta, st.CtlBeta, show(c.Beta)),
			field("ctl-target", r.CtlTarget, st.CtlTarget, show(c.Target)),
			field("ctl-steps", r.CtlSteps, st.CtlSteps, show(c.Steps)),
			field("ctl-horizon", r.CtlHorizon, st.CtlHorizon, show(c.Horizon)),
		),
		app.Elem("p").ID("rl-ctl-step").DataSet("value", compute.FormatFloat(c.Next)).Text(fmt.Sprintf(r.CtlStep, show(c.E), show(c.Next))),
		app.Elem("p").Class("chart-note").Text(fmt.Sprintf(r.CtlUnit, v.IData.Name, c.Fed, show(c.TokenMean), show(c.SeqSum))),
	)
}

func (v *rlView) apply(ctx app.Context, text string) {
	if v.IEditor == nil {
		return
	}
	if err := v.IEditor.onRLColumns(ctx, text); err != nil {
		v.pasteErr = texts(v.ILang).RL.columnsError(v.ILang, err)
		return
	}
	v.pasteErr = ""
}

func (v *rlView) onPaste(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	v.apply(ctx, ctx.JSSrc().Get("value").String())
}

func (v *rlView) onFile(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if files := ctx.JSSrc().Get("files"); files.Truthy() && files.Length() > 0 {
		v.readFile(ctx, files.Index(0))
	}
}

func (v *rlView) onDragOver(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	e.PreventDefault()
}

func (v *rlView) onDrop(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	e.PreventDefault()
	e.Call("stopPropagation") // the page's own drop handler is for elsewhere
	dt := e.Get("dataTransfer")
	if !dt.Truthy() {
		return
	}
	if files := dt.Get("files"); files.Truthy() && files.Length() > 0 {
		v.readFile(ctx, files.Index(0))
		return
	}
	if text := dt.Call("getData", "text/plain").String(); text != "" {
		v.apply(ctx, text)
	}
}

// readFile reads a dropped or picked file as text, as the side panels do.
func (v *rlView) readFile(ctx app.Context, file app.Value) {
	readFile(ctx, file, v.ILang, fileHandlers{
		text: v.apply,
		fail: func(ctx app.Context, msg string) { v.pasteErr = msg },
	})
}

// showSigned is show with an explicit + for positive values.
func showSigned(x float64) string {
	if x > 0 {
		return "+" + show(x)
	}
	return show(x)
}

func (v *rlView) onCtl(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if v.IEditor != nil {
		v.IEditor.onRLField(ctx, rlFieldCtl, ctx.JSSrc().Get("id").String()+"="+ctx.JSSrc().Get("value").String())
	}
}
