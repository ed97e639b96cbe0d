package tensorfile_test

import (
	"bytes"
	"fmt"
	"math"

	"github.com/klcalc/klcalc/compute/tensorfile"
)

func Example() {
	// A safetensors file as PyTorch code would dump a teacher's and a
	// student's logits: here written by this package.
	var file bytes.Buffer
	err := tensorfile.WriteSafetensors(&file, []tensorfile.Tensor{
		{Name: "teacher", DType: tensorfile.BFloat16, Shape: []int{2, 3}, Data: []float64{2, 0.1, -1, 0, 1.5, math.Inf(-1)}},
		{Name: "student", DType: tensorfile.Float32, Shape: []int{2, 3}, Data: []float64{1.9, 0.2, -1.1, 0.1, 1.4, -30}},
	}, map[string]string{"format": "pt"})
	if err != nil {
		fmt.Println(err)
		return
	}

	f, err := tensorfile.Read(file.Bytes(), tensorfile.Limits{MaxValues: 1 << 20})
	if err != nil {
		fmt.Println(tensorfile.Code(err), err)
		return
	}
	fmt.Println(f.Format, f.Metadata["format"])
	for _, t := range f.Tensors {
		fmt.Println(t.Name, t.DType, t.Shape, t.Data)
	}

	// A file cut short is refused with a code, not a sentence.
	_, err = tensorfile.Read(file.Bytes()[:file.Len()-1], tensorfile.Limits{})
	fmt.Println(tensorfile.Code(err))
	// Output:
	// safetensors pt
	// student float32 [2 3] [1.899999976158142 0.20000000298023224 -1.100000023841858 0.10000000149011612 1.399999976158142 -30]
	// teacher bfloat16 [2 3] [2 0.10009765625 -1 0 1.5 -Inf]
	// truncated
}
