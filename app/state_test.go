package app

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
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
		{"reduction=avg", `reduction must be batchmean, sum, mean or none, not "avg"`},
		{"p_as=probs", `p_as must be prob, log, logits or counts, not "probs"`},
		{"dtype=float8", `dtype must be float32, float64, bfloat16 or float16, not "float8"`},
		{"dims=3", `dims must be 1 or 2, not "3"`},
		{"foo=1", `unknown key "foo"`},
		{"unit=nat", `unit must be nats, bits or hartleys, not "nat"`},
		{"z=2abc", "unknown version"},
		{"z=1!!!", "damaged"},
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

// Every problem of a link is reported, in order, and each has words in
// both languages without Go's or the decoder's internals.
func TestLinkErrorsAll(t *testing.T) {
	_, err := DecodeState("p=1&p=2&foo=1&reduction=avg&dims=9&lang=fr")
	var got []string
	for _, e := range splitErrors(err) {
		var le *LinkError
		if !errors.As(e, &le) || !errors.Is(e, ErrURL) {
			t.Fatalf("%v is not a *LinkError wrapping ErrURL", e)
		}
		got = append(got, le.Error())
	}
	want := []string{`key "p" appears twice; the first is used`, `unknown key "foo" is ignored`,
		`reduction must be batchmean, sum, mean or none, not "avg"`, `dims must be 1 or 2, not "9"`, `lang must be en or ko, not "fr"`}
	if !slices.Equal(got, want) {
		t.Errorf("errors\n%q\nwant\n%q", got, want)
	}
	for l, prefix := range map[lang]string{langEN: "Share link: ", langKO: "공유 링크: "} {
		msgs := texts(l).linkMessages(l, err)
		if len(msgs) != len(want) {
			t.Errorf("%v: %d messages, want %d", l, len(msgs), len(want))
		}
		for _, m := range msgs {
			if !strings.HasPrefix(m, prefix) || strings.Contains(m, "compute:") || strings.Contains(m, "%!") || (l == langKO && !hasHangul(strings.TrimPrefix(m, prefix))) {
				t.Errorf("%v: %q", l, m)
			}
		}
	}
	for p := linkTooLong; p <= linkTooManyValues; p++ {
		e := &LinkError{Problem: p, Key: "k", Value: "v", Valid: []string{"a", "b"}, Size: 9, Limit: 8}
		if en, ko := linkErrorEN(e), linkErrorKO(e); en == "the link is not valid" || !hasHangul(ko) || ko == "링크가 올바르지 않습니다." {
			t.Errorf("problem %d: %q, %q", p, en, ko)
		}
	}
	for _, p := range []inputProblem{inputRagged, inputTemperature} {
		e := &InputError{Problem: p, Side: sideQ, Row: 1, Got: 1, Want: 2, Text: "1/2"}
		if en, ko := inputErrorEN(e), inputErrorKO(e); !strings.HasPrefix(en, "Q") || !hasHangul(ko) {
			t.Errorf("input problem %d: %q, %q", p, en, ko)
		}
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
	if _, _, _, _, err := s.problem(); err == nil || !strings.Contains(err.Error(), "Q row 2 has 1 value but row 1 has 2") {
		t.Errorf("ragged error = %v", err)
	}
	s = defaultState()
	s.QForm, s.QTemp = compute.FormLogits, "1/2"
	if _, _, _, _, err := s.problem(); err == nil || !strings.Contains(err.Error(), "temperature") {
		t.Errorf("temperature error = %v", err)
	}
	// PyTorch computes any temperature: 0, negative, infinite, NaN.
	for _, T := range []string{"0", "-1", "inf", "nan"} {
		s.QTemp = T
		if _, q, _, _, err := s.problem(); err != nil || q.Temperature == 1 {
			t.Errorf("temperature %s: %v, %v", T, q.Temperature, err)
		}
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

// Large states are compressed under z and come back exactly; small ones
// stay readable.
func TestCompactEncoding(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	row := make([]string, 100000)
	for i := range row {
		row[i] = compute.FormatFloat(rng.Float64())
	}
	s := defaultState()
	s.P = [][]string{row}
	s.Q = [][]string{row}
	s.Reduction = compute.ReductionSum
	enc := s.Encode()
	if !strings.HasPrefix(enc, "z=1") && !strings.HasPrefix(enc, "b=1") {
		t.Fatalf("a 100 000-value state is not compressed: %.40s…", enc)
	}
	t.Logf("100 000 values × 2: readable %d bytes, compressed link %d bytes", len(s.EncodeReadable()), len(enc))
	got, err := DecodeState(enc)
	if err != nil {
		t.Fatal(err)
	}
	if got.EncodeReadable() != s.EncodeReadable() {
		t.Error("compressed state did not round-trip")
	}
	if small := defaultState().Encode(); strings.HasPrefix(small, "z=") {
		t.Errorf("small state compressed: %s", small)
	}
}

func TestCompactErrors(t *testing.T) {
	// A payload that inflates beyond the limit (a "zip bomb").
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write([]byte("p="))
	zeros := make([]byte, 1<<20)
	for i := range zeros {
		zeros[i] = '0'
	}
	for i := 0; i < 3*maxFragment>>20+1; i++ {
		w.Write(zeros)
	}
	w.Close()
	bomb := "z=1" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
	for frag, want := range map[string]string{
		"z=2abc":  "unknown version",
		"z=1@@@":  "damaged",
		"z=1AAAA": "damaged",
		bomb:      "expands to more than",
		"z=" + "1" + base64.RawURLEncoding.EncodeToString(mustDeflate("z=1")): "inside a compressed link",
	} {
		s, err := DecodeState(frag)
		if err == nil || !errors.Is(err, ErrURL) || !strings.Contains(err.Error(), want) {
			t.Errorf("DecodeState(%.30q…) error %v, want %q", frag, err, want)
		}
		if len(s.P) == 0 {
			t.Errorf("no state after %q", want)
		}
	}
}

func mustDeflate(s string) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write([]byte(s))
	w.Close()
	return buf.Bytes()
}

// BenchmarkDecodeLarge is the decode of a 100 000-value share link (issue
// budget: within 1 s in the browser).
func BenchmarkDecodeLarge(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	row := make([]string, 100000)
	for i := range row {
		row[i] = compute.FormatFloat(rng.Float64())
	}
	s := defaultState()
	s.P, s.Q = [][]string{row}, [][]string{row}
	enc := s.Encode()
	for b.Loop() {
		if _, err := DecodeState(enc); err != nil {
			b.Fatal(err)
		}
	}
}

// p_as and q_as accept counts, which round-trip and reach compute as
// FormCounts.
func TestCountsForm(t *testing.T) {
	s, err := DecodeState("p=1,9;3,4&q=2,2&p_as=counts&q_as=counts&reduction=sum&dtype=float64")
	if err != nil {
		t.Fatal(err)
	}
	if s.PForm != compute.FormCounts || s.QForm != compute.FormCounts {
		t.Fatalf("forms %v, %v", s.PForm, s.QForm)
	}
	enc := s.Encode()
	if !strings.Contains(enc, "p_as=counts") || !strings.Contains(enc, "q_as=counts") {
		t.Errorf("encoded as %q", enc)
	}
	back, err := DecodeState(enc)
	if err != nil || back.Encode() != enc {
		t.Errorf("round trip: %q, %v", back.Encode(), err)
	}
	p, q, opt, cellErrs, err := s.problem()
	if err != nil || len(cellErrs) > 0 {
		t.Fatal(err, cellErrs)
	}
	r, err := compute.Calculate(p, q, opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.LogTarget || r.Terms.At(0).P != 0.1 || r.Terms.At(0).Q != 0.5 {
		t.Errorf("counts: log_target %v, first term %+v", r.LogTarget, r.Terms.At(0))
	}
	if _, err := DecodeState("q_as=count"); err == nil || !strings.Contains(err.Error(), "counts") {
		t.Errorf("q_as=count: %v, want the valid forms listed", err)
	}
	// The form's label and its PyTorch mapping.
	for l, want := range map[lang]string{langEN: "counts (normalised)", langKO: "빈도 (행 정규화)"} {
		if got := texts(l).formName(compute.FormCounts); got != want {
			t.Errorf("%v: formName(counts) = %q, want %q", l, got, want)
		}
	}
	if got := formMapping(sideQ, compute.FormCounts); got != "input = log(Q / Q.sum(-1, keepdim=True))" {
		t.Errorf("Q mapping %q", got)
	}
	if got := formMapping(sideP, compute.FormCounts); got != "target = P / P.sum(-1, keepdim=True), log_target=False" {
		t.Errorf("P mapping %q", got)
	}
}

func TestEscapeStrayPercents(t *testing.T) {
	for in, want := range map[string]string{
		"p=%zz,1":          "p=%25zz,1",
		"p=%":              "p=%25",
		"p=%E0%A4%A":       "p=%E0%A4%25A",
		"p=%41,%2C":        "p=%41,%2C",
		"http://h/kl/#p=1": "http://h/kl/#p=1",
	} {
		if got := escapeStrayPercents(in); got != want {
			t.Errorf("escapeStrayPercents(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHasStrayPercent: hasStrayPercent is true exactly when url.Parse
// rejects the fragment, the check it replaces (for a browser's fragment,
// which has no control characters).
func TestHasStrayPercent(t *testing.T) {
	for _, frag := range []string{"", "p=1", "%", "%4", "%41", "p=%zz,1", "p=%E0%A4%A", "p=%41,%2C", "a%20b%", "%%41", "%41%", "z=1abc-_", "%C3%A9%e9"} {
		_, err := url.Parse("http://h/#" + frag)
		if got := hasStrayPercent(frag); got != (err != nil) {
			t.Errorf("hasStrayPercent(%q) = %v, url.Parse error %v", frag, got, err)
		}
	}
}

// TestEncodeSliced: the link encoded in slices is Encode's, and a yield
// returning false abandons it.
func TestEncodeSliced(t *testing.T) {
	s := defaultState()
	row := make([]string, 3*encodeSlice+7)
	for i := range row {
		row[i] = strconv.FormatFloat(float64(i%997)/1e4, 'g', -1, 64)
	}
	s.P, s.Q = [][]string{row}, [][]string{slices.Clone(row)}
	calls := 0
	enc, ok := s.encode(func() bool { calls++; return true })
	if !ok || enc != s.Encode() {
		t.Fatalf("sliced encoding differs (ok %v, %d bytes against %d)", ok, len(enc), len(s.Encode()))
	}
	if calls < 6 {
		t.Errorf("yield called %d times for %d cells", calls, 2*len(row))
	}
	for stop := 1; stop <= calls; stop++ {
		n := 0
		if _, ok := s.encode(func() bool { n++; return n < stop }); ok {
			t.Errorf("yield false at call %d: the encoding went on", stop)
		}
	}
}

// TestGaussTabInLink: the Gaussian mode's open tab is in its link, and
// comes back.
func TestGaussTabInLink(t *testing.T) {
	s := defaultState()
	s.Gaussian, s.View = true, viewCharts
	enc := s.Encode()
	if !strings.Contains(enc, "mode=gauss") || !strings.Contains(enc, "tab=charts") {
		t.Fatalf("link %q", enc)
	}
	back, err := DecodeState(enc)
	if err != nil || !back.Gaussian || back.View != viewCharts {
		t.Errorf("%q decodes to Gaussian %v, view %v, error %v", enc, back.Gaussian, back.View, err)
	}
}
