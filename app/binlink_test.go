package app

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// float32State is rows × cols float32 values per side, formatted exactly
// (as a float32 tensor read from a file is).
func float32State(seed uint64, rows, cols int) State {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	grid := func() [][]string {
		g := make([][]string, rows)
		for i := range g {
			g[i] = make([]string, cols)
			for j := range g[i] {
				g[i][j] = compute.FormatFloat(float64(float32(rng.Float64())))
			}
		}
		return g
	}
	s := defaultState()
	s.P, s.Q = grid(), grid()
	s.Dims = 2
	return s
}

// TestBinaryLinkFloat32 is issue 13's budget: the link of a 100 000-value
// float32 state round-trips bit for bit, and fits in a browser's address.
func TestBinaryLinkFloat32(t *testing.T) {
	s := float32State(7, 1, 100000)
	s.Reduction = compute.ReductionSum
	enc := s.Encode()
	if !strings.HasPrefix(enc, keyBinary+"=1") {
		t.Fatalf("a 100 000-value float32 state is not a binary link: %.20s…", enc)
	}
	z, _ := State.encode(s, nil) // what encode chose
	if z != enc {
		t.Fatal("Encode and encode differ")
	}
	if loss := s.linkLoss(enc, 64); loss.Problem != lossNone {
		t.Fatalf("the link is lost: %+v", loss)
	}
	got, err := DecodeState(enc)
	if err != nil {
		t.Fatal(err)
	}
	assertSameBits(t, s, got)
	if got.Reduction != compute.ReductionSum || got.Dims != 2 {
		t.Errorf("options lost: reduction %v, dims %d", got.Reduction, got.Dims)
	}
	t.Logf("100 000 float32 values per side: binary link %d bytes (%.2f bytes a value)", len(enc), float64(len(enc))/200000)
}

// assertSameBits checks that two states' cells hold the same float64 bits.
func assertSameBits(t *testing.T, want, got State) {
	t.Helper()
	for _, sd := range []side{sideP, sideQ} {
		w, g := want.textRows(sd), got.textRows(sd)
		if len(w) != len(g) {
			t.Fatalf("%v: %d rows, want %d", sd, len(g), len(w))
		}
		for i := range w {
			if len(w[i]) != len(g[i]) {
				t.Fatalf("%v row %d: %d values, want %d", sd, i, len(g[i]), len(w[i]))
			}
			for j := range w[i] {
				a, _ := parseCell(w[i][j])
				b, err := parseCell(g[i][j])
				if err != nil || math.Float64bits(a) != math.Float64bits(b) {
					t.Fatalf("%v[%d][%d] = %q, want %q", sd, i, j, g[i][j], w[i][j])
				}
			}
		}
	}
}

// TestBinaryLinkSpecials round-trips the values whose bits a decimal
// printout could lose (−0, NaN, ±Inf, subnormals, the float64 extremes), in
// both widths, by encodeBinary directly.
func TestBinaryLinkSpecials(t *testing.T) {
	specials := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 5e-324, 2.2250738585072014e-308,
		math.MaxFloat64, 1e-310, 0.1, 1.401298464324817e-45, 3.4028234663852886e38}
	for _, width := range []int{4, 8} {
		row := make([]string, 0, len(specials))
		for _, v := range specials {
			if width == 4 && !isFloat32(v) {
				continue
			}
			row = append(row, compute.FormatFloat(v))
		}
		s := defaultState()
		s.P, s.Q = [][]string{row}, [][]string{row, row}
		enc, _, ok := s.encodeBinary("", nil, 0)
		if !ok {
			t.Fatalf("width %d: not encoded", width)
		}
		got, err := DecodeState(enc)
		if err != nil {
			t.Fatal(err)
		}
		assertSameBits(t, s, got)
		g, _ := numericGrid(s.P, nil)
		if g.width != width {
			t.Errorf("%v: width %d, want %d", row, g.width, width)
		}
	}
}

