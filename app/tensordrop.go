package app

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/tensorfile"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// openTensors is a tensor file the page has read: its tensors stay here
// (not in the link, which holds the values shown) so that the picker can
// put another one on a side.
type openTensors struct {
	tensors []tensorfile.Tensor
	summary tensorFileSummary // what the picker shows; no values, so cheap to compare
}

// tensorFileSummary is a tensor file as the picker lists it.
type tensorFileSummary struct {
	Name    string
	Format  tensorfile.Format
	Tensors []tensorSummary
	Choice  tensorChoice
}

// tensorSummary is one tensor: name, stored dtype and shape.
type tensorSummary struct {
	Name  string
	DType tensorfile.DType
	Shape []int
}

// errTensorTooBig says that a chosen tensor has more values than a side
// may hold.
type errTensorTooBig struct {
	Tensor string
	Values int
}

func (e *errTensorTooBig) Error() string {
	return fmt.Sprintf("tensor %q has %d values, more than %d", e.Tensor, e.Values, maxFileCells)
}

// errTensorEmpty says that a chosen tensor has no values.
type errTensorEmpty struct{ Tensor string }

func (e *errTensorEmpty) Error() string { return fmt.Sprintf("tensor %q has no values", e.Tensor) }

// errNoTensors says that a file holds no tensor.
var errNoTensors = errors.New("the file holds no tensor")

// onTensorFile reads a .npy, .npz or .safetensors file dropped or picked
// on side sd, puts its tensors on P and Q as their names say
// (chooseTensors), and keeps the file for the picker. On an error nothing
// changes.
func (c *calculator) onTensorFile(ctx app.Context, sd side, name string, data []byte) error {
	c.tuneGC(len(data) / 8) // its values: at least one per 8 bytes
	prog := &fileProgress{Name: name, Reading: true, undo: c.undoPoint()}
	var f tensorfile.File
	var err error
	if app.IsClient && len(data) > decodeInSteps {
		// Decoded in slices, with a Cancel, as a large paste is parsed.
		c.startWrite(ctx, prog)
		c.writing = prog
		f, err = tensorfile.ReadYield(data, fileLimits(), c.yieldOrStop, computeSlice)
		if isCanceled(err) {
			c.cancelWrite(ctx, prog)
			return nil
		}
		c.endWrite(prog)
	} else {
		f, err = tensorfile.Read(data, fileLimits())
	}
	if err != nil {
		return err
	}
	if len(f.Tensors) == 0 {
		return errNoTensors
	}
	if len(f.Tensors) == 1 && f.Tensors[0].Name == "" {
		// A lone .npy has no name inside: its file's says what it is
		// ("teacher_logits.npy").
		f.Tensors[0].Name = strings.TrimSuffix(path.Base(name), path.Ext(name))
	}
	names := make([]string, len(f.Tensors))
	sum := tensorFileSummary{Name: name, Format: f.Format, Tensors: make([]tensorSummary, len(f.Tensors))}
	for i, t := range f.Tensors {
		names[i] = t.Name
		sum.Tensors[i] = tensorSummary{Name: t.Name, DType: t.DType, Shape: t.Shape}
	}
	sum.Choice = chooseTensors(names, sd)
	for _, i := range []int{sum.Choice.P, sum.Choice.Q} {
		if i >= 0 {
			if err := fitsSide(f.Tensors[i]); err != nil {
				return err
			}
		}
	}
	c.tensors = &openTensors{tensors: f.Tensors, summary: sum}
	c.applyTensors(ctx, sum.Choice.P, sum.Choice.Q, prog.undo)
	return nil
}

// fitsSide says whether a tensor can go on a side: it has values, and no
// more than a side holds.
func fitsSide(t tensorfile.Tensor) error {
	switch n := len(t.Data); {
	case n == 0:
		return &errTensorEmpty{Tensor: t.Name}
	case n > maxFileCells:
		return &errTensorTooBig{Tensor: t.Name, Values: n}
	}
	return nil
}

