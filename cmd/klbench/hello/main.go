//go:build klbenchhello

// Command hello is go-app v9's hello world: the baseline that cmd/klbench
// compares the calculator with (transfer size, cold load). klbench builds it
// with the calculator's flags and turns it into a site with the same
// "klcalc site" pipeline. The build tag keeps it out of every other build,
// test and vet, so it never ships.
package main

import "github.com/maxence-charriere/go-app/v9/pkg/app"

type hello struct {
	app.Compo
}

func (h *hello) Render() app.UI {
	return app.H1().ID("klbench-hello").Text("Hello World!")
}

func main() {
	app.Route("/", &hello{})
	app.RunWhenOnBrowser()
}
