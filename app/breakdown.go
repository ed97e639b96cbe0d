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

	IResult  *compute.Result
	ILang    lang
	ISummary *termSummary // of IResult's terms when made beforehand; nil: topTerms makes it

	page int // the page of terms shown
}

func newBreakdownView() *breakdownView { return &breakdownView{} }

func (b *breakdownView) Lang(l lang) *breakdownView { b.ILang = l; return b }

func (b *breakdownView) Result(r *compute.Result) *breakdownView { b.IResult = r; return b }

func (b *breakdownView) Summary(s *termSummary) *breakdownView { b.ISummary = s; return b }

// termsPerPage is the number of table rows drawn at a time; the sums always
// cover every term. Few rows keep each edit's re-render cheap.
const termsPerPage = 50

// maxTermRows bounds the row sums drawn.
const maxTermRows = 500

func (b *breakdownView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	r := b.IResult
	if r == nil {
		return app.Elem("section")
	}
	t := texts(b.ILang)
	pages := max(1, (r.Terms.Len()+termsPerPage-1)/termsPerPage)
	b.page = min(max(b.page, 0), pages-1)
	lo, hi := b.page*termsPerPage, min((b.page+1)*termsPerPage, r.Terms.Len())
	page := r.Terms.Slice(lo, hi)
	formula := t.FormulaProb
	if r.LogTarget {
		formula = t.FormulaLog
	}
	return app.Elem("section").Class("breakdown").Aria("labelledby", "breakdown-heading").Body(
		app.Elem("h2").ID("breakdown-heading").Text(t.Breakdown),
		app.Elem("p").Class("formula").Body(app.Elem("code").Text(formula)),
		app.Elem("p").Class("substituted").ID("substituted").Text(substituted(r)),
		newTopTerms().Lang(b.ILang).Result(r).Summary(b.ISummary),
		app.If(r.Terms.Len() > topK, app.Elem("h3").Class("all-terms").Text(t.AllTerms)),
		tableWrap(b.ILang, t.Breakdown, app.Elem("table").Class("terms").ID("terms").Body(
			app.Elem("thead").Body(app.Elem("tr").Body(
				app.Elem("th").Text(t.ColRow), app.Elem("th").Text(t.ColClass), app.Elem("th").Text("p"), app.Elem("th").Text("q"),
				app.Elem("th").Text("log p"), app.Elem("th").Text(t.ColLogQ), app.Elem("th").Text(t.ColTerm), app.Elem("th").Text(t.ColNote),
			)),
			app.Elem("tbody").Body(app.Range(page).Slice(func(i int) app.UI {
				tm := page[i]
				return app.Elem("tr").Class(specialClass(tm.Value)).Body(
					app.Elem("td").Text(rowName(r.Shape, tm.Row)), app.Elem("td").Text(tm.Col+1),
					app.Elem("td").Text(show(tm.P)), app.Elem("td").Text(show(tm.Q)),
					app.Elem("td").Text(show(tm.LogP)), app.Elem("td").Text(show(tm.LogQ)),
					app.Elem("td").Class("term "+specialClass(tm.Value)).DataSet("value", compute.FormatFloat(tm.Value)).Text(show(tm.Value)),
					app.Elem("td").Class("note").Text(t.special(tm.Special)),
				)
			})),
		)),
		app.If(pages > 1, app.Elem("div").Class("pager").Body(
			app.Elem("span").ID("terms-window").Attr("role", "status").Text(fmt.Sprintf(t.ShowingTerms, lo+1, hi, r.Terms.Len())),
			app.Button().Type("button").ID("terms-prev").Text("←").Aria("label", t.PrevTerms).Disabled(b.page == 0).
				OnClick(func(ctx app.Context, e app.Event) {
					defer recoverTo(ctx)
					b.page--
				}),
			app.Button().Type("button").ID("terms-next").Text("→").Aria("label", t.NextTerms).Disabled(b.page >= pages-1).
				OnClick(func(ctx app.Context, e app.Event) {
					defer recoverTo(ctx)
					b.page++
				}),
		)),
		app.Elem("table").Class("rowsums").ID("rowsums").Body(
			app.Elem("caption").Text(t.RowSums),
			app.Elem("tbody").Body(app.Range(r.RowSums[:min(len(r.RowSums), maxTermRows)]).Slice(func(i int) app.UI {
				return app.Elem("tr").Body(app.Elem("th").Attr("scope", "row").Text(fmt.Sprintf(t.RowNamed, rowName(r.Shape, i))),
					app.Elem("td").Class(specialClass(r.RowSums[i])).Text(show(r.RowSums[i])))
			})),
		),
		app.Elem("p").Class("total").Text(fmt.Sprintf(t.TotalLine, show(r.Sum), t.divisor(r.Reason))),
	)
}

// substituted writes the sum with the first terms' numbers in place.
func substituted(r *compute.Result) string {
	const shown = 6
	var parts []string
	for i, t := range r.Terms.All() {
		if i == shown {
			parts = append(parts, fmt.Sprintf("… (%d more)", r.Terms.Len()-shown))
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