// onPickTensor puts the file's tensor i on side sd (the picker's choice).
func (c *calculator) onPickTensor(ctx app.Context, sd side, i int) {
	if c.tensors == nil || i < 0 || i >= len(c.tensors.tensors) {
		return
	}
	if err := fitsSide(c.tensors.tensors[i]); err != nil {
		c.tensorErr = texts(c.lang).Files.fileError(c.tensors.summary.Name, err)
		return
	}
	undo := c.undoPoint()
	c.tensorErr = ""
	// The picker's choice is kept in a copy: Cancel brings the old one back.
	t := *c.tensors
	t.summary.Choice.Guessed = false // the reader chose
	c.tensors = &t
	if sd == sideQ {
		t.summary.Choice.Q = i
		c.applyTensors(ctx, -1, i, undo)
	} else {
		t.summary.Choice.P = i
		c.applyTensors(ctx, i, -1, undo)
	}
}

// onCloseFile forgets the file; the values stay.
func (c *calculator) onCloseFile(ctx app.Context) {
	c.tensors, c.tensorErr = nil, ""
}

// applyTensors puts tensors p and q (-1: leave the side) of the open file
// on the sides, in one edit. A name that says the form (logits,
// logprobs, …) sets it; otherwise the values are read as a paste's are.
// The values stay numbers (State.PVals): no cell text is written but the
// cells shown. Above formatInSteps values the edit waits a frame, in
// which the page says that the result is being computed; a navigation,
// another file or a paste on its sides meanwhile abandons it, and Cancel
// brings back undo,
// taken before the file or the choice changed anything.
func (c *calculator) applyTensors(ctx app.Context, p, q int, undo undoPoint) {
	var sides []side
	var rows [][][]float64
	var picks []tensorfile.Tensor
	n := 0
	for _, pick := range []struct {
		sd side
		i  int
	}{{sideP, p}, {sideQ, q}} {
		if pick.i >= 0 {
			t := c.tensors.tensors[pick.i]
			r, _ := tensorRows(t)
			sides, rows, picks = append(sides, pick.sd), append(rows, r), append(picks, t)
			n += len(t.Data)
		}
	}
	put := func(ctx app.Context) { c.putTensors(ctx, sides, rows, picks) }
	if !app.IsClient || n <= formatInSteps {
		put(ctx)
		return
	}
	current := c.claimSides(sides)
	c.computeNext(ctx, &fileProgress{Name: c.tensors.summary.Name, undo: undo}, current, put)
}

// claimSides starts a write to sides: it abandons the writes to them
// under way, and the function returned reports whether a later one has
// abandoned this one.
func (c *calculator) claimSides(sides []side) func() bool {
	gens := make([]int, len(sides))
	for k, sd := range sides {
		c.sideGen[sd]++
		gens[k] = c.sideGen[sd]
	}
	return func() bool {
		for k, sd := range sides {
			if c.sideGen[sd] != gens[k] {
				return false
			}
		}
		return true
	}
}

// computeNext shows that prog's result is being computed, in a frame of
// its own (nothing is drawn while it is: see CalculateDTypeYield), then
// calls done in the next task, unless current reports that the write
// was abandoned, or the user canceled it meanwhile (cancel.go).
func (c *calculator) computeNext(ctx app.Context, prog *fileProgress, current func() bool, done func(app.Context)) {
	prog.Reading = false
	c.startWrite(ctx, prog)
	c.nextTask(ctx, func(ctx app.Context) {
		switch {
		case !current():
			c.endWrite(prog)
		case prog.stop.Load():
			c.cancelWrite(ctx, prog)
		default:
			if c.busy == prog {
				c.busy = nil // drawn with the result
			}
			c.writing = prog
			done(ctx) // its edit ends the write, or cancels it (edit)
			c.endWrite(prog)
		}
	})
}

// decodeInSteps is the size of a tensor file from which it is decoded in
// slices: 64 MB took about 230 ms of wasm at once, 8 MB 30 ms.
const decodeInSteps = 8 << 20

// formatInSteps is the number of values of a file or a paste from which
// its result is computed after a frame that says so (applyTensors,
// onPaste).
const formatInSteps = 100_000

// renderFileProgress says that a file's or a paste's values are being
// read or their result computed, with an indeterminate bar and a Cancel
// button (cancel.go says why it has no go-app handler). An empty slot
// otherwise.
func (c *calculator) renderFileProgress(t *uiText) app.UI {
	if c.busy == nil {
		return app.Elem("div").ID("file-progress").Class("file-progress")
	}
	what := t.Files.Computing
	if c.busy.Reading {
		what = t.Files.Reading
	}
	return app.Elem("div").ID("file-progress").Class("file-progress busy").Attr("role", "status").Body(
		app.Label().For("file-progress-bar").Text(fmt.Sprintf(what, c.busy.Name)),
		app.Elem("progress").ID("file-progress-bar"),
		app.Button().Type("button").ID(cancelButtonID).Text(t.Files.Cancel),
	)
}

