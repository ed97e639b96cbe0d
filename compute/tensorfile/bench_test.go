package tensorfile

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// BenchmarkReadSafetensors reads a file of two float32 tensors of shape
// 8 × 128000 (8 MB), as a dump of a teacher's and a student's logits.
func BenchmarkReadSafetensors(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	ts := make([]Tensor, 2)
	for i, name := range []string{"teacher", "student"} {
		v := make([]float64, 8*128000)
		for k := range v {
			v[k] = r.NormFloat64() * 4
		}
		ts[i] = Tensor{Name: name, DType: Float32, Shape: []int{8, 128000}, Data: v}
	}
	var file bytes.Buffer
	if err := WriteSafetensors(&file, ts, nil); err != nil {
		b.Fatal(err)
	}
	data := file.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
