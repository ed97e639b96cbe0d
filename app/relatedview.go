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

func (v *relatedView) Render() app.UI {
	r := v.IResult
	if r == nil {
		return app.Section()
	}
	rel, t := r.Related, texts(v.ILang)
	unit := t.unitName(rel.Unit)
	row := func(name string, x compute.RelatedRow) app.UI {
		return app.Tr().Body(
			app.Th().Attr("scope", "row").Text(name),
			app.Td().Text(show(x.KLPQ)), app.Td().Text(show(x.KLQP)), app.Td().Text(show(x.Entropy)),
			app.Td().Text(show(x.CrossEntropy)), app.Td().Text(show(x.JSD)), app.Td().Text(show(x.JSDistance)),
		)
	}
	n := min(len(rel.Rows), maxRelatedRows)
	return app.Section().Class("related").Aria("labelledby", "related-heading").Body(
		app.H2().ID("related-heading").Text(fmt.Sprintf(t.Related, unit)),
		app.P().Class("help").Text(t.RelatedHelp),
		app.Div().Class("table-wrap").Body(app.Table().ID("related").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Text(""), app.Th().Text("KL(P‖Q)"), app.Th().Text("KL(Q‖P)"), app.Th().Text("H(P)"),
				app.Th().Text("H(P,Q)"), app.Th().Text("JSD"), app.Th().Text("√JSD"),
			)),
			app.TBody().Body(
				app.Range(rel.Rows[:n]).Slice(func(i int) app.UI { return row(fmt.Sprintf(t.RowN, i+1), rel.Rows[i]) }),
				app.If(len(rel.Rows) > 1, row(t.Total, rel.Total)),
				app.If(len(rel.Rows) > 1, row(t.Mean, rel.Mean)),
			),
		)),
	)
}
