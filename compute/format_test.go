package compute_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

var formatFloatTests = []struct {
	in   float64
	want string
}{
	{0, "0"},
	{negZer, "-0"},
	{0.1, "0.1"},
	{-0.5, "-0.5"},
	{1.0 / 3, "0.3333333333333333"},
	{100, "100"},
	{1e6, "1e+06"},
	{1e21, "1e+21"},
	{123456789, "1.23456789e+08"},
	{1e-300, "1e-300"},
	{5e-324, "5e-324"},
	{math.MaxFloat64, "1.7976931348623157e+308"},
	{math.SmallestNonzeroFloat64, "5e-324"},
	{0x1p-1022, "2.2250738585072014e-308"},
	{inf, "+Inf"},
	{-inf, "-Inf"},
	{nan, "NaN"},
}

func TestFormatFloat(t *testing.T) {
	for _, tt := range formatFloatTests {
		if got := compute.FormatFloat(tt.in); got != tt.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var formatRowsTests = []struct {
	in                [][]float64
	row, rows, pretty string // FormatRow(in[0]), FormatRows(in), FormatRowsPretty(in)
}{
	{nil, "", "", ""},
	{[][]float64{{}}, "", "", ""},
	{[][]float64{{0.5}}, "0.5", "0.5", "0.5"},
	{[][]float64{{0.1, 0.4, 0.5}}, "0.1,0.4,0.5", "0.1,0.4,0.5", "0.1, 0.4, 0.5"},
	{[][]float64{{0.1, 0.9}, {0.5, 0.5}}, "0.1,0.9", "0.1,0.9;0.5,0.5", "0.1, 0.9\n0.5, 0.5"},
	{[][]float64{{nan, inf}, {-inf, negZer}}, "NaN,+Inf", "NaN,+Inf;-Inf,-0", "NaN, +Inf\n-Inf, -0"},
	{[][]float64{{1e-300}, {5e-324}, {1e21}}, "1e-300", "1e-300;5e-324;1e+21", "1e-300\n5e-324\n1e+21"},
}

func TestFormatRows(t *testing.T) {
	for _, tt := range formatRowsTests {
		var row []float64
		if len(tt.in) > 0 {
			row = tt.in[0]
		}
		if got := compute.FormatRow(row); got != tt.row {
			t.Errorf("FormatRow(%v) = %q, want %q", row, got, tt.row)
		}
		if got := compute.FormatRows(tt.in); got != tt.rows {
			t.Errorf("FormatRows(%v) = %q, want %q", tt.in, got, tt.rows)
		}
		if got := compute.FormatRowsPretty(tt.in); got != tt.pretty {
			t.Errorf("FormatRowsPretty(%v) = %q, want %q", tt.in, got, tt.pretty)
		}
	}
}

// specialFloats are the values most likely to break a round trip.
var specialFloats = []float64{
	0, negZer, 1, -1, 0.1, 1.0 / 3, 2.0 / 3, 1e23, 5e-324, -5e-324, 0x1p-1022, 0x1p-1022 - 5e-324,
	math.MaxFloat64, -math.MaxFloat64, math.Nextafter(1, 2), math.Nextafter(1, 0),
	1 << 53, 1<<53 + 2, math.Pi, inf, -inf, nan,
	math.Float64frombits(0x7ff8000000000001), // a NaN with a payload
	math.Float64frombits(0xfff0000000000001), // a negative signalling NaN
}

// randomFloat returns a float64 with random bits, so that every exponent,
// subnormals, infinities and NaNs all turn up.
func randomFloat(rng *rand.Rand) float64 {
	return math.Float64frombits(rng.Uint64())
}

func TestFormatFloatRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 100000
	if testing.Short() {
		n = 10000
	}
	check := func(x float64) {
		s := compute.FormatFloat(x)
		got, err := textparse.ParseFloat(s)
		if err != nil || !alike(got, x) {
			t.Errorf("ParseFloat(FormatFloat(%#016x)) = ParseFloat(%q) = %v, %v; want %v", math.Float64bits(x), s, got, err, x)
		}
	}
	for _, x := range specialFloats {
		check(x)
	}
	for range n {
		check(randomFloat(rng))
		// Also values of everyday magnitude, which have other digit counts.
		check(rng.NormFloat64())
	}
}

func TestFormatRowsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := range n {
		rows := make([][]float64, 1+rng.IntN(5))
		cols := 1 + rng.IntN(5)
		for r := range rows {
			rows[r] = make([]float64, cols)
			for c := range rows[r] {
				switch rng.IntN(3) {
				case 0:
					rows[r][c] = randomFloat(rng)
				case 1:
					rows[r][c] = specialFloats[rng.IntN(len(specialFloats))]
				default:
					rows[r][c] = rng.Float64()
				}
			}
		}
		wantDims := 2
		if len(rows) == 1 {
			wantDims = 1
		}
		for _, format := range []func([][]float64) string{compute.FormatRows, compute.FormatRowsPretty} {
			s := format(rows)
			got, err := textparse.Parse(s)
			if err != nil || !rowsAlike(got.Rows, rows) || got.Dims != wantDims || got.Header != nil {
				t.Fatalf("case %d: Parse(%q) = %v, %v; want %v with Dims %d", i, s, got, err, rows, wantDims)
			}
		}
	}
}

func FuzzFormatRoundTrip(f *testing.F) {
	for _, x := range specialFloats {
		f.Add(math.Float64bits(x))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		s := compute.FormatFloat(x)
		got, err := textparse.ParseFloat(s)
		if err != nil || !alike(got, x) {
			t.Fatalf("ParseFloat(FormatFloat(%#016x)) = ParseFloat(%q) = %v, %v; want %v", bits, s, got, err, x)
		}
		rows := [][]float64{{x, -x}, {0.5, x}}
		m, err := textparse.Parse(compute.FormatRows(rows))
		if err != nil || !rowsAlike(m.Rows, rows) || m.Dims != 2 {
			t.Fatalf("Parse(FormatRows(%v)) = %v, %v", rows, m, err)
		}
	})
}
