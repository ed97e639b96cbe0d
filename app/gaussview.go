package app

import (
	"fmt"
	"slices"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// gaussView is the Gaussian mode: the case selector, the parameters, the
// closed form, the result, the density plot (univariate case), the
// per-dimension breakdown and the PyTorch snippet.
//
// It draws what the calculator's recompute found and sends every edit
// back (IEditor), so it neither parses nor computes and keeps no
// state. The fields are bound to the state's text as typed, which Render
// never reformats, so a re-render leaves the caret where it is (go-app
// diffs a value against the last rendered one: docs/goapp.md §4).
type gaussView struct {
	app.Compo

	IState  GaussState              // the fields' text; the parent owns it
	IInput  gaussInput              // IState parsed, when IResult is set
	IResult *compute.GaussianResult // nil: no result (invalid input, or an internal error the parent shows)
	IErr    error                   // the invalid fields, one GaussError each (joined)
	ILang   lang
	IEditor gaussEditor
	IView   view // the open tab, as the link keeps it (see gaussViews)
	IOpener viewOpener

	copied copyResult // what Copy code did
}

func (v *gaussView) View(o view) *gaussView         { v.IView = o; return v }
func (v *gaussView) Opener(o viewOpener) *gaussView { v.IOpener = o; return v }

// gaussViews are the Gaussian mode's tabs: the terms, the densities (of
// two univariate normals only) and the code.
func (v *gaussView) gaussViews() []view {
	if v.IState.Case == gaussNormal {
		return []view{viewBreakdown, viewCharts, viewCode}
	}
	return []view{viewBreakdown, viewCode}
}

// open is the tab shown: the link's, if this mode has it, else the
// breakdown.
func (v *gaussView) open() view {
	if slices.Contains(v.gaussViews(), v.IView) {
		return v.IView
	}
	return viewBreakdown
}

func newGaussView() *gaussView { return &gaussView{} }

func (v *gaussView) State(g GaussState) *gaussView               { v.IState = g; return v }
func (v *gaussView) Input(in gaussInput) *gaussView              { v.IInput = in; return v }
func (v *gaussView) Result(r *compute.GaussianResult) *gaussView { v.IResult = r; return v }
func (v *gaussView) Errors(err error) *gaussView                 { v.IErr = err; return v }
func (v *gaussView) Lang(l lang) *gaussView                      { v.ILang = l; return v }
func (v *gaussView) Editor(e gaussEditor) *gaussView             { v.IEditor = e; return v }

// maxGaussRows bounds the breakdown rows drawn; the total covers every term.
const maxGaussRows = 500

func (v *gaussView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	g, ut := v.IState, texts(v.ILang)
	t := &ut.Gauss
	open := v.open()
	// The discrete mode's layout: the inputs beside the result, and
	// everything beyond the result in tabs, only the open one drawn.
	return app.Elem("div").Class("gauss workspace").ID("gauss").Body(
		app.Elem("section").Class("inputs-col").Aria("labelledby", "gauss-heading").Body(
			app.Elem("h2").ID("gauss-heading").Text(t.Title),
			app.Elem("p").Class("help").Text(t.Lede),
			v.renderCases(g, t),
			v.renderInputs(g, t),
			app.Elem("div").ID("gauss-error").Class("errors").Attr("role", "alert").Body(v.renderErrors(ut)),
		),
		app.Elem("section").Class("output-col").Aria("label", ut.OutputLabel).Body(
			v.renderResult(g, t),
			v.renderFormula(g, t),
			newTabBar().Lang(v.ILang).Views(v.gaussViews()).Open(open).Opener(v.IOpener),
			app.Elem("div").ID("view").Class("view").Attr("role", "tabpanel").
				Aria("labelledby", "tab-"+open.String()).Body(v.renderTab(open, g, t, ut)),
		),
	)
}

// renderTab draws the open tab.
func (v *gaussView) renderTab(open view, g GaussState, t *gaussText, ut *uiText) app.UI {
	switch open {
	case viewCharts:
		if plot := v.renderPlot(g); plot != nil {
			return plot
		}
		return app.Elem("p").Class("help").Text(t.SnippetInvalid)
	case viewCode:
		return app.Elem("div").Body(
			app.Elem("h3").Text(t.Snippet),
			app.Elem("pre").ID("gauss-snippet").Class("gauss-snippet").Attr("tabindex", "0").Text(v.snippet(t)),
			app.Button().Type("button").ID("copy-gauss-snippet").Text(ut.CopyCode).OnClick(v.onCopy),
			app.Elem("span").Attr("role", "status").Class("copied").Text(ut.copyMessage(v.copied, ut.Copied2)),
		)
	}
	if b := v.renderBreakdown(g, t); b != nil {
		return b
	}
	return app.Elem("p").Class("help").Text(t.SnippetInvalid)
}

// onCopy copies the code as shown, read at the click.
func (v *gaussView) onCopy(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	el := app.Window().GetElementByID("gauss-snippet")
	if !el.Truthy() {
		return
	}
	copyText(ctx, el.Get("textContent").String(), func(r copyResult) { v.copied = r })
}

func (v *gaussView) renderCases(g GaussState, t *gaussText) app.UI {
	labels := map[gaussCase]string{gaussNormal: t.CaseNormal, gaussDiag: t.CaseDiag, gaussVAE: t.CaseVAE}
	return app.Elem("fieldset").Class("gauss-cases").Body(
		app.Elem("legend").Text(t.CaseLegend),
		app.Range(gaussCases()).Slice(func(i int) app.UI {
			c := gaussCases()[i]
			return app.Label().Class("radio").Body(
				app.Input().Type("radio").Name("gauss-case").ID("gauss-case-"+c.String()).
					Value(c.String()).Checked(c == g.Case).OnChange(v.onCase, c),
				app.Text(" "+labels[c]),
			)
		}),
	)
}

func (v *gaussView) renderInputs(g GaussState, t *gaussText) app.UI {
	bad := v.invalidFields()
	if g.Case == gaussVAE {
		return app.Elem("div").Class("gauss-inputs").Body(
			v.textarea("gauss-mu", gaussFieldMu, t.LabelMu, g.Mu, bad),
			v.textarea("gauss-logvar", gaussFieldLogVar, t.LabelLogVar, g.LogVar, bad),
			app.Elem("p").Class("help gauss-hint").ID("gauss-hint").Text(t.MatrixHint),
		)
	}
	hint := ""
	if g.Case == gaussDiag {
		hint = t.ListHint
	}
	return app.Elem("div").Class("gauss-inputs").Body(
		app.Elem("fieldset").Class("gauss-side").Body(
			app.Elem("legend").Text(t.PTitle),
			v.input("gauss-mu1", gaussFieldMu1, t.LabelMu1, g.Mu1, hint != "", bad),
			v.input("gauss-s1", gaussFieldSigma1, t.LabelSigma1, g.Sigma1, hint != "", bad),
		),
		app.Elem("fieldset").Class("gauss-side").Body(
			app.Elem("legend").Text(t.QTitle),
			v.input("gauss-mu2", gaussFieldMu2, t.LabelMu2, g.Mu2, hint != "", bad),
			v.input("gauss-s2", gaussFieldSigma2, t.LabelSigma2, g.Sigma2, hint != "", bad),
		),
		app.If(hint != "", app.Elem("p").Class("help gauss-hint").ID("gauss-hint").Text(hint)),
	)
}

// invalidFields are the fields named by the current errors.
func (v *gaussView) invalidFields() map[gaussField]bool {
	bad := map[gaussField]bool{}
	for _, err := range splitErrors(v.IErr) {
		if ge, ok := err.(GaussError); ok {
			bad[ge.Field] = true
		}
	}
	return bad
}

// input is a labelled text field. go-app writes aria-invalid="true" as a
// bare attribute in pre-rendered HTML (empty, so "false"), but sets it
// with setAttribute in the browser; it is absent on valid fields.
func (v *gaussView) input(id string, f gaussField, label, text string, hinted bool, bad map[gaussField]bool) app.UI {
	in := app.Input().Type("text").ID(id).Class(invalidClass(bad[f])).Value(text).
		AutoComplete(false).Spellcheck(false).
		OnInput(func(ctx app.Context, e app.Event) {
			defer recoverTo(ctx)
			v.onField(ctx, f)
		}, f)
	if hinted {
		in = in.Aria("describedby", "gauss-hint")
	}
	if bad[f] {
		in = in.Aria("invalid", "true")
	}
	return app.Elem("div").Class("gauss-field").Body(app.Label().For(id).Text(label), in)
}

func (v *gaussView) textarea(id string, f gaussField, label, text string, bad map[gaussField]bool) app.UI {
	ta := app.Textarea().ID(id).Class(invalidClass(bad[f])).Rows(4).Text(text).
		Spellcheck(false).Aria("describedby", "gauss-hint").
		OnInput(func(ctx app.Context, e app.Event) {
			defer recoverTo(ctx)
			v.onField(ctx, f)
		}, f)
	if bad[f] {
		ta = ta.Aria("invalid", "true")
	}
	return app.Elem("div").Class("gauss-field").Body(app.Label().For(id).Text(label), ta)
}

func invalidClass(bad bool) string {
	if bad {
		return "invalid"
	}
	return ""
}

func (v *gaussView) renderErrors(ut *uiText) app.UI {
	msgs := ut.gaussMessages(v.ILang, v.IErr)
	if len(msgs) == 0 {
		return nil
	}
	return app.Elem("ul").Body(app.Range(msgs).Slice(func(i int) app.UI { return app.Elem("li").Text(msgs[i]) }))
}

// Formulas, code rather than prose: the same in every language.
const (
	gaussFormulaNormal = "KL(p ‖ q) = ln(σ₂/σ₁) + (σ₁² + (μ₁−μ₂)²)/(2σ₂²) − ½ = ½[(σ₁/σ₂)² + ((μ₁−μ₂)/σ₂)² − 1 − ln((σ₁/σ₂)²)]"
	gaussFormulaDiag   = "KL(p ‖ q) = Σᵢ [ln(σ₂ᵢ/σ₁ᵢ) + (σ₁ᵢ² + (μ₁ᵢ−μ₂ᵢ)²)/(2σ₂ᵢ²) − ½]"
	gaussFormulaVAE    = "KLD = −½ Σ(1 + log σ² − μ² − σ²), σ² = exp(log σ²)"
)

func (v *gaussView) renderFormula(g GaussState, t *gaussText) app.UI {
	f := gaussFormulaNormal
	switch g.Case {
	case gaussDiag:
		f = gaussFormulaDiag
	case gaussVAE:
		f = gaussFormulaVAE
	}
	var substituted app.UI
	if v.IResult != nil {
		substituted = app.Elem("p").Class("substituted").ID("gauss-substituted").Text(gaussSubstituted(g.Case, *v.IResult))
	}
	return app.Elem("div").Class("gauss-formula").Body(
		app.Elem("h3").Text(t.Formula),
		app.Elem("p").Body(app.Elem("code").ID("gauss-formula").Text(f)),
		substituted,
	)
}

// gaussSubstituted writes the formula with the numbers in place: the
// pieces of the one term of the univariate case, else the first terms.
func gaussSubstituted(c gaussCase, r compute.GaussianResult) string {
	if len(r.Terms) == 0 {
		return ""
	}
	if c == gaussNormal {
		tm := r.Terms[0]
		return fmt.Sprintf("= ½[%s + %s − 1 − %s] = %s",
			show(tm.VarRatio), show(tm.MeanTerm), showParen(tm.LogTerm), show(tm.KL))
	}
	const shown = 6
	var parts []string
	for i, tm := range r.Terms {
		if i == shown {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(r.Terms)-shown))
			break
		}
		parts = append(parts, show(tm.KL))
	}
	return "= " + strings.Join(parts, " + ") + " = " + show(r.Total)
}

