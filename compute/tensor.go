package compute

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Tensor is a dense array of 0 to 4 dimensions (MaxDims) of float64 in
// row-major order.
//
// compute views a tensor as rows of its last dimension: rows is the
// product of all the sizes but the last (the leading dimensions flattened
// in row-major order), cols the last size. Special cases are:
//
//	0-D: one row of one value
//	1-D (C,): one row of C values
//	a leading size of 0: no rows; a last size of 0: rows of no values
//
// The shape is kept exactly as PyTorch would see it: a vector (3,) and a
// one-row matrix (1, 3) hold the same numbers but reduce differently under
// 'batchmean', which divides by size(0).
type Tensor struct {
	Shape []int
	Data  []float64
}

// ErrShape is wrapped by every error about tensor shapes.
var ErrShape = errors.New("shape error")

// BroadcastError reports that Q (PyTorch's input) and P (the target) do
// not broadcast: shapes align on the right, and each pair of sizes must be
// equal or contain a 1. It wraps ErrShape.
type BroadcastError struct {
	Input, Target []int // the shapes of Q and P
}

func (e *BroadcastError) Error() string {
	return fmt.Sprintf("compute: input (Q) of shape %s and target (P) of shape %s do not broadcast: %v",
		ShapeString(e.Input), ShapeString(e.Target), ErrShape)
}

// Unwrap returns ErrShape.
func (e *BroadcastError) Unwrap() error { return ErrShape }

// Scalar returns a 0-D tensor.
func Scalar(v float64) Tensor { return Tensor{Shape: []int{}, Data: []float64{v}} }

// Vector returns a 1-D tensor of shape (len(v),). It does not copy v.
func Vector(v []float64) Tensor { return Tensor{Shape: []int{len(v)}, Data: v} }

// NewMatrix returns a 2-D tensor from rows, which must all have the same length.
func NewMatrix(rows [][]float64) (Tensor, error) {
	if len(rows) == 0 {
		return Tensor{Shape: []int{0, 0}}, nil
	}
	c := len(rows[0])
	data := make([]float64, 0, len(rows)*c)
	for i, r := range rows {
		if len(r) != c {
			return Tensor{}, fmt.Errorf("compute: row %d has %d values, row 1 has %d: %w", i+1, len(r), c, ErrShape)
		}
		data = append(data, r...)
	}
	return Tensor{Shape: []int{len(rows), c}, Data: data}, nil
}

// FromRows returns a tensor with dims dimensions (0, 1 or 2) from rows, as
// the calculator's grids produce them (a 3-D or 4-D tensor, whose shape the
// rows cannot tell, is built as Tensor{Shape, Data}). dims 0 needs a
// single value, dims 1 a single row.
func FromRows(rows [][]float64, dims int) (Tensor, error) {
	switch dims {
	case 0:
		if len(rows) != 1 || len(rows[0]) != 1 {
			return Tensor{}, fmt.Errorf("compute: a 0-D tensor needs exactly one value: %w", ErrShape)
		}
		return Scalar(rows[0][0]), nil
	case 1:
		if len(rows) != 1 {
			return Tensor{}, fmt.Errorf("compute: a 1-D tensor needs exactly one row, got %d: %w", len(rows), ErrShape)
		}
		return Vector(append([]float64(nil), rows[0]...)), nil
	case 2:
		return NewMatrix(rows)
	}
	return Tensor{}, fmt.Errorf("compute: %d dimensions: only 0, 1 and 2 are supported: %w", dims, ErrShape)
}

// Dims returns the number of dimensions.
func (t Tensor) Dims() int { return len(t.Shape) }

// Numel returns the number of elements, the product of the shape.
func (t Tensor) Numel() int {
	n := 1
	for _, s := range t.Shape {
		n *= s
	}
	return n
}

// Size0 returns size(0), the divisor of 'batchmean'. It is 1 for a 0-D tensor
// (which 'batchmean' does not divide).
func (t Tensor) Size0() int {
	if len(t.Shape) == 0 {
		return 1
	}
	return t.Shape[0]
}

// MaxDims is the largest number of dimensions a Tensor may have.
const MaxDims = 4

// rowsCols views the tensor as rows × cols: (1,1) for 0-D, (1,C) for 1-D,
// and for N-D the product of the leading sizes × the last size.
func (t Tensor) rowsCols() (rows, cols int) {
	switch len(t.Shape) {
	case 0:
		return 1, 1
	case 1:
		return 1, t.Shape[0]
	}
	rows = 1
	for _, s := range t.Shape[:len(t.Shape)-1] {
		rows *= s
	}
	return rows, t.Shape[len(t.Shape)-1]
}

// RowIndex returns the indices of the leading dimensions (all but the
// last) of row r of the tensor viewed as rows of its last dimension, in
// row-major order: for shape (2, 3, 4), row 5 is [1, 2]. The UI labels a
// row with them ("b=1, h=2").
//
// Special cases are:
//
//	0-D or 1-D: [] (the one row has no leading index)
//	2-D: [r]
//	r < 0 or r ≥ rows: nil
func (t Tensor) RowIndex(r int) []int {
	rows, _ := t.rowsCols()
	if r < 0 || r >= rows {
		return nil
	}
	if len(t.Shape) < 2 {
		return []int{}
	}
	lead := t.Shape[:len(t.Shape)-1]
	idx := make([]int, len(lead))
	for d := len(lead) - 1; d >= 0; d-- {
		idx[d] = r % lead[d]
		r /= lead[d]
	}
	return idx
}

