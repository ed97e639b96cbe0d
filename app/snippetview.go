package app

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// snippetView shows copy-ready code that reproduces the number on screen,
// written from the problem recompute parsed.
type snippetView struct {
	app.Compo

	IProblem klProblem
	ILang    lang

	tab    snippetLang
	copied copyResult
}

func newSnippetView() *snippetView { return &snippetView{} }

// maxSnippetValues bounds the numbers written into code: beyond it a
// program literal is neither readable nor quick to build on every edit.
const maxSnippetValues = 20000

func (v *snippetView) Problem(p klProblem) *snippetView { v.IProblem = p; return v }
func (v *snippetView) Lang(l lang) *snippetView         { v.ILang = l; return v }

func (v *snippetView) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t := texts(v.ILang)
	var code string
	if n := len(v.IProblem.p.Data.Data) + len(v.IProblem.q.Data.Data); n > maxSnippetValues {
		code = fmt.Sprintf(t.SnippetTooBig, n, maxSnippetValues)
	} else if c, err := v.IProblem.snippet(v.tab); err != nil {
		code = err.Error()
	} else {
		code = c
	}
	langs := snippetLangs()
	return app.Elem("section").Class("snippets").Aria("labelledby", "snippet-heading").Body(
		app.Elem("h2").ID("snippet-heading").Text(t.Code),
		app.Elem("div").Class("tabs").Attr("role", "tablist").Aria("label", t.Code).Body(
			app.Range(langs).Slice(func(i int) app.UI {
				l := langs[i]
				return app.Button().Type("button").ID("snippet-tab-"+l.String()).Attr("role", "tab").
					Aria("selected", l == v.tab).Aria("controls", "snippet").
					Class(map[bool]string{true: "tab active", false: "tab"}[l == v.tab]).
					Text(l.String()).OnClick(func(ctx app.Context, e app.Event) {
					defer recoverTo(ctx)
					v.tab, v.copied = l, copyNone
				}, l)
			}),
		),
		app.Elem("pre").ID("snippet").Attr("role", "tabpanel").Attr("tabindex", "0").Body(app.Elem("code").Text(code)),
		app.Button().Type("button").ID("copy-snippet").Text(t.CopyCode).OnClick(func(ctx app.Context, e app.Event) {
			defer recoverTo(ctx)
			// The shown tab's text, read at the click: the handler, made
			// at the first render, would otherwise keep that render's code
			// (go-app keeps a handler whose scope did not change).
			shown := code
			if el := app.Window().GetElementByID("snippet"); el.Truthy() {
				shown = el.Get("textContent").String()
			}
			copyText(ctx, shown, func(r copyResult) { v.copied = r })
		}),
		app.Elem("span").Attr("role", "status").Class("copied").Text(t.copyMessage(v.copied, t.Copied2)),
	)
}