func (v *gaussView) renderResult(g GaussState, t *gaussText) app.UI {
	if v.IResult == nil {
		return app.Elem("div").Class("value gauss-value").Body(
			app.Elem("h3").Text(t.Result),
			app.Elem("output").ID("gauss-result").Class("big").Text("—"),
		)
	}
	total := v.IResult.Total
	note := ""
	switch g.Case {
	case gaussDiag:
		note = t.SumNote
	case gaussVAE:
		note = t.VAENote
	}
	return app.Elem("div").Class("value gauss-value").Aria("live", "polite").Body(
		app.Elem("h3").Text(t.Result),
		app.Elem("output").ID("gauss-result").Class("big "+specialClass(total)).
			DataSet("value", compute.FormatFloat(total)).Text(show(total)+" "+t.Nats),
		app.Elem("p").Class("full").Body(app.Text(t.FullPrecision+" "), app.Elem("code").ID("gauss-full").Text(compute.FormatFloat(total))),
		app.If(note != "", app.Elem("p").Class("help").Text(note)),
	)
}

func (v *gaussView) renderPlot(g GaussState) app.UI {
	if g.Case != gaussNormal || v.IResult == nil || len(v.IInput.p) != 1 {
		return nil
	}
	return gaussPlot(v.IInput.p[0], v.IInput.q[0], v.ILang)
}

