package app

import (
	"fmt"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// relatedView shows the information-theoretic quantities of P and Q in
// both directions, per row and in total.
type relatedView struct {
	app.Compo

	IResult *compute.Result
	ILang   lang
}

func newRelatedView() *relatedView { return &relatedView{} }

func (v *relatedView) Lang(l lang) *relatedView { v.ILang = l; return v }

func (v *relatedView) Result(r *compute.Result) *relatedView { v.IResult = r; return v }

const maxRelatedRows = 20

func (v *relatedView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	r := v.IResult
	if r == nil {
		return app.Elem("section")
	}
	rel, t := r.Related, texts(v.ILang)
	unit := t.unitName(rel.Unit)
	row := func(name string, x compute.RelatedRow) app.UI {
		return app.Elem("tr").Body(
			app.Elem("th").Attr("scope", "row").Text(name),
			app.Elem("td").Text(show(x.KLPQ)), app.Elem("td").Text(show(x.KLQP)), app.Elem("td").Text(show(x.Entropy)),
			app.Elem("td").Text(show(x.CrossEntropy)), app.Elem("td").Text(show(x.JSD)), app.Elem("td").Text(show(x.JSDistance)),
		)
	}
	n := min(len(rel.Rows), maxRelatedRows)
	return app.Elem("section").Class("related").Aria("labelledby", "related-heading").Body(
		app.Elem("h2").ID("related-heading").Text(fmt.Sprintf(t.Related, unit)),
		app.Elem("p").Class("help").Text(t.RelatedHelp),
		tableWrap(v.ILang, fmt.Sprintf(t.Related, unit), app.Elem("table").ID("related").Body(
			app.Elem("thead").Body(app.Elem("tr").Body(
				app.Elem("th").Attr("scope", "col").Text(t.Quantity), app.Elem("th").Text("KL(P‖Q)"), app.Elem("th").Text("KL(Q‖P)"), app.Elem("th").Text("H(P)"),
				app.Elem("th").Text("H(P,Q)"), app.Elem("th").Text("JSD"), app.Elem("th").Text("√JSD"),
			)),
			app.Elem("tbody").Body(
				app.Range(rel.Rows[:n]).Slice(func(i int) app.UI { return row(fmt.Sprintf(t.RowN, i+1), rel.Rows[i]) }),
				app.If(len(rel.Rows) > 1, row(t.Total, rel.Total)),
				app.If(len(rel.Rows) > 1, row(t.Mean, rel.Mean)),
			),
		)),
	)
}
