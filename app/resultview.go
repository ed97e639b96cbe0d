package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// resultView shows the value PyTorch returns, how the reduction got there,
// and the warnings.
type resultView struct {
	app.Compo

	IResult   *compute.Result
	ILang     lang
	ITSquared float64 // T² of a distillation setting, or 0
	IFixes    []fixAction
	IScaled   bool // the headline is the loss times ITSquared
	IEditor   resultEditor
}

func (v *resultView) Fixes(f []fixAction) *resultView   { v.IFixes = f; return v }
func (v *resultView) Editor(e resultEditor) *resultView { v.IEditor = e; return v }
func (v *resultView) Scaled(on bool) *resultView        { v.IScaled = on; return v }

func newResultView() *resultView { return &resultView{} }

func (v *resultView) Lang(l lang) *resultView { v.ILang = l; return v }

func (v *resultView) TSquared(t2 float64) *resultView { v.ITSquared = t2; return v }

func (v *resultView) Result(r *compute.Result) *resultView { v.IResult = r; return v }

// maxNoneValues bounds the elements of a 'none' result drawn in the page.
const maxNoneValues = 2000

func (v *resultView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	r := v.IResult
	if r == nil {
		return app.Elem("section").Class("result-panel")
	}
	dt, t := r.Options.DType, texts(v.ILang)
	value, printed, scaled := headline(r, v.ITSquared, v.IScaled)
	times := ""
	if scaled {
		times = " * T**2"
	}
	distill := v.ITSquared != 0 && r.Reduction != compute.ReductionNone
	return app.Elem("section").Class("result-panel").Aria("labelledby", "result-heading").Body(
		app.Elem("h2").ID("result-heading").Text(t.Result),
		app.Elem("p").Class("call").Body(
			app.Elem("code").Text(fmt.Sprintf("F.kl_div(input, target, reduction='%s', log_target=%s)%s  # %s, input %s, target %s",
				r.Reduction, pyBool(r.LogTarget), times, dt, compute.ShapeString(r.InputShape), compute.ShapeString(r.TargetShape))),
		),
		v.renderValue(printed, value),
		// Always there: a switch that came and went would shift the card.
		app.Elem("div").Class("t2-slot").Body(
			app.If(distill, app.Label().Class("t2-switch").Body(
				app.Input().Type("checkbox").ID("t2").Checked(v.IScaled).OnChange(v.onScale),
				app.Text(" "+fmt.Sprintf(t.ScaleT2, compute.FormatFloat(v.ITSquared))),
			)),
		),
		// The sum and divisor in one line, the divisor's reason under it in
		// small type: one long paragraph was larger than the value.
		app.If(r.Reduction != compute.ReductionNone, app.Elem("div").Class("divisor").ID("divisor").Body(
			app.P().Text(fmt.Sprintf(t.SumDivided, compute.FormatFloat(r.Sum), compute.FormatFloat(r.Divisor), compute.FormatFloat(r.Value))),
			app.P().Class("divisor-why").Text(t.divisor(r.Reason)),
		)),
		app.If(dt != compute.DTypeFloat64 && r.Reduction != compute.ReductionNone,
			app.Elem("p").Class("float64").Text(t.InFloat64+" "+float64Text(r))),
		// PyTorch's float64 sum has its own order; where the accurate value
		// differs in the last bits, show it beside PyTorch's.
		app.If(dt == compute.DTypeFloat64 && r.Reduction != compute.ReductionNone && r.HasReference() && compute.FormatFloat(r.Float64) != compute.FormatFloat(r.Value),
			app.Elem("p").Class("float64").ID("accurate").Text(t.AccurateValue+" "+compute.FormatFloat(r.Float64))),
		app.If(distill && !scaled, app.Elem("p").Class("distill").ID("distill").Text(
			fmt.Sprintf(t.DistillNote, compute.FormatFloat(v.ITSquared), compute.FormatFloat(scaleT2(r.Value, v.ITSquared, dt))))),
		app.If(scaled, app.Elem("p").Class("distill").ID("distill").Text(
			fmt.Sprintf(t.Unscaled, compute.FormatFloat(r.Value), compute.FormatFloat(v.ITSquared)))),
		app.Elem("div").Class("warnings").ID("warnings").Aria("live", "polite").Body(
			app.If(len(r.Warnings) > 0, app.Elem("ul").Body(
				app.Range(r.Warnings).Slice(func(i int) app.UI {
					w := r.Warnings[i]
					sev := warningSeverity(w.Code)
					var fix fixAction
					if i < len(v.IFixes) {
						fix = v.IFixes[i]
					}
					return app.Elem("li").Class("warning "+sev.class()).DataSet("code", int(w.Code)).Body(
						app.Elem("span").Class("sev-icon").Aria("hidden", true).Text(sev.icon()),
						app.Elem("span").Class("sr-only").Text(t.severityName(sev)+": "),
						// A headline, its sentence folded under it: eight
						// sentences at once bury the result (and one is
						// larger than it, so it was the page's largest paint).
						// Errors open, since their sentence is the why.
						app.Details().Class("warning-body").Open(sev == sevError).Body(
							app.Summary().Class("warning-title").Text(t.warnTitle(w)),
							app.P().Class("warning-text").Text(t.warning(v.ILang, w, r)),
						),
						app.If(fix.Kind != fixNone, app.Button().Type("button").Class("fix").ID(fmt.Sprintf("fix-%d", i)).
							Text(t.fixLabel(v.ILang, fix)).OnClick(v.onFix, i)),
					)
				}),
			)),
		),
	)
}

