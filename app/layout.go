package app

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// tableWrap holds a table that may be wider than the screen. It scrolls on
// its own, and so is a named region that the keyboard can reach
// (WCAG 2.1.1; axe's scrollable-region-focusable).
// Its name is the table's, told apart from the section it is in.
func tableWrap(l lang, label string, table app.UI) app.UI {
	return app.Elem("div").Class("table-wrap").Attr("role", "region").Aria("label", fmt.Sprintf(texts(l).TableOf, label)).
		Attr("tabindex", "0").Body(table)
}
