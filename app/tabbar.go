package app

import (
	"slices"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// view is the open tab of the discrete mode's workspace: what is shown
// beyond the result. Only the open one is rendered.
type view int

const (
	viewBreakdown view = iota // the default: the worked breakdown
	viewCharts
	viewRelated
	viewLibraries
	viewCode
	viewGradient
	viewDistill
)

var viewNames = [...]string{
	viewBreakdown: "breakdown",
	viewCharts:    "charts",
	viewRelated:   "related",
	viewLibraries: "libraries",
	viewCode:      "code",
	viewGradient:  "gradient",
	viewDistill:   "distill",
}

// views lists the tabs in their order on the page.
func views() []view {
	return []view{viewBreakdown, viewCharts, viewGradient, viewDistill, viewRelated, viewLibraries, viewCode}
}

// String is the tab's name in the link (tab=charts) and in element ids.
func (v view) String() string {
	if v >= 0 && int(v) < len(viewNames) {
		return viewNames[v]
	}
	return viewNames[viewBreakdown]
}

func parseView(s string) (view, bool) {
	for _, v := range views() {
		if s == v.String() {
			return v, true
		}
	}
	return viewBreakdown, false
}

// tabBar is the workspace's row of tabs (the ARIA tabs pattern): a click,
// or an arrow key, opens a tab through the callback, as an edit.
type tabBar struct {
	app.Compo

	IOpen   view
	ILang   lang
	IViews  []view // the tabs, in order; nil: every view (views)
	IOpener viewOpener
}

func (b *tabBar) Views(vs []view) *tabBar { b.IViews = vs; return b }

// tabs are the bar's tabs, in order.
func (b *tabBar) tabs() []view {
	if b.IViews != nil {
		return b.IViews
	}
	return views()
}

func newTabBar() *tabBar { return &tabBar{} }

func (b *tabBar) Open(v view) *tabBar         { b.IOpen = v; return b }
func (b *tabBar) Lang(l lang) *tabBar         { b.ILang = l; return b }
func (b *tabBar) Opener(o viewOpener) *tabBar { b.IOpener = o; return b }

// tabLabel is a tab's name in the reader's language.
func (t *uiText) tabLabel(v view) string {
	switch v {
	case viewCharts:
		return t.TabCharts
	case viewRelated:
		return t.TabRelated
	case viewLibraries:
		return t.TabLibraries
	case viewCode:
		return t.TabCode
	case viewGradient:
		return t.TabGradient
	case viewDistill:
		return t.TabDistill
	}
	return t.TabBreakdown
}

func (b *tabBar) Render() (ui app.UI) {
	defer recoverRender(&ui)
	t := texts(b.ILang)
	vs := b.tabs()
	return app.Elem("div").Class("tabs views").Attr("role", "tablist").Aria("label", t.ViewsLabel).Body(
		app.Range(vs).Slice(func(i int) app.UI {
			v := vs[i]
			open := v == b.IOpen
			tabindex := "-1" // one tab stop for the row; arrows move within it
			if open {
				tabindex = "0"
			}
			return app.Button().Type("button").ID("tab-"+v.String()).Attr("role", "tab").
				Aria("selected", open).Aria("controls", "view").Attr("tabindex", tabindex).
				Class(map[bool]string{true: "tab active", false: "tab"}[open]).
				Text(t.tabLabel(v)).
				OnClick(b.onClick, v).OnKeyDown(b.onKey, v)
		}),
	)
}

func (b *tabBar) onClick(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	v, _ := parseView(ctx.JSSrc().Get("id").String()[len("tab-"):])
	b.open(ctx, v)
}

// onKey moves between the tabs with the arrow keys, Home and End.
func (b *tabBar) onKey(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	cur, _ := parseView(ctx.JSSrc().Get("id").String()[len("tab-"):])
	vs := b.tabs()
	i := max(slices.Index(vs, cur), 0)
	switch e.Get("key").String() {
	case "ArrowRight":
		i = (i + 1) % len(vs)
	case "ArrowLeft":
		i = (i + len(vs) - 1) % len(vs)
	case "Home":
		i = 0
	case "End":
		i = len(vs) - 1
	default:
		return
	}
	e.PreventDefault()
	b.open(ctx, vs[i])
	if el := app.Window().GetElementByID("tab-" + vs[i].String()); el.Truthy() {
		el.Call("focus")
	}
}

func (b *tabBar) open(ctx app.Context, v view) {
	if b.IOpener != nil {
		b.IOpener.onView(ctx, v)
	}
}