// abandonWrites abandons every file and paste whose result is to come.
func (c *calculator) abandonWrites() {
	c.sideGen[sideP]++
	c.sideGen[sideQ]++
	c.busy = nil
	c.running.Store(nil)
}

// putTensors puts the tensors ts, as rows, on sides, in one edit.
func (c *calculator) putTensors(ctx app.Context, sides []side, rows [][][]float64, ts []tensorfile.Tensor) {
	c.edit(ctx, func(s *State) {
		for i, sd := range sides {
			t := ts[i]
			_, dims := tensorRows(t)
			s.setVals(sd, rows[i])
			*s.shape(sd) = nil
			if len(t.Shape) > 2 && len(t.Shape) <= maxShapeDims {
				*s.shape(sd) = slices.Clone(t.Shape)
			}
			if len(rows[i]) == 1 {
				s.Dims = dims
			}
			form := &s.PForm
			if sd == sideQ {
				form = &s.QForm
			}
			if r := roleOf(t.Name); r.HasForm {
				*form = r.Form
			} else if f, clue := compute.GuessForm(rows[i]); clue != compute.ClueNone {
				*form = f
				c.detected = formSwitch{Side: sd, To: f, Clue: clue}
			} else {
				*form = compute.FormProb
			}
		}
	})
}

// tensorRows is a tensor as the grid's rows of its last dimension, and the
// dimensions a single row stands for (1 or 2). A 0-D tensor is one value;
// the leading dimensions of a 3-D or 4-D one are the rows, row-major (the
// side keeps the shape: State.PShape).
func tensorRows(t tensorfile.Tensor) ([][]float64, int) {
	switch len(t.Shape) {
	case 0:
		return [][]float64{t.Data}, 1
	case 1:
		return [][]float64{t.Data}, 1
	}
	cols := t.Shape[len(t.Shape)-1]
	if cols == 0 {
		return [][]float64{{}}, 2
	}
	rows := make([][]float64, len(t.Data)/cols)
	for i := range rows {
		rows[i] = t.Data[i*cols : (i+1)*cols : (i+1)*cols]
	}
	return rows, 2
}

// onPageDragOver lets a file be dropped anywhere on the page: without it,
// a file dropped outside the panels would make the browser open it in
// place of the page, and the calculation would be gone.
func (c *calculator) onPageDragOver(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	e.PreventDefault()
}

// onPageDrop takes a file dropped outside the panels (which take their
// own): in the discrete mode it goes to P, or where its tensors' names
// say; elsewhere the page says where to drop it. What goes wrong shows at
// the top of the page.
func (c *calculator) onPageDrop(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	e.PreventDefault()
	dt := e.Get("dataTransfer")
	if !dt.Truthy() {
		return
	}
	files := dt.Get("files")
	if !files.Truthy() || files.Length() == 0 {
		return
	}
	t := texts(c.lang)
	if c.state.Gaussian || c.state.RLMode {
		c.dropErr = t.Files.DropHere
		if c.state.Gaussian {
			c.dropErr = t.Files.NoFilesHere
		}
		return
	}
	file := files.Index(0)
	name := file.Get("name").String()
	c.dropErr = ""
	readFile(ctx, file, c.lang, fileHandlers{
		text: func(ctx app.Context, text string) {
			if err := c.onPaste(ctx, sideP, text); err != nil {
				c.dropErr = name + ": " + t.pastedTextError(c.lang, err)
			}
		},
		tensor: func(ctx app.Context, _ string, data []byte) {
			if err := c.onTensorFile(ctx, sideP, name, data); err != nil {
				c.dropErr = t.Files.fileError(name, err)
			}
		},
		fail: func(ctx app.Context, msg string) { c.dropErr = msg },
	})
}

func (c *calculator) onDropDismiss(ctx app.Context, e app.Event) {
	defer recoverTo(ctx)
	c.dropErr = ""
}
