package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// topEditor takes the header's choices.
type topEditor interface {
	onMode(ctx app.Context, gaussian bool)
	copyLink(ctx app.Context)
	setLang(ctx app.Context, l lang)
}

// topBar is the page header: the title, the mode switch, the examples, the
// share button and the language. A component of its own, so that an edit
// of the data, which changes none of its fields, does not redraw it.
type topBar struct {
	app.Compo

	ILang     lang
	IGaussian bool
	ICopied   bool // "Link copied" is shown
	IEditor   topEditor
}

func newTopBar() *topBar { return &topBar{} }

func (b *topBar) Lang(l lang) *topBar        { b.ILang = l; return b }
func (b *topBar) Gaussian(g bool) *topBar    { b.IGaussian = g; return b }
func (b *topBar) Copied(c bool) *topBar      { b.ICopied = c; return b }
func (b *topBar) Editor(e topEditor) *topBar { b.IEditor = e; return b }

func (b *topBar) Render() app.UI {
	t, l := texts(b.ILang), b.ILang
	return app.Elem("header").Class("top").Body(
		app.Elem("div").Class("brand").Body(
			app.Elem("h1").Text(t.Title),
			app.Elem("p").Class("lede").Text(t.Lede),
		),
		app.Elem("div").Class("toolbar").Body(
			b.renderMode(t),
			newExamplesPanel().Lang(l),
			app.Elem("div").Class("share").Body(
				app.Button().ID("copy-link").Type("button").Text(t.CopyLink).OnClick(b.onCopy),
				app.Elem("span").Class("copied").Attr("role", "status").Text(map[bool]string{true: t.Copied}[b.ICopied]),
				app.Label().Class("lang").Body(
					app.Span().Class("lang-text").Text(t.Language+" "),
					app.Select().ID("lang").OnChange(b.onLang).Body(
						app.Option().Value("en").Lang("en").Selected(l == langEN).Text("English"),
						app.Option().Value("ko").Lang("ko").Selected(l == langKO).Text("한국어"),
					),
				),
			),
		),
	)
}

// renderMode switches between the discrete calculator and the Gaussian
// closed forms.
func (b *topBar) renderMode(t *uiText) app.UI {
	g := b.IGaussian
	return app.Elem("div").Class("tabs mode").Attr("role", "group").Aria("label", t.ModeLabel).Body(
		app.Button().Type("button").ID("mode-kl").Class(map[bool]string{true: "tab active", false: "tab"}[!g]).
			Aria("pressed", !g).Text(t.ModeDiscrete).OnClick(b.onMode, false),
		app.Button().Type("button").ID("mode-gauss").Class(map[bool]string{true: "tab active", false: "tab"}[g]).
			Aria("pressed", g).Text(t.ModeGauss).OnClick(b.onMode, true),
	)
}

func (b *topBar) onMode(ctx app.Context, e app.Event) {
	if b.IEditor != nil {
		b.IEditor.onMode(ctx, ctx.JSSrc().Get("id").String() == "mode-gauss")
	}
}

func (b *topBar) onCopy(ctx app.Context, e app.Event) {
	if b.IEditor != nil {
		b.IEditor.copyLink(ctx)
	}
}

func (b *topBar) onLang(ctx app.Context, e app.Event) {
	if l, ok := parseLang(ctx.JSSrc().Get("value").String()); ok && b.IEditor != nil {
		b.IEditor.setLang(ctx, l)
	}
}
