package tensorfile

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"
)

// bigFiles are a file of each format with 2 × 300 000 values: enough to
// yield several times.
func bigFiles(t *testing.T) map[string][]byte {
	t.Helper()
	ts := make([]Tensor, 2)
	for i, dt := range []DType{Float32, Float16} {
		v := make([]float64, 300_000)
		for k := range v {
			x := math.Sin(float64(k + i))
			if dt == Float32 {
				v[k] = Float32ToFloat64(Float64ToFloat32(x))
			} else {
				v[k] = Float16ToFloat64(Float64ToFloat16(x))
			}
		}
		ts[i] = Tensor{Name: fmt.Sprint("t", i), DType: dt, Shape: []int{3, 100_000}, Data: v}
	}
	var st, npy, npz bytes.Buffer
	if err := WriteSafetensors(&st, ts, nil); err != nil {
		t.Fatal(err)
	}
	if err := WriteNPY(&npy, ts[0]); err != nil {
		t.Fatal(err)
	}
	if err := WriteNPZ(&npz, ts); err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"safetensors": st.Bytes(), "npy": npy.Bytes(), "npz": npz.Bytes()}
}

// TestReadYield: ReadYield reads what Read reads, bit for bit, over the
// goldens written by NumPy and a large file of each format, which yields;
// a yield that returns false stops it there with ErrCanceled.
func TestReadYield(t *testing.T) {
	files := bigFiles(t)
	for i, g := range goldens(t).Files {
		files[fmt.Sprint("golden ", i)] = g.data
	}
	for name, data := range files {
		n := 0
		got, gotErr := ReadYield(data, Limits{}, func() bool { n++; return true }, 0)
		want, wantErr := Read(data, Limits{})
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !sameFiles(got, want) {
			t.Errorf("%s: ReadYield = %v; Read %v, or other values", name, gotErr, wantErr)
		}
		big := len(data) > 1<<20
		if big && n < 4 {
			t.Errorf("%s: %d bytes and %d yields", name, len(data), n)
		}
		if !big {
			continue
		}
		t.Logf("%s: %d bytes, %d yields", name, len(data), n)
		for _, at := range []int{1, n} {
			k := 0
			f, err := ReadYield(data, Limits{}, func() bool { k++; return k < at }, 0)
			if !errors.Is(err, ErrCanceled) || f.Tensors != nil || k != at {
				t.Errorf("%s, stopped at yield %d of %d: %d tensors, %v after %d yields; want ErrCanceled", name, at, n, len(f.Tensors), err, k)
			}
		}
		if _, err := ReadYield(data, Limits{}, func() bool { return false }, time.Hour); err != nil {
			t.Errorf("%s: a yield never due stopped it: %v", name, err)
		}
	}
}

// sameFiles reports whether a and b hold the same tensors, bit for bit.
func sameFiles(a, b File) bool {
	if a.Format != b.Format || len(a.Tensors) != len(b.Tensors) {
		return false
	}
	for i, ta := range a.Tensors {
		tb := b.Tensors[i]
		if ta.Name != tb.Name || ta.DType != tb.DType || fmt.Sprint(ta.Shape) != fmt.Sprint(tb.Shape) || len(ta.Data) != len(tb.Data) {
			return false
		}
		for k := range ta.Data {
			if math.Float64bits(ta.Data[k]) != math.Float64bits(tb.Data[k]) {
				return false
			}
		}
	}
	return true
}