// Rows returns the tensor as rows of its last dimension; a 0-D tensor is one
// row of one value. The rows share t.Data.
func (t Tensor) Rows() [][]float64 {
	r, c := t.rowsCols()
	out := make([][]float64, r)
	for i := range out {
		out[i] = t.Data[i*c : (i+1)*c : (i+1)*c]
	}
	return out
}

// validate checks that Data matches Shape.
func (t Tensor) validate(name string) error {
	if len(t.Shape) > MaxDims {
		return fmt.Errorf("compute: %s has %d dimensions, at most %d are supported: %w", name, len(t.Shape), MaxDims, ErrShape)
	}
	for _, s := range t.Shape {
		if s < 0 {
			return fmt.Errorf("compute: %s has negative size in shape %s: %w", name, ShapeString(t.Shape), ErrShape)
		}
	}
	if t.Numel() != len(t.Data) {
		return fmt.Errorf("compute: %s has shape %s but %d values: %w", name, ShapeString(t.Shape), len(t.Data), ErrShape)
	}
	return nil
}

// ShapeString formats a shape the way PyTorch prints torch.Size, without
// the name: "()", "(3,)", "(2, 3)".
func ShapeString(shape []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, s := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(s))
	}
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

// BroadcastShapes returns the shape PyTorch's broadcasting gives to two
// tensors: shapes are aligned on the right, and each pair of sizes must be
// equal or contain a 1. ok is false when they do not broadcast.
func BroadcastShapes(a, b []int) ([]int, bool) {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 1; i <= n; i++ {
		x, y := 1, 1
		if i <= len(a) {
			x = a[len(a)-i]
		}
		if i <= len(b) {
			y = b[len(b)-i]
		}
		switch {
		case x == y:
			out[n-i] = x
		case x == 1:
			out[n-i] = y
		case y == 1:
			out[n-i] = x
		default:
			return nil, false
		}
	}
	return out, true
}

// broadcastIndex maps each element (i, j) of the broadcast output, viewed
// as rows × cols (see Tensor), to the flat index of the element of an
// operand that broadcasting places there. Up to 2-D outputs it is
// i·rowStride + j·colStride; beyond, the leading dimensions can broadcast
// independently, and rowOff holds the offset of each output row.
type broadcastIndex struct {
	rowStride, colStride int
	rowOff               []int // nil for outputs of at most 2 dimensions
}

// indexer returns how t is read when broadcast to the shape out, which
// must be BroadcastShapes of t's shape and another (PyTorch's rules: the
// shapes aligned on the right, a size 1 repeated along the output's size,
// missing leading dimensions as size 1).
//
// Special cases are:
//
//	a last size of 1 (or 0-D t): colStride = 0, every column reads one
//	out of at most 2 dimensions: rowOff is nil, rowStride is 0 when t has
//	  one row (0-D, 1-D or a leading size of 1), else cols of t
//	out of 3 or 4 dimensions: rowOff[i] is Σ over the leading dimensions
//	  of index·stride, a stride 0 where t lacks the dimension or has size 1
func indexer(t Tensor, out []int) broadcastIndex {
	tr, tc := 1, 1
	switch len(t.Shape) {
	case 0:
	case 1:
		tc = t.Shape[0]
	default:
		tr, tc = t.rowsCols()
	}
	var bi broadcastIndex
	if tc != 1 {
		bi.colStride = 1
	}
	if len(out) <= 2 {
		if tr != 1 {
			bi.rowStride = tc
		}
		return bi
	}
	n := len(out)
	lead := out[:n-1]
	strides := make([]int, n-1) // t's stride along each leading output dimension, 0 if broadcast
	st := tc
	for d := n - 2; d >= 0; d-- {
		td := d - (n - len(t.Shape))
		if td < 0 {
			break
		}
		if t.Shape[td] != 1 {
			strides[d] = st
		}
		st *= t.Shape[td]
	}
	rows := 1
	for _, s := range lead {
		rows *= s
	}
	bi.rowOff = make([]int, rows)
	idx := make([]int, len(lead))
	off := 0
	for i := range rows {
		bi.rowOff[i] = off
		// Advance the leading index like an odometer, last dimension fastest.
		for d := len(lead) - 1; d >= 0; d-- {
			idx[d]++
			off += strides[d]
			if idx[d] < lead[d] {
				break
			}
			off -= idx[d] * strides[d]
			idx[d] = 0
		}
	}
	return bi
}

// row returns the flat index of the first element of output row i.
func (b broadcastIndex) row(i int) int {
	if b.rowOff != nil {
		return b.rowOff[i]
	}
	return i * b.rowStride
}

func (b broadcastIndex) at(i, j int) int { return b.row(i) + j*b.colStride }