// TestBinaryLinkText keeps a state with a cell that is not a number (being
// typed) in the readable link, which keeps its text.
func TestBinaryLinkText(t *testing.T) {
	s := float32State(9, 4, 10000)
	s.P[2][5] = "0.3x"
	if _, _, ok := s.encodeBinary("", nil, 0); ok {
		t.Fatal("a state with an invalid cell was encoded as binary")
	}
	enc := s.Encode()
	if !strings.HasPrefix(enc, keyCompact+"=1") {
		t.Fatalf("link %.10s…, want the compressed readable one", enc)
	}
	got, err := DecodeState(enc)
	if err != nil || got.P[2][5] != "0.3x" {
		t.Fatalf("the invalid cell came back as %q (%v)", got.P[2][5], err)
	}
}

func deflateBytes(b []byte) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, 9)
	w.Write(b)
	w.Close()
	return keyBinary + "=1" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// TestBinaryLinkErrors: a tampered binary link opens the default example
// with a message, and never allocates what it claims.
func TestBinaryLinkErrors(t *testing.T) {
	good, _, _ := float32State(1, 2, 3).encodeBinary("", nil, 0)
	raw := func(meta string, sides ...[]byte) []byte {
		b := binary.AppendUvarint(nil, uint64(len(meta)))
		b = append(b, meta...)
		for _, s := range sides {
			b = append(b, s...)
		}
		return b
	}
	side := func(width byte, rows, cols uint64, n int) []byte {
		b := []byte{width}
		b = binary.AppendUvarint(b, rows)
		b = binary.AppendUvarint(b, cols)
		return append(b, make([]byte, n)...)
	}
	ok := side(8, 1, 2, 16)
	for name, c := range map[string]struct {
		frag, want string
	}{
		"version":     {"b=2" + good[3:], "unknown version"},
		"base64":      {"b=1@@", "damaged"},
		"not deflate": {"b=1AAAA", "damaged"},
		"truncated":   {deflateBytes(raw("reduction=sum", ok, side(8, 1, 2, 15))), "damaged"},
		"trailing":    {deflateBytes(append(raw("", ok, ok), 0)), "damaged"},
		"width":       {deflateBytes(raw("", ok, side(3, 1, 2, 6))), "damaged"},
		"meta length": {deflateBytes(binary.AppendUvarint(nil, 1<<40)), "damaged"},
		"huge claim":  {deflateBytes(raw("", ok, side(8, 1<<30, 1<<30, 0))), "more than 1048576 values"},
		"nested":      {deflateBytes(raw("z=1abc", ok, ok)), "inside a compressed link"},
		"no sides":    {deflateBytes(raw("")), "damaged"},
		"empty":       {"b=1", "damaged"},
	} {
		s, err := DecodeState(c.frag)
		if err == nil || !errors.Is(err, ErrURL) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", name, err, c.want)
		}
		if s.numRows(sideP) == 0 {
			t.Errorf("%s: no state", name)
		}
	}
	// A bad key in the readable part is reported, and the values are kept.
	s, err := DecodeState(deflateBytes(raw("reduction=median", ok, ok)))
	if err == nil || !strings.Contains(err.Error(), "reduction") || s.numRows(sideP) != 1 || s.numCols(sideP) != 2 {
		t.Errorf("bad reduction: %v, P %v", err, s.textRows(sideP))
	}
}

