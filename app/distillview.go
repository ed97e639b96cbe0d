package app

import (
	"fmt"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/distill"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// distillView is the distillation tab: a selector of the losses libraries
// call "KL", every one's value on the same input side by side, and the
// chosen one's definition, difference from F.kl_div, source and code.
type distillView struct {
	app.Compo

	ILang   lang
	IData   flavorData
	IFlavor distill.Flavor
	IMask   string // as typed
	IBeta   string
	IEditor distillEditor

	copied copyResult
}

func newDistillView() *distillView { return &distillView{} }

func (v *distillView) Lang(l lang) *distillView              { v.ILang = l; return v }
func (v *distillView) Data(d flavorData) *distillView        { v.IData = d; return v }
func (v *distillView) Flavor(f distill.Flavor) *distillView  { v.IFlavor = f; return v }
func (v *distillView) Fields(mask, beta string) *distillView { v.IMask, v.IBeta = mask, beta; return v }
func (v *distillView) Editor(e distillEditor) *distillView   { v.IEditor = e; return v }

// flavorFormulas are the definitions, in notation rather than words.
var flavorFormulas = [...]string{
	distill.KLDiv:        "p = softmax(teacher / T), q = softmax(student / T)\nΣ_rows Σ_i p_i·(log p_i − log q_i) / input.size(0)",
	distill.Hinton:       "T² · kl_div",
	distill.TorchtuneFKL: "−Σ_counted Σ_i p_i·log q_i / Σ mask   (0 when Σ mask = 0)\n= KL(p ‖ q) + H(p) per token; terms of an infinite student logit are 0",
	distill.TorchtuneRKL: "Σ_counted Σ_i q_i·(log q_i − log p_i) / Σ mask   (0 when Σ mask = 0)\nterms where either logit is infinite are 0",
	distill.GKD:          "m_i = log(β·p_i + (1 − β)·q_i)\nΣ_counted Σ_i [β·p_i·(log p_i − m_i) + (1 − β)·q_i·(log q_i − m_i)] / max(Σ mask, 1)\nβ = 0: KL(p ‖ q); β = 1: KL(q ‖ p)",
	distill.MaskedFKL:    "Σ_counted Σ_i p_i·(log p_i − log q_i) / Σ mask",
	distill.MaskedRKL:    "Σ_counted Σ_i q_i·(log q_i − log p_i) / Σ mask",
}

func (v *distillView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t := texts(v.ILang)
	d := &t.Distill
	data := v.IData
	return app.Elem("section").Class("charts distill-tab").Aria("labelledby", "distill-heading").Body(
		app.Elem("h2").ID("distill-heading").Text(d.Heading),
		app.Elem("p").Text(d.Lede),
		app.Elem("div").Class("distill-fields").Body(
			app.Elem("p").Class("field").Body(
				app.Label().For("mask").Text(d.LabelMask),
				app.Input().ID("mask").Type("text").Attr("inputmode", "numeric").Attr("autocomplete", "off").
					Attr("placeholder", "1, 1, 0").Value(v.IMask).Aria("describedby", "mask-hint").OnChange(v.onMask),
				app.Elem("span").ID("mask-hint").Class("help").Text(d.MaskHint),
			),
			app.Elem("p").Class("field").Body(
				app.Label().For("beta").Text(d.LabelBeta),
				app.Input().ID("beta").Type("text").Attr("inputmode", "decimal").Attr("autocomplete", "off").
					Attr("placeholder", "0.5").Value(v.IBeta).OnChange(v.onBeta),
			),
		),
		optional(data.Err != "", func() app.UI {
			return app.Elem("p").ID("distill-error").Class("errors").Attr("role", "alert").Text(data.Err)
		}),
		optional(data.Values != nil, v.renderValues),
	)
}

// renderValues is the selector with every value, then the chosen one.
func (v *distillView) renderValues() app.UI {
	t := texts(v.ILang)
	d := &t.Distill
	data := v.IData
	note := d.Converted
	if !data.Converted {
		note = fmt.Sprintf(d.NotConverted, show(data.In.T))
	}
	rows := make([]app.UI, 0, len(data.Values))
	for _, val := range data.Values {
		f := val.Flavor
		div := show(val.Divisor)
		if val.Divisor == 0 {
			div = d.NotDivided
		}
		rows = append(rows, app.Tr().Class(map[bool]string{true: "chosen", false: ""}[f == v.IFlavor]).
			DataSet("flavor", f.String()).DataSet("value", compute.FormatFloat(val.Value)).Body(
			app.Td().Body(
				app.Label().Class("radio").Body(
					app.Input().Type("radio").Name("flavor").ID("flavor-"+f.String()).Value(f.String()).
						Checked(f == v.IFlavor).OnChange(v.onFlavor, f),
					app.Text(" "+d.Names[f]),
				),
			),
			app.Td().Class("num "+specialClass(val.Value)).Text(show(val.Value)),
			app.Td().Class("num").Text(div),
			app.Td().Class("num").Text(fmt.Sprint(val.Tokens)),
		))
	}
	return app.Elem("div").Body(
		app.Elem("p").ID("distill-input").Class("chart-note").Text(note+" "+d.Float64Note),
		app.Elem("div").Class("grad-scroll").Body(
			app.Table().ID("flavors").Class("flavors").Body(
				app.Elem("caption").Class("sr-only").Text(d.FlavorLegend),
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text(d.ColFlavor), app.Th().Scope("col").Text(d.ColValue),
					app.Th().Scope("col").Text(d.ColDivisor), app.Th().Scope("col").Text(d.ColTokens),
				)),
				app.TBody().Body(rows...),
			),
		),
		v.renderChosen(),
	)
}

