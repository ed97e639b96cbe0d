package app

import (
	"fmt"

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
}

func newResultView() *resultView { return &resultView{} }

func (v *resultView) Lang(l lang) *resultView { v.ILang = l; return v }

func (v *resultView) TSquared(t2 float64) *resultView { v.ITSquared = t2; return v }

func (v *resultView) Result(r *compute.Result) *resultView { v.IResult = r; return v }

// maxNoneValues bounds the elements of a 'none' result drawn in the page.
const maxNoneValues = 2000

func (v *resultView) Render() app.UI {
	r := v.IResult
	if r == nil {
		return app.Section().Class("result-panel")
	}
	dt, t := r.Options.DType, texts(v.ILang)
	printed := compute.FormatTorch(r.Output, dt)
	return app.Section().Class("result-panel").Aria("labelledby", "result-heading").Body(
		app.H2().ID("result-heading").Text(t.Result),
		app.P().Class("call").Body(
			app.Code().Text(fmt.Sprintf("F.kl_div(input, target, reduction='%s', log_target=%s)  # %s, input %s, target %s",
				r.Reduction, pyBool(r.LogTarget), dt, compute.ShapeString(r.InputShape), compute.ShapeString(r.TargetShape))),
		),
		v.renderValue(printed),
		app.If(r.Reduction != compute.ReductionNone, app.P().Class("divisor").ID("divisor").Text(
			fmt.Sprintf(t.SumDivided, dataValue(r.Sum), dataValue(r.Divisor), dataValue(r.Value), t.divisor(r.Reason)))),
		app.If(dt == compute.DTypeFloat32 && r.Reduction != compute.ReductionNone,
			app.P().Class("float64").Text(t.InFloat64+" "+dataValue(r.Float64))),
		app.If(v.ITSquared != 0 && r.Reduction != compute.ReductionNone, app.P().Class("distill").ID("distill").Text(
			fmt.Sprintf(t.DistillNote, dataValue(v.ITSquared), dataValue(r.Value*v.ITSquared)))),
		app.Table().Class("reductions-table").Body(
			app.Caption().Text(t.EveryReduction),
			app.THead().Body(app.Tr().Body(
				app.Th().Text(t.ColReduction), app.Th().Text(t.ColSum), app.Th().Text(t.ColDivisor), app.Th().Text(t.ColValue),
			)),
			app.TBody().Body(app.Range(r.All).Slice(func(i int) app.UI {
				a := r.All[i]
				cls := ""
				if a.Reduction == r.Reduction {
					cls = "chosen"
				}
				return app.Tr().Class(cls).Body(
					app.Td().Body(app.Code().Text("'"+a.Reduction.String()+"'")),
					app.Td().Text(show(a.Sum)),
					app.Td().Text(show(a.Divisor)),
					app.Td().Class(specialClass(a.Value)).Text(show(a.Value)),
				)
			})),
		),
		app.Div().Class("warnings").ID("warnings").Aria("live", "polite").Body(
			app.If(len(r.Warnings) > 0, app.Ul().Body(
				app.Range(r.Warnings).Slice(func(i int) app.UI {
					w := r.Warnings[i]
					return app.Li().Class("warning").DataSet("code", int(w.Code)).Text(t.warning(v.ILang, w, r))
				}),
			)),
		),
	)
}

func (v *resultView) renderValue(printed string) app.UI {
	r, t := v.IResult, texts(v.ILang)
	if r.Reduction == compute.ReductionNone {
		n := min(len(r.Output.Data), maxNoneValues)
		return app.Div().Class("value").Aria("live", "polite").Body(
			app.Pre().Class("torch").Text(printed),
			app.Div().ID("result").Class("none-values").DataSet("shape", compute.ShapeString(r.Shape)).Body(
				app.Range(r.Output.Data[:n]).Slice(func(i int) app.UI {
					x := r.Output.Data[i]
					return app.Span().Class("nv "+specialClass(x)).DataSet("value", dataValue(x)).Text(show(x))
				}),
			),
			app.If(n < len(r.Output.Data), app.P().Text(fmt.Sprintf(t.ShowingValues, n, len(r.Output.Data)))),
		)
	}
	return app.Div().Class("value").Aria("live", "polite").Body(
		app.Output().ID("result").Class("big "+specialClass(r.Value)).DataSet("value", dataValue(r.Value)).Text(printed),
		app.P().Class("full").Body(app.Text(t.FullPrecision+" "), app.Code().ID("full-value").Text(dataValue(r.Value))),
	)
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
