package app

import (
	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// optionValues are the choices that are not data.
type optionValues struct {
	Reduction compute.Reduction
	DType     compute.DType
	Dims      int
	Unit      compute.Unit
}

// optionsPanel chooses the reduction, dtype, shape and unit.
type optionsPanel struct {
	app.Compo

	IValues    optionValues
	ILang      lang
	ISingleRow bool
	IEditor    optionsEditor
}

func newOptionsPanel() *optionsPanel { return &optionsPanel{} }

func (o *optionsPanel) Values(v optionValues) *optionsPanel  { o.IValues = v; return o }
func (o *optionsPanel) SingleRow(v bool) *optionsPanel       { o.ISingleRow = v; return o }
func (o *optionsPanel) Lang(v lang) *optionsPanel            { o.ILang = v; return o }
func (o *optionsPanel) Editor(e optionsEditor) *optionsPanel { o.IEditor = e; return o }

func (o *optionsPanel) Render() (ui app.UI) {
	defer recoverRender(&ui)
	v, t := o.IValues, texts(o.ILang)
	return app.Elem("section").Class("options").Body(
		app.Elem("fieldset").Class("reductions").Body(
			app.Elem("legend").Text(t.Reduction),
			app.Range(compute.Reductions()).Slice(func(i int) app.UI {
				r := compute.Reductions()[i]
				return app.Label().Class("radio").Body(
					app.Input().Type("radio").Name("reduction").ID("reduction-"+r.String()).
						Value(r.String()).Checked(r == v.Reduction).OnChange(o.onReduction, r).
						Aria("describedby", "reduction-help"),
					app.Elem("code").Text("'"+r.String()+"'"),
				)
			}),
			// One line for the chosen reduction keeps the control a row.
			app.Elem("p").Class("help").ID("reduction-help").Text(t.reductionHelp(v.Reduction)),
		),
		app.Elem("div").Class("option-row").Body(
			app.Label().Body(
				app.Text(t.DType+" "),
				app.Select().ID("dtype").OnChange(o.onDType).Body(
					app.Option().Value("float32").Selected(v.DType == compute.DTypeFloat32).Text(t.Float32Default),
					app.Option().Value("float64").Selected(v.DType == compute.DTypeFloat64).Text("float64"),
					app.Option().Value("bfloat16").Selected(v.DType == compute.DTypeBFloat16).Text("bfloat16"),
					app.Option().Value("float16").Selected(v.DType == compute.DTypeFloat16).Text("float16"),
				),
			),
			app.If(o.ISingleRow, app.Label().Body(
				app.Text(t.Shape+" "),
				app.Select().ID("dims").OnChange(o.onDims).Body(
					app.Option().Value("1").Selected(v.Dims == 1).Text(t.Shape1D),
					app.Option().Value("2").Selected(v.Dims == 2).Text(t.Shape2D),
				),
			)),
			app.Label().Body(
				app.Text(t.Units+" "),
				app.Select().ID("unit").OnChange(o.onUnit).Body(
					app.Option().Value("nats").Selected(v.Unit == compute.Nats).Text(t.Nats),
					app.Option().Value("bits").Selected(v.Unit == compute.Bits).Text(t.Bits),
					app.Option().Value("hartleys").Selected(v.Unit == compute.Hartleys).Text(t.Hartleys),
				),
			),
		),
	)
}

func (o *optionsPanel) change(ctx app.Context, f func(v *optionValues)) {
	v := o.IValues
	f(&v)
	if o.IEditor != nil {
		o.IEditor.onOptions(ctx, v)
	}
}

func (o *optionsPanel) onReduction(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if r, err := compute.ParseReduction(ctx.JSSrc().Get("value").String()); err == nil {
		o.change(ctx, func(v *optionValues) { v.Reduction = r })
	}
}

func (o *optionsPanel) onDType(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if d, err := compute.ParseDType(ctx.JSSrc().Get("value").String()); err == nil {
		o.change(ctx, func(v *optionValues) { v.DType = d })
	}
}

func (o *optionsPanel) onDims(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	d := 1
	if ctx.JSSrc().Get("value").String() == "2" {
		d = 2
	}
	o.change(ctx, func(v *optionValues) { v.Dims = d })
}

func (o *optionsPanel) onUnit(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if u, err := compute.ParseUnit(ctx.JSSrc().Get("value").String()); err == nil {
		o.change(ctx, func(v *optionValues) { v.Unit = u })
	}
}
