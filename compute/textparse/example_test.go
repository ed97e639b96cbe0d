package textparse_test

import (
	"errors"
	"fmt"

	"github.com/klcalc/klcalc/compute/textparse"
)

func ExampleParse() {
	m, err := textparse.Parse(`tensor([[0.1000, 0.9000],
        [0.5000, 0.5000]], dtype=torch.float64)`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Rows, m.Dims)

	m, _ = textparse.Parse("tensor(0.0153, grad_fn=<KlDivBackward0>)")
	fmt.Println(m.Rows, m.Dims)
	// Output:
	// [[0.1 0.9] [0.5 0.5]] 2
	// [[0.0153]] 0
}

func ExampleParse_csv() {
	m, _ := textparse.Parse("cat,dog\n0.25,0.75\n0.5,0.5\n")
	fmt.Printf("%q %v %d\n", m.Header, m.Rows, m.Dims)
	// Output:
	// ["cat" "dog"] [[0.25 0.75] [0.5 0.5]] 2
}

func ExampleError() {
	_, err := textparse.Parse("0.1, 0.9\n0.5, O.5")
	var pe *textparse.Error
	if errors.As(err, &pe) && errors.Is(err, textparse.ErrSyntax) {
		fmt.Printf("line %d, column %d: %q\n", pe.Line, pe.Column, pe.Token)
	}
	fmt.Println(err)
	// Output:
	// line 2, column 6: "O.5"
	// textparse: row 2, column 2: "O.5": invalid number
}