func (v *gaussView) renderBreakdown(g GaussState, t *gaussText) app.UI {
	if v.IResult == nil || len(v.IResult.Terms) == 0 {
		return nil
	}
	terms := v.IResult.Terms
	n := min(len(terms), maxGaussRows)
	index := func(tm compute.GaussianTerm) string {
		if g.Case == gaussVAE {
			return fmt.Sprintf("%d, %d", tm.Row+1, tm.Col+1)
		}
		return fmt.Sprint(tm.Index + 1)
	}
	return app.Elem("div").Class("gauss-breakdown").Body(
		tableWrap(v.ILang, t.Breakdown, app.Elem("table").Class("terms gauss-terms").ID("gauss-terms").Body(
			app.Elem("caption").Text(t.Breakdown),
			app.Elem("thead").Body(app.Elem("tr").Body(
				app.Elem("th").Attr("scope", "col").Text(t.ColIndex),
				app.Elem("th").Attr("scope", "col").Text("μ₁"), app.Elem("th").Attr("scope", "col").Text("σ₁"),
				app.Elem("th").Attr("scope", "col").Text("μ₂"), app.Elem("th").Attr("scope", "col").Text("σ₂"),
				app.Elem("th").Attr("scope", "col").Text("(σ₁/σ₂)²"),
				app.Elem("th").Attr("scope", "col").Text("((μ₁−μ₂)/σ₂)²"),
				app.Elem("th").Attr("scope", "col").Text("ln((σ₁/σ₂)²)"),
				app.Elem("th").Attr("scope", "col").Text("KL"),
			)),
			app.Elem("tbody").Body(app.Range(terms[:n]).Slice(func(i int) app.UI {
				tm := terms[i]
				return app.Elem("tr").Class(specialClass(tm.KL)).Body(
					app.Elem("th").Attr("scope", "row").Text(index(tm)),
					app.Elem("td").Text(show(tm.P.Mu)), app.Elem("td").Text(show(tm.P.Sigma)),
					app.Elem("td").Text(show(tm.Q.Mu)), app.Elem("td").Text(show(tm.Q.Sigma)),
					app.Elem("td").Text(show(tm.VarRatio)), app.Elem("td").Text(show(tm.MeanTerm)), app.Elem("td").Text(show(tm.LogTerm)),
					app.Elem("td").Class("term "+specialClass(tm.KL)).DataSet("value", compute.FormatFloat(tm.KL)).Text(show(tm.KL)),
				)
			})),
			app.Elem("tfoot").Body(app.Elem("tr").Body(
				app.Elem("th").Attr("scope", "row").Attr("colspan", 8).Text(t.TotalRow),
				app.Elem("td").Class("term "+specialClass(v.IResult.Total)).Text(show(v.IResult.Total)),
			)),
		)),
		app.If(n < len(terms), app.Elem("p").Text(fmt.Sprintf(t.ShowingTerms, n, len(terms)))),
	)
}

// snippet is the PyTorch program of the result, written from the parsed
// numbers (gauss_snippet.go).
func (v *gaussView) snippet(t *gaussText) string {
	if v.IResult == nil {
		return t.SnippetInvalid + "\n"
	}
	return v.IInput.snippet(v.IResult.Total)
}

func (v *gaussView) onCase(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if c, ok := parseGaussCase(ctx.JSSrc().Get("value").String()); ok && v.IEditor != nil {
		v.IEditor.onGaussCase(ctx, c)
	}
}

func (v *gaussView) onField(ctx app.Context, f gaussField) {
	if v.IEditor != nil {
		v.IEditor.onGaussField(ctx, f, ctx.JSSrc().Get("value").String())
	}
}
