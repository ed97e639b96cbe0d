package app

import (
	"reflect"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// sameFields reports whether go-app v9.8.0 would skip updating a mounted
// component a with the freshly rendered b: Compo.updateWith compares
// every settable field but the embedded Compo with reflect.DeepEqual.
func sameFields(a, b app.Composer) bool {
	av, bv := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	compo := reflect.TypeOf(app.Compo{})
	for i := 0; i < av.NumField(); i++ {
		f := av.Field(i)
		if f.Type() == compo || !f.CanSet() {
			continue
		}
		if !reflect.DeepEqual(f.Interface(), bv.Field(i).Interface()) {
			return false
		}
	}
	return true
}

// A re-render with nothing changed leaves every child as it is, and an
// edit of one Q cell changes the Q panel only: the views hold the
// calculator, not fresh closures, and an edit never writes into the rows
// a view holds (docs/goapp.md §3).
func TestChildrenSkipped(t *testing.T) {
	c := newCalculator()
	c.ready = true
	c.recompute()
	children := func() map[string]app.Composer {
		return map[string]app.Composer{
			"P panel": c.sidePanel(sideP),
			"Q panel": c.sidePanel(sideQ),
			"options": c.optionsPanel(),
			"top bar": newTopBar().Lang(c.lang).Mode(c.state.mode()).Copied(c.copy).Editor(c),
			"tab bar": newTabBar().Lang(c.lang).Open(c.state.View).Opener(c),
			"grid":    newGrid().Side(sideP).Rows(c.state.P).Owner(c.sidePanel(sideP)),
		}
	}
	before := children()
	for name, b := range children() {
		if !sameFields(before[name], b) {
			t.Errorf("%s: an unchanged state renders a child go-app updates", name)
		}
	}
	// The edit as the app makes it: edit's detach, then onCell's setCell.
	c.state.detach()
	c.state.setCell(sideQ, 0, 0, "0.25")
	c.recompute()
	after := children()
	for name, changed := range map[string]bool{"P panel": false, "Q panel": true, "options": false, "top bar": false, "tab bar": false} {
		if got := !sameFields(before[name], after[name]); got != changed {
			t.Errorf("%s after an edit of Q: changed = %v, want %v", name, got, changed)
		}
	}
}

// TestParseCellID: cellID read back, and ids that are not a cell's.
func TestParseCellID(t *testing.T) {
	for _, sd := range []side{sideP, sideQ} {
		for _, rc := range [][2]int{{0, 0}, {3, 12}, {1023, 127999}} {
			s, i, j, ok := parseCellID(cellID(sd, rc[0], rc[1]))
			if !ok || s != sd.String() || i != rc[0] || j != rc[1] {
				t.Errorf("parseCellID(%q) = %q, %d, %d, %v", cellID(sd, rc[0], rc[1]), s, i, j, ok)
			}
		}
	}
	for _, id := range []string{"", "P", "P-r1", "P-rx-c1", "P-r1-cy", "P-r1-c2-err", "fix-1"} {
		if _, _, _, ok := parseCellID(id); ok {
			t.Errorf("parseCellID(%q) is a cell", id)
		}
	}
}
