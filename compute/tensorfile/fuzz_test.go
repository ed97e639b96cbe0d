package tensorfile

import (
	"bytes"
	"fmt"
	"math"
	"testing"
)

// FuzzRead: no input makes Read panic or exceed its limit; every error is
// an *Error with a code; what it reads has as many values as its shape
// says; and writing the tensors back and reading them again gives the
// same bits.
func FuzzRead(f *testing.F) {
	for _, g := range goldens(f).Files {
		f.Add(g.data)
	}
	var b bytes.Buffer
	WriteNPZ(&b, []Tensor{{Name: "a", DType: Float16, Shape: []int{2}, Data: []float64{1, math.Inf(-1)}}})
	f.Add(b.Bytes())
	f.Add(stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[0],"data_offsets":[8,8]}}`, f32s(1, 2)))
	f.Add(npyFile(3, "{'descr': '>u2', 'fortran_order': True, 'shape': (2, 2), } # é", []byte{0, 1, 0, 2, 0, 3, 0, 4}))
	const limit = 1 << 16
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read(data, Limits{MaxValues: limit})
		if err != nil {
			if Code(err) == 0 {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if file.Format < FormatNPY || file.Format > FormatSafetensors || len(file.Tensors) == 0 {
			t.Fatalf("format %v, %d tensors", file.Format, len(file.Tensors))
		}
		total := 0
		ts := make([]Tensor, len(file.Tensors))
		for i, tn := range file.Tensors {
			n := 1
			for _, d := range tn.Shape {
				if d < 0 {
					t.Fatalf("shape %v", tn.Shape)
				}
				n *= d
			}
			if len(tn.Data) != n || !tn.DType.valid() {
				t.Fatalf("tensor %q: %v %v with %d values", tn.Name, tn.DType, tn.Shape, len(tn.Data))
			}
			total += n
			ts[i] = tn
			ts[i].Name = fmt.Sprint("t", i) // .npz names need not be UTF-8
		}
		if total > limit {
			t.Fatalf("%d values, limit %d", total, limit)
		}
		var st bytes.Buffer
		if err := WriteSafetensors(&st, ts, file.Metadata); err != nil {
			t.Fatalf("WriteSafetensors: %v", err)
		}
		back, err := ReadSafetensors(st.Bytes(), Limits{MaxValues: limit})
		if err != nil {
			t.Fatalf("reading back: %v", err)
		}
		byName := map[string]Tensor{}
		for _, tn := range back.Tensors {
			byName[tn.Name] = tn
		}
		for _, want := range ts {
			got := byName[want.Name]
			if got.DType != want.DType || len(got.Data) != len(want.Data) {
				t.Fatalf("%q came back as %v ×%d", want.Name, got.DType, len(got.Data))
			}
			for k := range want.Data {
				if math.Float64bits(got.Data[k]) != math.Float64bits(want.Data[k]) {
					t.Fatalf("%q value %d: %#016x came back as %#016x", want.Name, k, math.Float64bits(want.Data[k]), math.Float64bits(got.Data[k]))
				}
			}
		}
		if ts[0].DType != BFloat16 {
			var b bytes.Buffer
			if err := WriteNPY(&b, ts[0]); err != nil {
				t.Fatalf("WriteNPY: %v", err)
			}
			one, err := ReadNPY(b.Bytes(), Limits{MaxValues: limit})
			if err != nil {
				t.Fatalf("reading back .npy: %v", err)
			}
			for k, v := range one.Tensors[0].Data {
				if math.Float64bits(v) != math.Float64bits(ts[0].Data[k]) {
					t.Fatalf(".npy value %d changed", k)
				}
			}
		}
	})
}
