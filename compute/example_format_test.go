package compute_test

import (
	"fmt"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

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
		x, _ := textparse.ParseFloat(s) // the inverse of FormatFloat
		fmt.Println(compute.FormatFloat(x))
	}
	// Output:
	// 0.1
	// -0
	// 1e-300
	// -Inf
	// NaN
}
