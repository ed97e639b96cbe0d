package app

import (
	"fmt"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// breakdownView is the worked breakdown: the formula with the numbers
// substituted, every term, the row sums and the divisor.
type breakdownView struct {
	app.Compo

	IResult *compute.Result
}

func newBreakdownView() *breakdownView { return &breakdownView{} }

func (b *breakdownView) Result(r *compute.Result) *breakdownView { b.IResult = r; return b }

// maxTermRows bounds the table rows drawn; the totals always cover every term.
const maxTermRows = 500

func (b *breakdownView) Render() app.UI {
	r := b.IResult
	if r == nil {
		return app.Section()
	}
	n := min(len(r.Terms), maxTermRows)
	formula := "term = xlogy(p, p) − p·log q = p·(log p − log q), with xlogy(0, ·) = 0"
	if r.LogTarget {
		formula = "term = exp(log p)·(log p − log q)"
	}
	return app.Section().Class("breakdown").Aria("labelledby", "breakdown-heading").Body(
		app.H2().ID("breakdown-heading").Text("Worked breakdown"),
		app.P().Body(app.Code().Text(formula)),
		app.P().Class("substituted").ID("substituted").Text(substituted(r)),
		app.Div().Class("table-wrap").Body(app.Table().Class("terms").ID("terms").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Text("row"), app.Th().Text("class"), app.Th().Text("p"), app.Th().Text("q"),
				app.Th().Text("log p"), app.Th().Text("log q (input)"), app.Th().Text("term"), app.Th().Text("note"),
			)),
			app.TBody().Body(app.Range(r.Terms[:n]).Slice(func(i int) app.UI {
				t := r.Terms[i]
				note := ""
				if t.Special != compute.SpecialNone {
					note = t.Special.String()
				}
				return app.Tr().Class(specialClass(t.Value)).Body(
					app.Td().Text(t.Row+1), app.Td().Text(t.Col+1),
					app.Td().Text(show(t.P)), app.Td().Text(show(t.Q)),
					app.Td().Text(show(t.LogP)), app.Td().Text(show(t.LogQ)),
					app.Td().Class("term "+specialClass(t.Value)).DataSet("value", dataValue(t.Value)).Text(show(t.Value)),
					app.Td().Class("note").Text(note),
				)
			})),
		)),
		app.If(n < len(r.Terms), app.P().Text(fmt.Sprintf("showing the first %d of %d terms; the sums below use all of them", n, len(r.Terms)))),
		app.Table().Class("rowsums").ID("rowsums").Body(
			app.Caption().Text("Row sums (Σ over classes)"),
			app.TBody().Body(app.Range(r.RowSums[:min(len(r.RowSums), maxTermRows)]).Slice(func(i int) app.UI {
				return app.Tr().Body(app.Th().Attr("scope", "row").Text(fmt.Sprintf("row %d", i+1)),
					app.Td().Class(specialClass(r.RowSums[i])).Text(show(r.RowSums[i])))
			})),
		),
		app.P().Class("total").Text(fmt.Sprintf("total Σ = %s; %v", show(r.Sum), r.Reason)),
	)
}

// substituted writes the sum with the first terms' numbers in place.
func substituted(r *compute.Result) string {
	const shown = 6
	var parts []string
	for i, t := range r.Terms {
		if i == shown {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(r.Terms)-shown))
			break
		}
		if r.LogTarget {
			parts = append(parts, fmt.Sprintf("e^%s·(%s − %s)", showParen(t.LogP), show(t.LogP), showParen(t.LogQ)))
		} else {
			parts = append(parts, fmt.Sprintf("%s·(%s − %s)", show(t.P), show(t.LogP), showParen(t.LogQ)))
		}
	}
	return "Σ = " + strings.Join(parts, " + ") + " = " + show(r.Sum)
}
