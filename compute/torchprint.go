package compute

import (
	"math"
	"strconv"
	"strings"
)

// FormatTorch formats a tensor the way PyTorch prints it with the default
// print options (precision 4, linewidth 80, threshold 1000, edgeitems 3),
// e.g. "tensor(0.0153)" or "tensor([ 0.0693, -0.1217], dtype=torch.float64)".
//
// It follows torch/_tensor_str.py: one formatter for the whole tensor picks
// integer mode (all finite non-zero values are integers: "2."), scientific
// mode (max/min of the non-zero finite magnitudes > 1000, max > 1e8, or
// min < 1e-4: "1.0000e-05") or fixed mode ("0.0153"), and pads every
// element to a common width. Tensors with more than 1000 elements are
// summarised with "...". A tensor of any dtype but float32 (the default
// dtype) gets the dtype suffix, e.g. "dtype=torch.bfloat16".
func FormatTorch(t Tensor, dt DType) string {
	const prefix = "tensor("
	indent := len(prefix)
	var suffixes []string
	if dt != DTypeFloat32 {
		suffixes = append(suffixes, "dtype=torch."+dt.String())
	}
	var body string
	if t.Numel() == 0 {
		body = "[]"
		if len(t.Shape) != 1 {
			suffixes = append([]string{"size=" + ShapeString(t.Shape)}, suffixes...)
		}
	} else {
		summarize := t.Numel() > 1000
		f := newTorchFormatter(summarizedData(t, summarize))
		body = f.tensorStr(t, indent, summarize)
	}
	return addSuffixes(prefix+body, suffixes, indent)
}

const torchEdgeItems = 3

func addSuffixes(s string, suffixes []string, indent int) string {
	var b strings.Builder
	b.WriteString(s)
	last := len(s) - strings.LastIndexByte(s, '\n') + 1
	for _, suf := range suffixes {
		if last+len(suf)+2 > 80 {
			b.WriteString(",\n" + strings.Repeat(" ", indent) + suf)
			last = indent + len(suf)
		} else {
			b.WriteString(", " + suf)
			last += len(suf) + 2
		}
	}
	b.WriteByte(')')
	return b.String()
}

// summarizedData returns the values the formatter looks at: all of them, or
// only the edge items when the tensor is summarised.
func summarizedData(t Tensor, summarize bool) []float64 {
	if !summarize {
		return t.Data
	}
	rows := t.Rows()
	edge := func(n int) []int {
		if n <= 2*torchEdgeItems {
			idx := make([]int, n)
			for i := range idx {
				idx[i] = i
			}
			return idx
		}
		return []int{0, 1, 2, n - 3, n - 2, n - 1}
	}
	var out []float64
	if len(t.Shape) < 2 {
		for _, j := range edge(len(rows[0])) {
			out = append(out, rows[0][j])
		}
		return out
	}
	for _, i := range edge(len(rows)) {
		for _, j := range edge(len(rows[i])) {
			out = append(out, rows[i][j])
		}
	}
	return out
}

type torchFormatter struct {
	intMode, sciMode bool
	width            int
}

func newTorchFormatter(vals []float64) torchFormatter {
	f := torchFormatter{intMode: true, width: 1}
	var nz []float64
	for _, v := range vals {
		if isFinite(v) && v != 0 {
			nz = append(nz, v)
		}
	}
	if len(nz) == 0 {
		return f
	}
	lo, hi := math.Inf(1), 0.0
	for _, v := range nz {
		a := math.Abs(v)
		lo, hi = min(lo, a), max(hi, a)
		if v != math.Ceil(v) {
			f.intMode = false
		}
	}
	if f.intMode {
		if hi/lo > 1000 || hi > 1e8 {
			f.sciMode = true
			for _, v := range nz {
				f.width = max(f.width, len(pyFormat(v, 'e', 4)))
			}
		} else {
			for _, v := range nz {
				f.width = max(f.width, len(pyFormat(v, 'f', 0))+1)
			}
		}
		return f
	}
	if hi/lo > 1000 || hi > 1e8 || lo < 1e-4 {
		f.sciMode = true
		for _, v := range nz {
			f.width = max(f.width, len(pyFormat(v, 'e', 4)))
		}
	} else {
		for _, v := range nz {
			f.width = max(f.width, len(pyFormat(v, 'f', 4)))
		}
	}
	return f
}

func (f torchFormatter) format(v float64) string {
	var s string
	switch {
	case f.sciMode:
		s = pyFormat(v, 'e', 4)
	case f.intMode:
		s = pyFormat(v, 'f', 0)
		if isFinite(v) {
			s += "."
		}
	default:
		s = pyFormat(v, 'f', 4)
	}
	if n := f.width - len(s); n > 0 {
		s = strings.Repeat(" ", n) + s
	}
	return s
}

func (f torchFormatter) tensorStr(t Tensor, indent int, summarize bool) string {
	switch len(t.Shape) {
	case 0:
		return f.format(t.Data[0])
	case 1:
		return f.vectorStr(t.Data, indent, summarize)
	}
	rows := t.Rows()
	var slices []string
	add := func(i int) { slices = append(slices, f.vectorStr(rows[i], indent+1, summarize)) }
	if summarize && len(rows) > 2*torchEdgeItems {
		for i := 0; i < torchEdgeItems; i++ {
			add(i)
		}
		slices = append(slices, "...")
		for i := len(rows) - torchEdgeItems; i < len(rows); i++ {
			add(i)
		}
	} else {
		for i := range rows {
			add(i)
		}
	}
	return "[" + strings.Join(slices, ",\n"+strings.Repeat(" ", indent+1)) + "]"
}

func (f torchFormatter) vectorStr(v []float64, indent int, summarize bool) string {
	perLine := max(1, (80-indent)/(f.width+2))
	var data []string
	if summarize && len(v) > 2*torchEdgeItems {
		for _, x := range v[:torchEdgeItems] {
			data = append(data, f.format(x))
		}
		data = append(data, " ...")
		for _, x := range v[len(v)-torchEdgeItems:] {
			data = append(data, f.format(x))
		}
	} else {
		for _, x := range v {
			data = append(data, f.format(x))
		}
	}
	var lines []string
	for i := 0; i < len(data); i += perLine {
		lines = append(lines, strings.Join(data[i:min(i+perLine, len(data))], ", "))
	}
	return "[" + strings.Join(lines, ",\n"+strings.Repeat(" ", indent+1)) + "]"
}

// pyFormat is Python's format(v, ".{prec}{f|e}"): "nan", "inf", "-inf" for
// the special values, and a two-digit exponent at least.
func pyFormat(v float64, verb byte, prec int) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, verb, prec, 64)
}
