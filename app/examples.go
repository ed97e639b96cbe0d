package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// example is a one-click preset: a share link of a classic situation.
type example struct {
	ID       string
	Fragment string
	EN, KO   string // label
}

// examples lists the presets, each a share URL fragment.
func examples() []example {
	return []example{
		{"classic", "p=0.1,0.4,0.5&q=0.2,0.3,0.5&reduction=batchmean&dtype=float32&dims=1",
			"Classic 1-D example: tensor(0.0153), not 0.0458", "고전 예제 (1차원): 0.0458이 아닌 tensor(0.0153)"},
		{"onehot", "p=0,1,0&q=0.1,0.7,0.2&reduction=batchmean&dims=2",
			"One-hot target: KL = −log q of the true class", "원-핫 타깃: KL = 정답 클래스의 −log q"},
		{"qzero", "p=0.5,0.5&q=1,0&reduction=sum",
			"A zero in Q where P > 0 gives +∞", "P > 0인 곳의 Q = 0은 +∞"},
		{"logits", "p=0,0,1&q=2.1,-0.3,4&q_as=logits&reduction=batchmean&dims=2",
			"Logits from a classifier (log_softmax)", "분류기의 로짓 (log_softmax)"},
		{"distill", "p=3.2,1.1,-0.5;0.4,2.7,1.9&q=2.5,1.4,0.1;0.9,2.2,1.5&p_as=logits&q_as=logits&p_temp=4&q_temp=4&reduction=batchmean",
			"Knowledge distillation with T = 4 (note the T² factor)", "온도 T = 4의 지식 증류 (T² 배율에 주의)"},
		{"meanbatch", "p=0.5,0.5;0.9,0.1&q=0.25,0.75;0.5,0.5&reduction=mean",
			"A batch: 'mean' vs 'batchmean'", "배치: 'mean'과 'batchmean'"},
		{"nan", "p=0,1&q=-inf,0&q_as=log&reduction=sum",
			"NaN from 0·(−∞): target 0 with log q = −∞", "0·(−∞)의 NaN: 타깃 0, log q = −∞"},
	}
}

// examplesPanel shows the presets as links; following one is a navigation
// to its fragment, so Back returns to the previous calculation.
type examplesPanel struct {
	app.Compo

	ILang lang
}

func newExamplesPanel() *examplesPanel { return &examplesPanel{} }

func (e *examplesPanel) Lang(l lang) *examplesPanel { e.ILang = l; return e }

// Render is a compact menu: a disclosure whose list drops over the page.
func (e *examplesPanel) Render() (ui app.UI) {
	defer recoverRender(&ui)
	exs := examples()
	title := texts(e.ILang).Examples
	return app.Elem("nav").Class("examples").Aria("label", title).Body(
		app.Elem("details").Class("menu").Body(
			app.Elem("summary").Text(title),
			app.Elem("ul").Body(app.Range(exs).Slice(func(i int) app.UI {
				ex := exs[i]
				label := ex.EN
				if e.ILang == langKO {
					label = ex.KO
				}
				// A relative "#…" link resolves against the current page, so
				// it keeps a sub-path such as /repo/.
				return app.Elem("li").Body(app.A().ID("example-" + ex.ID).Href("#" + ex.Fragment).Text(label).OnClick(closeMenu))
			})),
		),
	)
}

// closeMenu folds the menu once an example is chosen; the link's own
// navigation goes ahead.
func closeMenu(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	if d := ctx.JSSrc().Call("closest", "details"); d.Truthy() {
		d.Call("removeAttribute", "open")
	}
}