// TestLinkLoss: the app never writes a link it would refuse to open, and
// says so instead.
func TestLinkLoss(t *testing.T) {
	big := defaultState()
	big.P = [][]string{make([]string, maxCells+1)}
	for i := range big.P[0] {
		big.P[0][i] = "1"
	}
	if l := big.linkLoss("p=…", 30); l.Problem != lossTooManyValues || l.Side != sideP || l.Cells != maxCells+1 {
		t.Errorf("1 048 577 values: %+v", l)
	}
	if l := defaultState().linkLoss(strings.Repeat("x", maxLink-30), 30); l.Problem != lossTooLong {
		t.Errorf("a 2 MB link: %+v", l)
	}
	if l := defaultState().linkLoss(defaultState().Encode(), 30); l.Problem != lossNone {
		t.Errorf("the default state: %+v", l)
	}
	// Whatever fits is readable: the largest state a link holds decodes.
	s := float32State(3, 1, maxCells)
	s.Q = [][]string{{"1"}}
	enc := s.Encode()
	if l := s.linkLoss(enc, 30); l.Problem == lossNone {
		if _, err := DecodeState(enc); err != nil {
			t.Fatalf("a link the app writes does not open: %v", err)
		}
	} else {
		t.Logf("%d float32 values: %+v", maxCells, l)
	}
}

// TestStateFile: a state beyond a link's limits saves to a file that
// reopens it exactly, and a damaged file says so.
func TestStateFile(t *testing.T) {
	s := float32State(11, 1, maxCells+5000)
	s.Q = [][]string{{"0.5"}}
	s.Reduction = compute.ReductionMean
	if l := s.linkLoss("", 0); l.Problem != lossTooManyValues {
		t.Fatalf("loss %+v", l)
	}
	b := s.encodeFile()
	if !isStateFile(string(b)) {
		t.Fatalf("no header: %.20q", b)
	}
	got, err := decodeStateFile(string(b))
	if err != nil {
		t.Fatal(err)
	}
	assertSameBits(t, s, got)
	if got.Reduction != compute.ReductionMean {
		t.Errorf("reduction %v", got.Reduction)
	}
	t.Logf("%d float32 values: state file %d bytes", maxCells+5000, len(b))

	// A cell that is not a number keeps the readable form.
	small := defaultState()
	small.P[0][1] = "0.4?"
	got, err = decodeStateFile(string(small.encodeFile()))
	if err != nil || got.P[0][1] != "0.4?" {
		t.Errorf("text cell: %q, %v", got.P[0][1], err)
	}
	for name, text := range map[string]string{
		"truncated": string(b[:len(b)/2]),
		"garbage":   stateFileHeader + "b=1%%%%\n",
	} {
		if _, err := decodeStateFile(text); err == nil || !errors.Is(err, ErrURL) {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

// TestEncodeWithin checks that a limit changes nothing for a link within
// it, and that for links beyond it encodeWithin stops with a length that
// the full encoding (the shortest link) does exceed: every compressed
// link only grows as it is written.
func TestEncodeWithin(t *testing.T) {
	short := strings.Repeat("0.5,", 20_000)
	compressible := defaultState()
	compressible.P = [][]string{strings.Split(short[:len(short)-1], ",")}
	compressible.Q = compressible.P
	for _, tc := range []struct {
		name  string
		s     State
		limit int
		fits  bool
	}{
		{"the default state", defaultState(), 100, true},
		{"no limit", float32State(5, 20, 1000), 0, true},
		{"40 000 values that compress to little", compressible, 4 << 10, true},
		{"40 000 random float32, limit 64 KB", float32State(6, 20, 1000), 64 << 10, false},
		{"40 000 random float32, limit 1 KB", float32State(7, 20, 1000), 1 << 10, false},
	} {
		full := tc.s.Encode()
		enc, over, ok := tc.s.encodeWithin(nil, tc.limit)
		switch {
		case !ok:
			t.Errorf("%s: not ok", tc.name)
		case tc.fits && (enc != full || over != 0):
			t.Errorf("%s: %d bytes, over %d; want the full %d-byte link", tc.name, len(enc), over, len(full))
		case !tc.fits && (enc != "" || over <= tc.limit || len(full) < over):
			t.Errorf("%s: %d bytes, over %d; want none, and limit %d < over ≤ %d, the full link's length", tc.name, len(enc), over, tc.limit, len(full))
		}
	}
}
