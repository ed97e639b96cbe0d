package app

import (
	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// compareView shows what other libraries return for the same P and Q,
// and why they differ from PyTorch's kl_div.
type compareView struct {
	app.Compo

	IValues    []compute.FrameworkValue // nil: not computed yet (a large input)
	ILang      lang
	IonCompute func(ctx app.Context)
}

func newCompareView() *compareView { return &compareView{} }

func (v *compareView) Values(fv []compute.FrameworkValue) *compareView { v.IValues = fv; return v }
func (v *compareView) Lang(l lang) *compareView                        { v.ILang = l; return v }
func (v *compareView) OnCompute(f func(app.Context)) *compareView      { v.IonCompute = f; return v }

// frameworkWhy is the general reason a library differs, in Korean. (In
// English the compute package's note, specific to the input, is shown.)
func frameworkWhyKO(f compute.Framework) string {
	switch f {
	case compute.FrameworkTorchKLDiv:
		return "기준값: xlogy(p, p) − p·log q를 고른 reduction으로 축약합니다."
	case compute.FrameworkScipyEntropy:
		return "각 행의 합이 1이 되도록 정규화한 뒤 rel_entr를 더합니다 (SciPy의 기본 축은 열 방향인 axis=0이므로 여기서는 axis=-1로 계산)."
	case compute.FrameworkScipyRelEntr:
		return "p ≥ 0이면 kl_div와 같은 항이지만 p = q = 0은 NaN 대신 0, 음수 p는 +∞이며 행마다 더합니다."
	case compute.FrameworkScipyKLDiv:
		return "볼록 최적화 형태 x·log(x/y) − x + y이므로 Σp = Σq일 때만 rel_entr와 같습니다."
	case compute.FrameworkKeras:
		return "두 입력을 float32로 [1e-7, 1]에 잘라내므로 0은 1e-7, 1보다 큰 값은 1이 되고, 배치에 대해 평균합니다."
	}
	return "행을 정규화하고 확률을 [eps, 1 − eps]로 제한합니다; p = 0인 항은 0, q = 0이면 +∞입니다."
}

func (v *compareView) Render() app.UI {
	t := texts(v.ILang)
	if v.IValues == nil {
		return app.Elem("section").Class("compare").Aria("labelledby", "compare-heading").Body(
			app.Elem("h2").ID("compare-heading").Text(t.Compare),
			app.Button().Type("button").ID("compare-compute").Text(t.CompareLarge).OnClick(func(ctx app.Context, e app.Event) {
				if v.IonCompute != nil {
					v.IonCompute(ctx)
				}
			}),
		)
	}
	return app.Elem("section").Class("compare").Aria("labelledby", "compare-heading").Body(
		app.Elem("h2").ID("compare-heading").Text(t.Compare),
		app.Elem("div").Class("table-wrap").Body(app.Elem("table").ID("compare").Body(
			app.Elem("thead").Body(app.Elem("tr").Body(
				app.Elem("th").Text(t.ColLibrary), app.Elem("th").Text(t.ColValue), app.Elem("th").Text(t.ColWhy),
			)),
			app.Elem("tbody").Body(app.Range(v.IValues).Slice(func(i int) app.UI {
				fv := v.IValues[i]
				why := fv.Note
				if v.ILang == langKO {
					why = frameworkWhyKO(fv.Framework)
				}
				value := app.Elem("td").Class("fw-value "+specialClass(fv.Value)).DataSet("value", compute.FormatFloat(fv.Value)).Text(show(fv.Value))
				if fv.Err != "" {
					value = app.Elem("td").Class("fw-value fw-error").DataSet("value", "error").Text(t.Raises)
					why = fv.Err
				}
				return app.Elem("tr").ID("fw-"+fwID(fv.Framework)).Body(
					app.Elem("th").Attr("scope", "row").Body(app.Elem("code").Text(fv.Framework.Call())),
					value,
					app.Elem("td").Class("note").Text(why),
				)
			})),
		)),
	)
}

// fwID is a short stable id for a framework's row.
func fwID(f compute.Framework) string {
	switch f {
	case compute.FrameworkTorchKLDiv:
		return "torch"
	case compute.FrameworkScipyEntropy:
		return "scipy-entropy"
	case compute.FrameworkScipyRelEntr:
		return "scipy-rel-entr"
	case compute.FrameworkScipyKLDiv:
		return "scipy-kl-div"
	case compute.FrameworkKeras:
		return "keras"
	}
	return "torch-distributions"
}
