package compute_test

import (
	"errors"
	"fmt"

	"github.com/klcalc/klcalc/compute"
)

func ExampleParseMatrix() {
	m, err := compute.ParseMatrix(`tensor([[0.1000, 0.9000],
        [0.5000, 0.5000]], dtype=torch.float64)`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Rows, m.Dims)

	m, _ = compute.ParseMatrix("tensor(0.0153, grad_fn=<KlDivBackward0>)")
	fmt.Println(m.Rows, m.Dims)
	// Output:
	// [[0.1 0.9] [0.5 0.5]] 2
	// [[0.0153]] 0
}

func ExampleParseMatrix_csv() {
	m, _ := compute.ParseMatrix("cat,dog\n0.25,0.75\n0.5,0.5\n")
	fmt.Printf("%q %v %d\n", m.Header, m.Rows, m.Dims)
	// Output:
	// ["cat" "dog"] [[0.25 0.75] [0.5 0.5]] 2
}

func ExampleParseError() {
	_, err := compute.ParseMatrix("0.1, 0.9\n0.5, O.5")
	var pe *compute.ParseError
	if errors.As(err, &pe) && errors.Is(err, compute.ErrSyntax) {
		fmt.Printf("line %d, column %d: %q\n", pe.Line, pe.Column, pe.Token)
	}
	fmt.Println(err)
	// Output:
	// line 2, column 6: "O.5"
	// compute: row 2, column 2: "O.5": invalid number
}

func ExampleFormatRows() {
	rows := [][]float64{{0.1, 0.9}, {0.5, 0.5}}
	fmt.Println(compute.FormatRows(rows))
	fmt.Println(compute.FormatRowsPretty(rows))
	fmt.Println(compute.FormatRow([]float64{0.25, 0.75}))
	// Output:
	// 0.1,0.9;0.5,0.5
	// 0.1, 0.9
	// 0.5, 0.5
	// 0.25,0.75
}

func ExampleFormatFloat() {
	for _, s := range []string{"0.1", "-0", "1e-300", "−inf", "nan"} {
		x, _ := compute.ParseFloat(s)
		fmt.Println(compute.FormatFloat(x))
	}
	// Output:
	// 0.1
	// -0
	// 1e-300
	// -Inf
	// NaN
}
