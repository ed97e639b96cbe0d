package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The take-away files: the breakdown and the per-row values as CSV, and
// the charts as SVG and PNG. Everything is made in the page; nothing is
// sent anywhere.

// csvNumber spells a number for Python, NumPy and pandas: shortest
// round-trip digits, "inf", "-inf" and "nan".
func csvNumber(x float64) string {
	return strings.TrimPrefix(strings.ToLower(compute.FormatFloat(x)), "+")
}

// breakdownCSV is one line per element of the pointwise loss.
func breakdownCSV(r *compute.Result) string {
	var b strings.Builder
	b.WriteString("row,class,p,q,log_p,log_q,term,special\n")
	for _, t := range r.Terms.All() {
		special := ""
		if t.Special != compute.SpecialNone {
			special = t.Special.String()
		}
		b.WriteString(strings.Join([]string{
			strconv.Itoa(t.Row + 1), strconv.Itoa(t.Col + 1),
			csvNumber(t.P), csvNumber(t.Q), csvNumber(t.LogP), csvNumber(t.LogQ), csvNumber(t.Value), special,
		}, ","))
		b.WriteByte('\n')
	}
	return b.String()
}

// rowsCSV is one line per output row: the sum of its terms, and the
// reduction's value on the last line.
func rowsCSV(r *compute.Result) string {
	var b strings.Builder
	b.WriteString("row,sum_of_terms\n")
	for i, s := range r.RowSums {
		b.WriteString(strconv.Itoa(i+1) + "," + csvNumber(s) + "\n")
	}
	if r.Reduction != compute.ReductionNone {
		b.WriteString(r.Reduction.String() + "," + csvNumber(r.Value) + "\n")
	}
	return b.String()
}

// saveFile offers data as a download named name.
func saveFile(ctx app.Context, name, mime string, data any) {
	win := app.Window()
	blob := win.Get("Blob").New([]any{data}, map[string]any{"type": mime})
	saveBlob(ctx, name, blob)
}

func saveBlob(ctx app.Context, name string, blob app.Value) {
	win := app.Window()
	url := win.Get("URL").Call("createObjectURL", blob)
	doc := win.Get("document")
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	// The download has started by then; the URL is only memory.
	later(ctx, time.Minute, func(app.Context) { win.Get("URL").Call("revokeObjectURL", url) })
}

// svgProps are the properties the page's CSS gives the charts; a saved
// SVG carries them as presentation attributes (not style attributes, which
// the page's CSP refuses), so that it looks the same on its own.
var svgProps = [...]string{"fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "opacity", "font-size", "font-family", "font-weight", "color"}

// chartMarkup is the chart with id as a standalone SVG document.
func chartMarkup(id string) (string, bool) {
	win := app.Window()
	svg := win.Get("document").Call("getElementById", id)
	if !svg.Truthy() {
		return "", false
	}
	clone := svg.Call("cloneNode", true)
	src, dst := svg.Call("querySelectorAll", "*"), clone.Call("querySelectorAll", "*")
	copyStyle := func(from, to app.Value) {
		cs := win.Call("getComputedStyle", from)
		for _, p := range svgProps {
			if v := cs.Call("getPropertyValue", p).String(); v != "" {
				to.Call("setAttribute", p, v)
			}
		}
	}
	copyStyle(svg, clone)
	for i := 0; i < src.Length() && i < dst.Length(); i++ {
		copyStyle(src.Index(i), dst.Index(i))
	}
	clone.Call("setAttribute", "xmlns", "http://www.w3.org/2000/svg")
	return win.Get("XMLSerializer").New().Call("serializeToString", clone).String(), true
}

// saveChartSVG downloads a chart as SVG.
func saveChartSVG(ctx app.Context, id string) {
	if markup, ok := chartMarkup(id); ok {
		saveFile(ctx, id+".svg", "image/svg+xml", markup)
	}
}

// saveChartPNG downloads a chart as PNG at twice its size on screen, drawn
// from its SVG through a data: image (the page's CSP admits data: images).
func saveChartPNG(ctx app.Context, id string) {
	markup, ok := chartMarkup(id)
	if !ok {
		return
	}
	win := app.Window()
	box := win.Get("document").Call("getElementById", id).Call("getBoundingClientRect")
	w, h := box.Get("width").Float()*2, box.Get("height").Float()*2
	img := win.Get("Image").New()
	var onload, done app.Func
	onload = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer recoverTo(ctx)
		onload.Release()
		canvas := win.Get("document").Call("createElement", "canvas")
		canvas.Set("width", w)
		canvas.Set("height", h)
		canvas.Call("getContext", "2d").Call("drawImage", img, 0, 0, w, h)
		done = app.FuncOf(func(this app.Value, args []app.Value) any {
			defer recoverTo(ctx)
			done.Release()
			if len(args) > 0 && args[0].Truthy() {
				ctx.Dispatch(func(ctx app.Context) {
					defer recoverTo(ctx)
					saveBlob(ctx, id+".png", args[0])
				})
			}
			return nil
		})
		canvas.Call("toBlob", done, "image/png")
		return nil
	})
	img.Set("onload", onload)
	img.Set("src", "data:image/svg+xml;charset=utf-8,"+win.Call("encodeURIComponent", markup).String())
}
