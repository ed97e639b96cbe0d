package app

import (
	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// compareView shows what other libraries return for the same P and Q,
// and why they differ from PyTorch's kl_div.
type compareView struct {
	app.Compo

	IValues   []compute.FrameworkValue // nil: not computed yet (a large input)
	ILang     lang
	IComparer comparer
}

func newCompareView() *compareView { return &compareView{} }

func (v *compareView) Values(fv []compute.FrameworkValue) *compareView { v.IValues = fv; return v }
func (v *compareView) Lang(l lang) *compareView                        { v.ILang = l; return v }
func (v *compareView) Comparer(c comparer) *compareView                { v.IComparer = c; return v }

func (v *compareView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t := texts(v.ILang)
	if v.IValues == nil {
		return app.Elem("section").Class("compare").Aria("labelledby", "compare-heading").Body(
			app.Elem("h2").ID("compare-heading").Text(t.Compare),
			app.Button().Type("button").ID("compare-compute").Text(t.CompareLarge).OnClick(func(ctx app.Context, e app.Event) {
				defer recoverTo(ctx)
				if v.IComparer != nil {
					v.IComparer.onCompare(ctx)
				}
			}),
		)
	}
	return app.Elem("section").Class("compare").Aria("labelledby", "compare-heading").Body(
		app.Elem("h2").ID("compare-heading").Text(t.Compare),
		tableWrap(v.ILang, t.Compare, app.Elem("table").ID("compare").Body(
			app.Elem("thead").Body(app.Elem("tr").Body(
				app.Elem("th").Text(t.ColLibrary), app.Elem("th").Text(t.ColValue), app.Elem("th").Text(t.ColWhy),
			)),
			app.Elem("tbody").Body(app.Range(v.IValues).Slice(func(i int) app.UI {
				fv := v.IValues[i]
				value := app.Elem("td").Class("fw-value "+specialClass(fv.Value)).DataSet("value", compute.FormatFloat(fv.Value)).Text(show(fv.Value))
				if fv.Err != "" {
					value = app.Elem("td").Class("fw-value fw-error").DataSet("value", "error").Text(t.Raises)
				}
				return app.Elem("tr").ID("fw-"+fwID(fv.Framework)).Body(
					app.Elem("th").Attr("scope", "row").Body(app.Elem("code").Text(fv.Framework.Call())),
					value,
					app.Elem("td").Class("note").Body(
						app.Text(frameworkNote(v.ILang, fv)),
						// The exception is Python's own text, quoted as it prints.
						app.If(fv.Err != "", app.Elem("code").Class("fw-raise").Text(fv.Err)),
					),
				)
			})),
		)),
	)
}

// fwID is a short stable id for a framework's row.
func fwID(f compute.Framework) string {
	switch f {
	case compute.FrameworkTorchKLDiv:
		return "torch"
	case compute.FrameworkScipyEntropy:
		return "scipy-entropy"
	case compute.FrameworkScipyRelEntr:
		return "scipy-rel-entr"
	case compute.FrameworkScipyKLDiv:
		return "scipy-kl-div"
	case compute.FrameworkKeras:
		return "keras"
	}
	return "torch-distributions"
}
