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
}

func newRelatedView() *relatedView { return &relatedView{} }

func (v *relatedView) Result(r *compute.Result) *relatedView { v.IResult = r; return v }

const maxRelatedRows = 100

func (v *relatedView) Render() app.UI {
	r := v.IResult
	if r == nil {
		return app.Section()
	}
	rel := r.Related
	unit := rel.Unit.String()
	row := func(name string, x compute.RelatedRow) app.UI {
		return app.Tr().Body(
			app.Th().Attr("scope", "row").Text(name),
			app.Td().Text(show(x.KLPQ)), app.Td().Text(show(x.KLQP)), app.Td().Text(show(x.Entropy)),
			app.Td().Text(show(x.CrossEntropy)), app.Td().Text(show(x.JSD)), app.Td().Text(show(x.JSDistance)),
		)
	}
	n := min(len(rel.Rows), maxRelatedRows)
	return app.Section().Class("related").Aria("labelledby", "related-heading").Body(
		app.H2().ID("related-heading").Text("Related quantities ("+unit+")"),
		app.P().Class("help").Text("Mathematical definitions in float64 (0·log 0 = 0), independent of the reduction: H(P,Q) = H(P) + KL(P‖Q)."),
		app.Div().Class("table-wrap").Body(app.Table().ID("related").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Text(""), app.Th().Text("KL(P‖Q)"), app.Th().Text("KL(Q‖P)"), app.Th().Text("H(P)"),
				app.Th().Text("H(P,Q)"), app.Th().Text("JSD"), app.Th().Text("√JSD"),
			)),
			app.TBody().Body(
				app.Range(rel.Rows[:n]).Slice(func(i int) app.UI { return row(fmt.Sprintf("row %d", i+1), rel.Rows[i]) }),
				app.If(len(rel.Rows) > 1, row("total", rel.Total)),
				app.If(len(rel.Rows) > 1, row("mean", rel.Mean)),
			),
		)),
	)
}
