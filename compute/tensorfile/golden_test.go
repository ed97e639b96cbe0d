package tensorfile

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// golden is testdata/numpy.json.gz, which testdata/gen.py writes with real
// NumPy 1.24 and PyTorch 1.13; see its docstring.
type golden struct {
	Numpy, Torch string
	Files        []goldenFile
	Narrow       []struct {
		F64, F16, F32 string
		BF16F32       string `json:"bf16_f32"`
		BF16Py        string `json:"bf16_py"`
	}
}

type goldenFile struct {
	Name, Source, Format, File, Error string
	Tensors                           []goldenTensor
	data                              []byte
}

type goldenTensor struct {
	Name, DType string
	Shape       []int
	Bits        []string
}

var loadGolden = sync.OnceValues(func() (*golden, error) {
	f, err := os.Open("testdata/numpy.json.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var g golden
	if err := json.NewDecoder(z).Decode(&g); err != nil {
		return nil, err
	}
	for i := range g.Files {
		if g.Files[i].data, err = base64.StdEncoding.DecodeString(g.Files[i].File); err != nil {
			return nil, err
		}
	}
	return &g, nil
})

func goldens(t testing.TB) *golden {
	t.Helper()
	g, err := loadGolden()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func hexBits(t testing.TB, s string) uint64 {
	t.Helper()
	u, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// sameTensor reports how got differs from want, or "" if not at all:
// values are compared by their bits.
func sameTensor(t testing.TB, got Tensor, want goldenTensor) string {
	if got.Name != want.Name || got.DType.String() != want.DType || !slices.Equal(got.Shape, want.Shape) {
		return fmt.Sprintf("got %q %v %v, want %q %s %v", got.Name, got.DType, got.Shape, want.Name, want.DType, want.Shape)
	}
	if len(got.Data) != len(want.Bits) {
		return fmt.Sprintf("%d values, want %d", len(got.Data), len(want.Bits))
	}
	for i, v := range got.Data {
		if w := hexBits(t, want.Bits[i]); math.Float64bits(v) != w {
			return fmt.Sprintf("value %d = %#016x, want %#016x", i, math.Float64bits(v), w)
		}
	}
	return ""
}

// TestNumPyGoldens reads every file of the goldens (NumPy runs: every
// dtype × byte order × C/Fortran order × format version 1.0, 2.0, 3.0 ×
// shape; np.savez and np.savez_compressed; safetensors by the README with
// torch's bfloat16 bits) and checks every value's bits, or the error code.
func TestNumPyGoldens(t *testing.T) {
	g := goldens(t)
	if len(g.Files) < 700 {
		t.Fatalf("only %d golden files", len(g.Files))
	}
	for _, f := range g.Files {
		got, err := Read(f.data, Limits{})
		if f.Error != "" {
			if Code(err).String() != f.Error {
				t.Errorf("%s (%s): error %v, want code %s", f.Name, f.Source, err, f.Error)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s (%s): %v", f.Name, f.Source, err)
			continue
		}
		if got.Format.String() != f.Format {
			t.Errorf("%s: format %v, want %s", f.Name, got.Format, f.Format)
		}
		if len(got.Tensors) != len(f.Tensors) {
			t.Errorf("%s: %d tensors, want %d", f.Name, len(got.Tensors), len(f.Tensors))
			continue
		}
		for i, want := range f.Tensors {
			if d := sameTensor(t, got.Tensors[i], want); d != "" {
				t.Errorf("%s (%s) tensor %d: %s", f.Name, f.Source, i, d)
			}
		}
		if f.Format == "safetensors" {
			if got.Metadata == nil && strings.HasPrefix(f.Name, "mixed.") {
				t.Errorf("%s: no metadata", f.Name)
			}
			if strings.HasPrefix(f.Name, "mixed.") && got.Metadata["note"] != "café" {
				t.Errorf("%s: metadata %v", f.Name, got.Metadata)
			}
		}
	}
}

// TestWriteNPYIsNumPy checks that WriteNPY writes the bytes of NumPy's
// write_array(version=(1, 0)), which is np.save's, for every little-endian
// C-order golden.
func TestWriteNPYIsNumPy(t *testing.T) {
	n := 0
	for _, f := range goldens(t).Files {
		if f.Error != "" || !strings.HasSuffix(f.Name, "-v1-C.npy") || f.Name[0] == '>' {
			continue
		}
		r, err := ReadNPY(f.data, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		var b bytes.Buffer
		if err := WriteNPY(&b, r.Tensors[0]); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !bytes.Equal(b.Bytes(), f.data) {
			t.Errorf("%s: WriteNPY wrote\n%q\nNumPy wrote\n%q", f.Name, b.Bytes(), f.data)
		}
		n++
	}
	if n < 80 {
		t.Errorf("only %d files compared", n)
	}
}

// TestGoldenRoundTrips writes every golden tensor with each writer and
// reads it back: the bits must not change.
func TestGoldenRoundTrips(t *testing.T) {
	for _, f := range goldens(t).Files {
		if f.Error != "" {
			continue
		}
		file, err := Read(f.data, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		ts := slices.Clone(file.Tensors)
		for i := range ts {
			ts[i].Name = fmt.Sprint("t", i)
		}
		check := func(how string, b []byte, lone bool) {
			back, err := Read(b, Limits{})
			if err != nil {
				t.Errorf("%s via %s: %v", f.Name, how, err)
				return
			}
			for i, want := range f.Tensors {
				want.Name = ts[i].Name
				if lone {
					want.Name = ""
				}
				var got Tensor
				for _, g := range back.Tensors {
					if g.Name == want.Name {
						got = g
					}
				}
				if d := sameTensor(t, got, want); d != "" {
					t.Errorf("%s via %s: %s", f.Name, how, d)
				}
			}
		}
		var st bytes.Buffer
		if err := WriteSafetensors(&st, ts, nil); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		check("WriteSafetensors", st.Bytes(), false)
		if slices.ContainsFunc(ts, func(t Tensor) bool { return t.DType == BFloat16 }) {
			continue
		}
		var z bytes.Buffer
		if err := WriteNPZ(&z, ts); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		check("WriteNPZ", z.Bytes(), false)
		if len(ts) == 1 {
			var b bytes.Buffer
			if err := WriteNPY(&b, ts[0]); err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			check("WriteNPY", b.Bytes(), true)
		}
	}
}

// TestNarrowGoldens compares the rounding of float64 to float16, float32
// and bfloat16 with NumPy's and torch's on the goldens' specials.
func TestNarrowGoldens(t *testing.T) {
	doubleRounded := 0
	for _, r := range goldens(t).Narrow {
		x := math.Float64frombits(hexBits(t, r.F64))
		// NumPy's float16 conversion is its own bit routine, NaN rule
		// included: every bit must agree.
		if got, want := Float64ToFloat16(x), uint16(hexBits(t, r.F16)); got != want {
			t.Errorf("Float64ToFloat16(%#016x) = %#04x, NumPy %#04x", math.Float64bits(x), got, want)
		}
		// NumPy's float32 conversion is the FPU's, which quiets NaNs;
		// this package keeps a signalling NaN signalling.
		got32, want32 := Float64ToFloat32(x), uint32(hexBits(t, r.F32))
		if math.IsNaN(x) {
			if got32>>31 != want32>>31 || !math.IsNaN(float64(math.Float32frombits(got32))) {
				t.Errorf("Float64ToFloat32(%#016x) = %#08x, NumPy %#08x", math.Float64bits(x), got32, want32)
			}
			continue
		}
		if got32 != want32 {
			t.Errorf("Float64ToFloat32(%#016x) = %#08x, NumPy %#08x", math.Float64bits(x), got32, want32)
		}
		// torch rounds float32 to bfloat16 correctly.
		f := Float32ToFloat64(want32)
		if got, want := Float64ToBFloat16(f), uint16(hexBits(t, r.BF16F32)); got != want {
			t.Errorf("Float64ToBFloat16(%v) = %#04x, torch %#04x", f, got, want)
		}
		// torch.tensor([x], dtype=torch.bfloat16) rounds x to float32 first.
		if got, want := Float64ToBFloat16(f), uint16(hexBits(t, r.BF16Py)); got != want {
			t.Errorf("bfloat16 through float32 of %v = %#04x, torch %#04x", x, got, want)
		}
		if Float64ToBFloat16(x) != uint16(hexBits(t, r.BF16Py)) {
			doubleRounded++
		}
	}
	// 1 + 2^-8 + 2^-30 is a tie only after rounding to float32.
	if doubleRounded == 0 {
		t.Error("no golden shows torch's double rounding to bfloat16")
	}
}
