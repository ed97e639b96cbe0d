package app

import (
	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/distill"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The views send the user's edits up through these interfaces, which the
// calculator implements, and hold the calculator itself rather than a
// closure made at each render. go-app v9 compares a child's exported
// fields with reflect.DeepEqual before updating it; two funcs are never
// equal there, so a func field re-rendered every child on every edit. The
// same pointer is equal, so a child whose data did not change is skipped
// (docs/goapp.md §3).

// panelEditor takes a side panel's edits.
type panelEditor interface {
	onCell(ctx app.Context, sd side, row, col int, v string)
	onResize(ctx app.Context, sd side, op resizeOp)
	onPaste(ctx app.Context, sd side, text string) error
	onTensorFile(ctx app.Context, sd side, name string, data []byte) error
	onForm(ctx app.Context, sd side, f compute.Form)
	onTemp(ctx app.Context, sd side, t string)
}

// gridOwner takes a grid's edits: the side panel, which knows its side.
type gridOwner interface {
	gridCell(ctx app.Context, row, col int, v string)
	gridAddRow(ctx app.Context)                  // Enter on the last row
	gridPaste(ctx app.Context, text string) bool // several numbers pasted into a cell; false: not taken
}

type optionsEditor interface {
	onOptions(ctx app.Context, v optionValues)
}

// resultEditor takes the result card's choices: a warning's fix, and the
// T² switch.
type resultEditor interface {
	onFix(ctx app.Context, a fixAction)
	setScaleT2(ctx app.Context, on bool)
}

type viewOpener interface {
	onView(ctx app.Context, v view)
}

// chartRowPicker keeps the reader's choice of chart row.
type chartRowPicker interface {
	onChartRow(ctx app.Context, row int)
}

// comparer computes the other libraries' values on demand (large inputs).
type comparer interface {
	onCompare(ctx app.Context)
}

type gaussEditor interface {
	onGaussCase(ctx app.Context, gc gaussCase)
	onGaussField(ctx app.Context, f gaussField, text string)
}

var (
	_ panelEditor    = (*calculator)(nil)
	_ optionsEditor  = (*calculator)(nil)
	_ resultEditor   = (*calculator)(nil)
	_ viewOpener     = (*calculator)(nil)
	_ chartRowPicker = (*calculator)(nil)
	_ comparer       = (*calculator)(nil)
	_ gaussEditor    = (*calculator)(nil)
	_ topEditor      = (*calculator)(nil)
	_ gridOwner      = (*sidePanel)(nil)
)

// distillEditor takes the distillation tab's choices: the flavour shown,
// the token mask and GKD's β, as typed.
type distillEditor interface {
	onFlavor(ctx app.Context, f distill.Flavor)
	onDistillField(ctx app.Context, mask bool, text string)
}
