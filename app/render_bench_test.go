package app

import (
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// BenchmarkRenderParts times building each component's tree (not the DOM
// update): the Go side of a re-render.
func BenchmarkRenderParts(b *testing.B) {
	c := newCalculator()
	st, _ := DecodeState("p=0.1,0.4,0.5&q=0.2,0.3,0.5")
	c.state, c.ready = st, true
	c.recompute()
	r := c.result
	parts := map[string]func() app.UI{
		"root":      func() app.UI { return c.Render() },
		"result":    func() app.UI { return newResultView().Result(r).Render() },
		"chart":     func() app.UI { return newChartView().Result(r).Row(c.chartRow).Render() },
		"breakdown": func() app.UI { return newBreakdownView().Result(r).Render() },
		"related":   func() app.UI { return newRelatedView().Result(r).Render() },
		"compare":   func() app.UI { return newCompareView().Values(c.compare).Render() },
		"snippet":   func() app.UI { return newSnippetView().Problem(c.kl).Render() },
		"sideP":     func() app.UI { return newSidePanel().Side(sideP).Rows(c.state.P).Render() },
		"options":   func() app.UI { return newOptionsPanel().Render() },
		"examples":  func() app.UI { return newExamplesPanel().Render() },
		"html":      func() app.UI { app.HTMLString(c); return nil },
	}
	for name, f := range parts {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				f()
			}
		})
	}
}
