package app

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// The example URL from the README, the public interface.
const readmeURL = "p=0.1,0.4,0.5&q=0.2,0.3,0.5&reduction=batchmean&p_as=prob&q_as=prob&dtype=float32&dims=1"

func TestDecodeReadmeURL(t *testing.T) {
	s, err := DecodeState(readmeURL)
	if err != nil {
		t.Fatal(err)
	}
	want := defaultState()
	want.Dims = 1
	if s.Encode() != readmeURL || s.Dims != 1 || s.Reduction != compute.ReductionBatchMean {
		t.Errorf("DecodeState(%q).Encode() = %q", readmeURL, s.Encode())
	}
	if got := defaultState().Encode(); got != readmeURL {
		t.Errorf("default state encodes as %q, want %q", got, readmeURL)
	}
}

func TestDecodeDefaults(t *testing.T) {
	s, err := DecodeState("p=1,0&q=0.5,0.5")
	if err != nil {
		t.Fatal(err)
	}
	if s.Reduction != compute.ReductionBatchMean || s.PForm != compute.FormProb || s.QForm != compute.FormProb || s.DType != compute.DTypeFloat32 {
		t.Errorf("defaults: %+v", s)
	}
	if s.effectiveDims() != 1 {
		t.Errorf("single rows default to 1-D, got %d", s.effectiveDims())
	}
	s, _ = DecodeState("p=1,0;0,1&q=0.5,0.5")
	if s.effectiveDims() != 2 || len(s.P) != 2 {
		t.Errorf("two rows: dims %d, rows %d", s.effectiveDims(), len(s.P))
	}
}

// Every float64 survives a link bit for bit, including −0, subnormals,
// ±Inf and NaN.
func TestRoundTripBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vals := []float64{0, math.Copysign(0, -1), 5e-324, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 0.1, 1e-300, -2.5e+17}
	for len(vals) < 2000 {
		vals = append(vals, math.Float64frombits(rng.Uint64()))
	}
	row := make([]string, len(vals))
	for i, v := range vals {
		row[i] = compute.FormatFloat(v)
	}
	s := defaultState()
	s.P = [][]string{row}
	s.Q = [][]string{row[:10], row[10:20]}
	s.PForm, s.QForm, s.Reduction, s.DType, s.Unit = compute.FormLogits, compute.FormLog, compute.ReductionNone, compute.DTypeFloat64, compute.Bits
	s.PTemp = "2.5"
	got, err := DecodeState(s.Encode())
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range got.P[0] {
		v, err := parseCell(c)
		if err != nil {
			t.Fatalf("cell %d %q: %v", i, c, err)
		}
		if math.Float64bits(v) != math.Float64bits(vals[i]) && !(math.IsNaN(v) && math.IsNaN(vals[i])) {
			t.Fatalf("cell %d: %v (%x) came back as %v (%x)", i, vals[i], math.Float64bits(vals[i]), v, math.Float64bits(v))
		}
	}
	if got.PForm != s.PForm || got.QForm != s.QForm || got.Reduction != s.Reduction || got.DType != s.DType ||
		got.Unit != s.Unit || got.PTemp != "2.5" || len(got.Q) != 2 || got.Encode() != s.Encode() {
		t.Errorf("options did not round-trip: %+v", got)
	}
}

// Whatever a user types in a cell, even separators and HTML, survives.
func TestRoundTripText(t *testing.T) {
	s := defaultState()
	s.P = [][]string{{"1,5", "<img src=x onerror=alert(1)>", "a&b=c;d", "%41", "−0.5", "1e+5"}}
	got, err := DecodeState(s.Encode())
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range s.P[0] {
		if got.P[0][i] != c {
			t.Errorf("cell %d: %q came back as %q", i, c, got.P[0][i])
		}
	}
	if enc := s.Encode(); !strings.Contains(enc, "1e+5") {
		t.Errorf("numbers are not kept readable: %s", enc)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		frag, want string
	}{
		{"p=1&p=2", "appears twice"},
		{"reduction=avg", `"avg" is not a valid reduction`},
		{"p_as=probs", "not a valid form"},
		{"dtype=float16", "not a valid dtype"},
		{"dims=3", "dims must be 1 or 2"},
		{"foo=1", `unknown key "foo"`},
		{"unit=nat", "not a valid unit"},
		{strings.Repeat("x", maxFragment+1), "more than"},
		{"p=" + strings.Repeat("1,", maxCells+1), "more than"},
	}
	for _, tt := range tests {
		s, err := DecodeState(tt.frag)
		if err == nil || !errors.Is(err, ErrURL) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("DecodeState(%.40q) error = %v, want %q", tt.frag, err, tt.want)
		}
		if len(s.P) == 0 || len(s.Q) == 0 {
			t.Errorf("DecodeState(%.40q) left no grid", tt.frag)
		}
	}
	// Malformed escapes are kept as text and reported by the cell.
	s, err := DecodeState("p=%zz,1")
	if err != nil || s.P[0][0] != "%zz" {
		t.Errorf("p=%%zz: %q, %v", s.P, err)
	}
}

func TestProblemErrors(t *testing.T) {
	s := defaultState()
	s.P = [][]string{{"0.1", "1e", ""}}
	_, _, _, cellErrs, err := s.problem()
	if err != nil || len(cellErrs) != 2 || cellErrs[0].Col != 1 || cellErrs[1].Col != 2 {
		t.Fatalf("cell errors %v, err %v", cellErrs, err)
	}
	if got := cellErrs[0].Error(); got != `P row 1, column 2: "1e" is not a number` {
		t.Errorf("message %q", got)
	}
	s = defaultState()
	s.Q = [][]string{{"0.1", "0.9"}, {"1"}}
	if _, _, _, _, err := s.problem(); err == nil || !strings.Contains(err.Error(), "Q row 2 has 1 values but row 1 has 2") {
		t.Errorf("ragged error = %v", err)
	}
	s = defaultState()
	s.QForm, s.QTemp = compute.FormLogits, "-1"
	if _, _, _, _, err := s.problem(); err == nil || !strings.Contains(err.Error(), "temperature") {
		t.Errorf("temperature error = %v", err)
	}
	// One row against two: Q (1-D by default? no: two rows make dims 2) broadcasts.
	s = defaultState()
	s.P = [][]string{{"0.1", "0.9"}, {"0.5", "0.5"}}
	s.Q = [][]string{{"0.5", "0.5"}}
	p, q, _, _, err := s.problem()
	if err != nil || p.Data.Dims() != 2 || compute.ShapeString(q.Data.Shape) != "(1, 2)" {
		t.Errorf("broadcast problem: %v %v %v", p.Data.Shape, q.Data.Shape, err)
	}
}