// renderChosen explains the chosen flavour.
func (v *distillView) renderChosen() app.UI {
	t := texts(v.ILang)
	d := &t.Distill
	f := v.IFlavor
	var val distill.Value
	for _, x := range v.IData.Values {
		if x.Flavor == f {
			val = x
		}
	}
	src := f.Source()
	where := src.Project
	if src.Version != "" {
		where += " " + src.Version
	}
	where += ", " + src.File
	if src.Function != "" {
		where += ", " + src.Function
	}
	var notes []app.UI
	for _, n := range val.Note.Codes() {
		notes = append(notes, app.Elem("li").DataSet("note", n.String()).Text(d.note(n, val)))
	}
	code := flavorSnippet(f, v.IData.In)
	return app.Elem("div").ID("flavor-detail").DataSet("flavor", f.String()).Body(
		app.H3().Text(d.Names[f]),
		app.Elem("p").Body(app.Elem("strong").Text(d.HowDiffers+": "), app.Text(d.Differs[f])),
		app.If(len(notes) > 0, app.Elem("ul").ID("flavor-notes").Class("grad-notes").Body(notes...)),
		app.Elem("p").Class("chart-note").Body(
			app.Text(fmt.Sprintf(d.Source, where)+" "),
			optional(src.URL() != "", func() app.UI {
				label := src.File
				if src.Commit != "" {
					label = fmt.Sprintf(d.SourceCommit, src.Commit[:7])
				}
				return app.A().Href(src.URL()).Attr("rel", "noopener noreferrer").Text("(" + label + ")")
			}),
		),
		app.H3().Text(d.Definition),
		app.Elem("pre").Class("formula").Text(flavorFormulas[f]),
		app.H3().Text(d.Snippet),
		app.Elem("pre").ID("flavor-snippet").Attr("tabindex", "0").Text(code),
		app.Button().Type("button").ID("copy-flavor-snippet").Text(t.CopyCode).OnClick(v.onCopy),
		app.Elem("span").Attr("role", "status").Class("copied").Text(t.copyMessage(v.copied, t.Copied2)),
	)
}

func (v *distillView) onFlavor(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	f, err := distill.ParseFlavor(ctx.JSSrc().Get("value").String())
	if err == nil && v.IEditor != nil {
		v.copied = copyNone
		v.IEditor.onFlavor(ctx, f)
	}
}

func (v *distillView) onMask(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if v.IEditor != nil {
		v.IEditor.onDistillField(ctx, true, ctx.JSSrc().Get("value").String())
	}
}

func (v *distillView) onBeta(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if v.IEditor != nil {
		v.IEditor.onDistillField(ctx, false, ctx.JSSrc().Get("value").String())
	}
}

// onCopy copies the code as shown, read at the click.
func (v *distillView) onCopy(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	el := app.Window().GetElementByID("flavor-snippet")
	if !el.Truthy() {
		return
	}
	copyText(ctx, el.Get("textContent").String(), func(r copyResult) { v.copied = r })
}
