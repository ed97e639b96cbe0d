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
	ILang   lang

	page int // the page of terms shown
}

func newBreakdownView() *breakdownView { return &breakdownView{} }

func (b *breakdownView) Lang(l lang) *breakdownView { b.ILang = l; return b }

func (b *breakdownView) Result(r *compute.Result) *breakdownView { b.IResult = r; return b }

// termsPerPage is the number of table rows drawn at a time; the sums always
// cover every term. Few rows keep each edit's re-render cheap.
const termsPerPage = 50

// maxTermRows bounds the row sums drawn.
const maxTermRows = 500

func (b *breakdownView) Render() app.UI {
	r := b.IResult
	if r == nil {
		return app.Section()
	}
	t := texts(b.ILang)
	pages := max(1, (len(r.Terms)+termsPerPage-1)/termsPerPage)
	b.page = min(max(b.page, 0), pages-1)
	lo, hi := b.page*termsPerPage, min((b.page+1)*termsPerPage, len(r.Terms))
	formula := t.FormulaProb
	if r.LogTarget {
		formula = t.FormulaLog
	}
	return app.Section().Class("breakdown").Aria("labelledby", "breakdown-heading").Body(
		app.H2().ID("breakdown-heading").Text(t.Breakdown),
		app.P().Body(app.Code().Text(formula)),
		app.P().Class("substituted").ID("substituted").Text(substituted(r)),
		app.Div().Class("table-wrap").Body(app.Table().Class("terms").ID("terms").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Text(t.ColRow), app.Th().Text(t.ColClass), app.Th().Text("p"), app.Th().Text("q"),
				app.Th().Text("log p"), app.Th().Text(t.ColLogQ), app.Th().Text(t.ColTerm), app.Th().Text(t.ColNote),
			)),
			app.TBody().Body(app.Range(r.Terms[lo:hi]).Slice(func(i int) app.UI {
				tm := r.Terms[lo+i]
				return app.Tr().Class(specialClass(tm.Value)).Body(
					app.Td().Text(tm.Row+1), app.Td().Text(tm.Col+1),
					app.Td().Text(show(tm.P)), app.Td().Text(show(tm.Q)),
					app.Td().Text(show(tm.LogP)), app.Td().Text(show(tm.LogQ)),
					app.Td().Class("term "+specialClass(tm.Value)).DataSet("value", dataValue(tm.Value)).Text(show(tm.Value)),
					app.Td().Class("note").Text(t.special(tm.Special)),
				)
			})),
		)),
		app.If(pages > 1, app.Div().Class("pager").Body(
			app.Span().ID("terms-window").Attr("role", "status").Text(fmt.Sprintf(t.ShowingTerms, lo+1, hi, len(r.Terms))),
			app.Button().Type("button").ID("terms-prev").Text("←").Aria("label", t.PrevTerms).Disabled(b.page == 0).
				OnClick(func(ctx app.Context, e app.Event) { b.page-- }),
			app.Button().Type("button").ID("terms-next").Text("→").Aria("label", t.NextTerms).Disabled(b.page >= pages-1).
				OnClick(func(ctx app.Context, e app.Event) { b.page++ }),
		)),
		app.Table().Class("rowsums").ID("rowsums").Body(
			app.Caption().Text(t.RowSums),
			app.TBody().Body(app.Range(r.RowSums[:min(len(r.RowSums), maxTermRows)]).Slice(func(i int) app.UI {
				return app.Tr().Body(app.Th().Attr("scope", "row").Text(fmt.Sprintf(t.RowN, i+1)),
					app.Td().Class(specialClass(r.RowSums[i])).Text(show(r.RowSums[i])))
			})),
		),
		app.P().Class("total").Text(fmt.Sprintf(t.TotalLine, show(r.Sum), t.divisor(r.Reason))),
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