// headline is the value the result leads with and its printout: kl_div's,
// or kl_div's times t2 when the switch is on and t2 applies (scaled). The
// result card and the phone's result bar both show it.
func headline(r *compute.Result, t2 float64, on bool) (value float64, printed string, scaled bool) {
	dt := r.Options.DType
	if on && t2 != 0 && r.Reduction != compute.ReductionNone {
		value = scaleT2(r.Value, t2, dt)
		return value, compute.FormatTorch(compute.Tensor{Data: []float64{value}}, dt), true
	}
	return r.Value, compute.FormatTorch(r.Output, dt), false
}

// scaleT2 is loss * T**2 as PyTorch computes it: a float32 tensor times a
// Python float is computed in float32, the scalar rounded to float32
// first.
func scaleT2(loss, t2 float64, dt compute.DType) float64 {
	if dt == compute.DTypeFloat64 {
		return loss * t2
	}
	// The product in float32, as PyTorch's CPU kernels compute the 16-bit
	// types too, then rounded to the dtype.
	return dt.Round(float64(float32(loss) * float32(dt.Round(t2))))
}

func (v *resultView) onScale(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if v.IEditor != nil {
		v.IEditor.setScaleT2(ctx, ctx.JSSrc().Get("checked").Bool())
	}
}

func (v *resultView) renderValue(printed string, value float64) app.UI {
	r, t := v.IResult, texts(v.ILang)
	if r.Reduction == compute.ReductionNone {
		n := min(len(r.Output.Data), maxNoneValues)
		return app.Elem("div").Class("value").Aria("live", "polite").Body(
			app.Elem("pre").Class("torch").Text(printed),
			app.Elem("div").ID("result").Class("none-values").DataSet("shape", compute.ShapeString(r.Shape)).Body(
				tableWrap(v.ILang, t.PointwiseLoss, noneTable(t, r, n)),
			),
			app.If(n < len(r.Output.Data), app.Elem("p").Text(fmt.Sprintf(t.ShowingValues, n, len(r.Output.Data)))),
		)
	}
	return app.Elem("div").Class("value").Aria("live", "polite").Body(
		app.Elem("output").ID("result").Class("big "+longClass(printed)+specialClass(value)).DataSet("value", compute.FormatFloat(value)).Text(printed),
		app.Elem("p").Class("full").Body(app.Text(t.FullPrecision+" "), app.Elem("code").ID("full-value").Text(compute.FormatFloat(value))),
	)
}

// longClass sets a printout longer than tensor(0.0153) in a smaller size,
// so that it fits the result's column.
func longClass(printed string) string {
	if len([]rune(printed)) > 16 {
		return "long "
	}
	return ""
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// reductionsTable shows the value under every reduction, the chosen one
// marked: the breakdown tab opens with it.
func reductionsTable(l lang, r *compute.Result) app.UI {
	t := texts(l)
	return tableWrap(l, t.EveryReduction, app.Elem("table").Class("reductions-table").Body(
		app.Elem("caption").Text(t.EveryReduction),
		app.Elem("thead").Body(app.Elem("tr").Body(
			app.Elem("th").Text(t.ColReduction), app.Elem("th").Text(t.ColSum), app.Elem("th").Text(t.ColDivisor), app.Elem("th").Text(t.ColValue),
		)),
		app.Elem("tbody").Body(app.Range(r.All).Slice(func(i int) app.UI {
			a := r.All[i]
			cls := ""
			if a.Reduction == r.Reduction {
				cls = "chosen"
			}
			return app.Elem("tr").Class(cls).Body(
				app.Elem("td").Body(app.Elem("code").Text("'"+a.Reduction.String()+"'")),
				app.Elem("td").Text(show(a.Sum)),
				app.Elem("td").Text(show(a.Divisor)),
				app.Elem("td").Class(specialClass(a.Value)).Text(show(a.Value)),
			)
		})),
	))
}

func (v *resultView) onFix(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	n, ok := strings.CutPrefix(ctx.JSSrc().Get("id").String(), "fix-")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 0 || i >= len(v.IFixes) || v.IEditor == nil {
		return
	}
	v.IEditor.onFix(ctx, v.IFixes[i])
}

// noneTable lays out the first n elements of a 'none' result in the
// output's shape: a row per batch row, a column per class, both labelled.
func noneTable(t *uiText, r *compute.Result, n int) app.UI {
	cols := 1
	if len(r.Shape) > 0 {
		cols = max(r.Shape[len(r.Shape)-1], 1)
	}
	rows := (n + cols - 1) / cols
	head := make([]int, min(cols, n))
	return app.Elem("table").Class("none-table").Body(
		app.Elem("thead").Body(app.Elem("tr").Body(
			app.Elem("th").Attr("scope", "col").Text(t.ColRow),
			app.Range(head).Slice(func(j int) app.UI { return app.Elem("th").Attr("scope", "col").Text(fmt.Sprintf("c%d", j+1)) }),
		)),
		app.Elem("tbody").Body(app.Range(make([]int, rows)).Slice(func(i int) app.UI {
			lo, hi := i*cols, min((i+1)*cols, n)
			return app.Elem("tr").Body(
				app.Elem("th").Attr("scope", "row").Text(fmt.Sprint(i+1)),
				app.Range(r.Output.Data[lo:hi]).Slice(func(j int) app.UI {
					x := r.Output.Data[lo+j]
					return app.Elem("td").Class("nv "+specialClass(x)).DataSet("value", compute.FormatFloat(x)).Text(show(x))
				}),
			)
		})),
	)
}

// float64Text is the float64 reference's value, or "…" while a large
// result's is being computed (see completeResult).
func float64Text(r *compute.Result) string {
	if !r.HasReference() {
		return "…"
	}
	return compute.FormatFloat(r.Float64)
}
