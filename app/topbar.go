package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// topEditor takes the header's choices.
type topEditor interface {
	onMode(ctx app.Context, m pageMode)
	copyLink(ctx app.Context)
	setLang(ctx app.Context, l lang)
}

// topBar is the page header: the title, the mode switch, the examples, the
// share button and the language. A component of its own, so that an edit
// of the data, which changes none of its fields, does not redraw it.
type topBar struct {
	app.Compo

	ILang   lang
	IMode   pageMode
	ICopy   copyResult // what Copy link did
	IEditor topEditor
}

func newTopBar() *topBar { return &topBar{} }

func (b *topBar) Lang(l lang) *topBar         { b.ILang = l; return b }
func (b *topBar) Mode(m pageMode) *topBar     { b.IMode = m; return b }
func (b *topBar) Copied(r copyResult) *topBar { b.ICopy = r; return b }
func (b *topBar) Editor(e topEditor) *topBar  { b.IEditor = e; return b }

func (b *topBar) Render() (ui app.UI) {
	defer recoverRender(&ui)
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
				app.Elem("span").Class("copied").Attr("role", "status").Text(t.copyMessage(b.ICopy, t.Copied)),
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

// renderMode switches between the discrete calculator, the Gaussian
// closed forms and the RL estimators.
func (b *topBar) renderMode(t *uiText) app.UI {
	button := func(m pageMode, label string) app.UI {
		on := b.IMode == m
		return app.Button().Type("button").ID("mode-"+m.String()).Class(map[bool]string{true: "tab active", false: "tab"}[on]).
			Aria("pressed", on).Text(label).OnClick(b.onMode, m)
	}
	return app.Elem("div").Class("tabs mode").Attr("role", "group").Aria("label", t.ModeLabel).Body(
		button(modeKL, t.ModeDiscrete), button(modeGauss, t.ModeGauss), button(modeRL, t.ModeRL),
	)
}

// pageMode is the calculator's mode, as mode= writes it.
type pageMode int

const (
	modeKL    pageMode = iota // F.kl_div on discrete distributions
	modeGauss                 // the Gaussian closed forms
	modeRL                    // the RL estimators from sampled tokens
)

func (m pageMode) String() string {
	switch m {
	case modeGauss:
		return "gauss"
	case modeRL:
		return "rl"
	}
	return "kl"
}

// mode is the state's mode.
func (s State) mode() pageMode {
	switch {
	case s.RLMode:
		return modeRL
	case s.Gaussian:
		return modeGauss
	}
	return modeKL
}

func (b *topBar) onMode(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if b.IEditor == nil {
		return
	}
	switch ctx.JSSrc().Get("id").String() {
	case "mode-gauss":
		b.IEditor.onMode(ctx, modeGauss)
	case "mode-rl":
		b.IEditor.onMode(ctx, modeRL)
	default:
		b.IEditor.onMode(ctx, modeKL)
	}
}

func (b *topBar) onCopy(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if b.IEditor != nil {
		b.IEditor.copyLink(ctx)
	}
}

func (b *topBar) onLang(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if l, ok := parseLang(ctx.JSSrc().Get("value").String()); ok && b.IEditor != nil {
		b.IEditor.setLang(ctx, l)
	}
}
