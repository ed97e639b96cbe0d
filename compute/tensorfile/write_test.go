package tensorfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var allDTypes = []DType{Float16, BFloat16, Float32, Float64, Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64, Bool}

// exactValues returns n values that dt holds exactly: widened random bit
// patterns (NaN payloads included) for floats, random integers in range
// for the others.
func exactValues(r *rand.Rand, dt DType, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		switch dt {
		case Float16:
			v[i] = Float16ToFloat64(uint16(r.Uint32()))
		case BFloat16:
			v[i] = BFloat16ToFloat64(uint16(r.Uint32()))
		case Float32:
			v[i] = Float32ToFloat64(r.Uint32())
		case Float64:
			v[i] = math.Float64frombits(r.Uint64())
		default:
			lo, hi := intRange(dt)
			v[i] = lo + math.Floor(r.Float64()*(hi-lo+1))
			v[i] = math.Min(v[i], hi)
		}
	}
	return v
}

// TestRoundTripEveryDType writes tensors of every dtype and shape with
// each writer and reads them back: every bit must survive.
func TestRoundTripEveryDType(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, dt := range allDTypes {
		for _, shape := range [][]int{{}, {0}, {7}, {3, 5}, {2, 3, 4}, {1, 0, 3}} {
			n := 1
			for _, d := range shape {
				n *= d
			}
			ts := []Tensor{
				{Name: "a", DType: dt, Shape: shape, Data: exactValues(r, dt, n)},
				{Name: "b", DType: dt, Shape: shape, Data: exactValues(r, dt, n)},
			}
			var st bytes.Buffer
			if err := WriteSafetensors(&st, ts, map[string]string{"dtype": dt.String()}); err != nil {
				t.Fatalf("%v %v: %v", dt, shape, err)
			}
			f, err := ReadSafetensors(st.Bytes(), Limits{})
			if err != nil {
				t.Fatalf("%v %v: %v", dt, shape, err)
			}
			checkSame(t, "safetensors", f.Tensors, ts)
			if f.Metadata["dtype"] != dt.String() {
				t.Errorf("metadata %v", f.Metadata)
			}
			if dt == BFloat16 {
				err := WriteNPY(&bytes.Buffer{}, ts[0])
				wantCode(t, "WriteNPY bfloat16", err, ErrDType)
				continue
			}
			var z bytes.Buffer
			if err := WriteNPZ(&z, ts); err != nil {
				t.Fatal(err)
			}
			f, err = ReadNPZ(z.Bytes(), Limits{})
			if err != nil {
				t.Fatalf("%v %v: %v", dt, shape, err)
			}
			checkSame(t, "npz", f.Tensors, ts)
			var b bytes.Buffer
			if err := WriteNPY(&b, ts[0]); err != nil {
				t.Fatal(err)
			}
			f, err = ReadNPY(b.Bytes(), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			one := ts[0]
			one.Name = ""
			checkSame(t, "npy", f.Tensors, []Tensor{one})
		}
	}
}

func checkSame(t *testing.T, how string, got, want []Tensor) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d tensors, want %d", how, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.DType != w.DType || !slices.Equal(g.Shape, w.Shape) || len(g.Data) != len(w.Data) {
			t.Fatalf("%s: got %q %v %v ×%d, want %q %v %v ×%d", how, g.Name, g.DType, g.Shape, len(g.Data), w.Name, w.DType, w.Shape, len(w.Data))
		}
		for k := range w.Data {
			if math.Float64bits(g.Data[k]) != math.Float64bits(w.Data[k]) {
				t.Fatalf("%s %q %v: value %d = %#016x, want %#016x", how, w.Name, w.DType, k, math.Float64bits(g.Data[k]), math.Float64bits(w.Data[k]))
			}
		}
	}
}

// TestWriteSafetensorsIsRust compares with the bytes of the reference
// writer's own tests (safetensors/src/tensor.rs: test_serialization,
// test_empty, test_serialization_forced_alignement).
func TestWriteSafetensorsIsRust(t *testing.T) {
	data := []float64{0, 1, 2, 3, 4, 5}
	le := func(vs ...float32) string { return string(f32s(vs...)) }
	for _, c := range []struct {
		src     string
		tensors []Tensor
		meta    map[string]string
		want    string
	}{
		{"test_serialization", []Tensor{{Name: "attn.0", DType: Float32, Shape: []int{1, 2, 3}, Data: data}}, nil,
			"@\x00\x00\x00\x00\x00\x00\x00" + `{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}` + le(0, 1, 2, 3, 4, 5)},
		{"test_serialization_forced_alignement", []Tensor{{Name: "attn0", DType: Float32, Shape: []int{1, 1, 2, 3}, Data: data}}, nil,
			"H\x00\x00\x00\x00\x00\x00\x00" + `{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ` + le(0, 1, 2, 3, 4, 5)},
		{"test_empty", nil, nil, "\x08\x00\x00\x00\x00\x00\x00\x00{}      "},
		{"test_empty with metadata", nil, map[string]string{"framework": "pt"},
			"(\x00\x00\x00\x00\x00\x00\x00" + `{"__metadata__":{"framework":"pt"}}     `},
	} {
		var b bytes.Buffer
		if err := WriteSafetensors(&b, c.tensors, c.meta); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.src, b.String(), c.want)
		}
	}
}

// TestWriteSafetensorsLayout: by decreasing alignment (tensor.rs prepare:
// "sorting by descending dtype alignment, then by name"), serde_json's
// string escapes, and the same bytes every time.
func TestWriteSafetensorsLayout(t *testing.T) {
	ts := []Tensor{
		{Name: "z\"\\\n\x01é", DType: Uint8, Shape: []int{1}, Data: []float64{7}},
		{Name: "b", DType: Float16, Shape: []int{1}, Data: []float64{1}},
		{Name: "a", DType: Float16, Shape: []int{1}, Data: []float64{1}},
		{Name: "c", DType: Float64, Shape: []int{1}, Data: []float64{1}},
		{Name: "<&>", DType: Int64, Shape: []int{1}, Data: []float64{-1}},
	}
	var b1, b2 bytes.Buffer
	if err := WriteSafetensors(&b1, ts, map[string]string{"y": "2", "x": "1"}); err != nil {
		t.Fatal(err)
	}
	WriteSafetensors(&b2, ts, map[string]string{"x": "1", "y": "2"})
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Error("not deterministic")
	}
	n := binary.LittleEndian.Uint64(b1.Bytes())
	hdr := string(b1.Bytes()[8 : 8+n])
	want := `{"__metadata__":{"x":"1","y":"2"},"<&>":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},` +
		`"c":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},"a":{"dtype":"F16","shape":[1],"data_offsets":[16,18]},` +
		`"b":{"dtype":"F16","shape":[1],"data_offsets":[18,20]},"z\"\\\n\u0001é":{"dtype":"U8","shape":[1],"data_offsets":[20,21]}}`
	if strings.TrimRight(hdr, " ") != want || len(hdr)%8 != 0 {
		t.Errorf("header\n%s\nwant\n%s", hdr, want)
	}
	f, err := Read(b1.Bytes(), Limits{})
	if err != nil || f.Tensors[4].Name != ts[0].Name {
		t.Errorf("%v %v", err, f.Tensors)
	}
}

func TestWriteErrors(t *testing.T) {
	ok := Tensor{Name: "a", DType: Float32, Shape: []int{2}, Data: []float64{1, 2}}
	with := func(f func(*Tensor)) []Tensor { t := ok; f(&t); return []Tensor{t} }
	for _, c := range []struct {
		src     string
		tensors []Tensor
		code    ErrorCode
	}{
		{"derivation: no dtype", with(func(t *Tensor) { t.DType = 0 }), ErrDType},
		{"derivation: Data shorter than Shape", with(func(t *Tensor) { t.Shape = []int{3} }), ErrShape},
		{"derivation: negative dimension", with(func(t *Tensor) { t.Shape = []int{-2, -1} }), ErrShape},
		{"derivation: 300 in int8", with(func(t *Tensor) { t.DType, t.Data = Int8, []float64{1, 300} }), ErrNotExact},
		{"derivation: 0.5 in int32", with(func(t *Tensor) { t.DType, t.Data = Int32, []float64{0.5, 1} }), ErrNotExact},
		{"derivation: NaN in uint8", with(func(t *Tensor) { t.DType, t.Data = Uint8, []float64{math.NaN(), 1} }), ErrNotExact},
		{"derivation: 2 in bool", with(func(t *Tensor) { t.DType, t.Data = Bool, []float64{2, 1} }), ErrNotExact},
		{"derivation: 2^60 in int64 would not read back", with(func(t *Tensor) { t.DType, t.Data = Int64, []float64{0x1p60, 1} }), ErrNotExact},
		{"README: __metadata__ is reserved", with(func(t *Tensor) { t.Name = "__metadata__" }), ErrName},
		{"README: names are UTF-8", with(func(t *Tensor) { t.Name = "\xff" }), ErrName},
		{"README: duplicate names", []Tensor{ok, ok}, ErrDuplicateName},
	} {
		var b bytes.Buffer
		err := WriteSafetensors(&b, c.tensors, nil)
		wantCode(t, c.src, err, c.code)
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", c.src, b.Len())
		}
	}
	wantCode(t, "npz: empty name", WriteNPZ(&bytes.Buffer{}, []Tensor{{DType: Float32, Shape: []int{}, Data: []float64{1}}}), ErrName)
	wantCode(t, "npz: duplicate", WriteNPZ(&bytes.Buffer{}, []Tensor{ok, ok}), ErrDuplicateName)
	wantCode(t, "npy: int8 of -129", WriteNPY(&bytes.Buffer{}, Tensor{DType: Int8, Shape: []int{1}, Data: []float64{-129}}), ErrNotExact)
	var e *Error
	err := WriteNPY(&bytes.Buffer{}, Tensor{DType: Int8, Shape: []int{1}, Data: []float64{-129}})
	if !errors.As(err, &e) || e.Detail != "-129" {
		t.Errorf("detail of %v", err)
	}
	// Floats round rather than fail.
	var b bytes.Buffer
	if err := WriteNPY(&b, Tensor{DType: Float16, Shape: []int{2}, Data: []float64{1e10, 0.1}}); err != nil {
		t.Fatal(err)
	}
	f, _ := ReadNPY(b.Bytes(), Limits{})
	if d := f.Tensors[0].Data; !math.IsInf(d[0], 1) || d[1] != Float16ToFloat64(0x2e66) {
		t.Errorf("float16 rounding: %v", d)
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{Code: ErrTruncated, Tensor: "w", Offset: 120, Detail: "x"}
	if got, want := e.Error(), `tensorfile: truncated (tensor "w") at byte 120: "x"`; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got := (&Error{Code: ErrZip, Offset: -1, Err: errors.New("boom")}).Error(); got != "tensorfile: zip: boom" {
		t.Errorf("%q", got)
	}
	for c := ErrUnknownFormat; c <= ErrName; c++ {
		if s := c.String(); s == "" || strings.HasPrefix(s, "ErrorCode(") {
			t.Errorf("code %d has no name", int(c))
		}
	}
	if ErrorCode(0).String() != "ErrorCode(0)" || DType(0).String() != "DType(0)" || Format(9).String() != "Format(9)" {
		t.Error("String of invalid values")
	}
	if Code(errors.New("x")) != 0 || Code(nil) != 0 {
		t.Error("Code of a foreign error")
	}
	for _, d := range allDTypes {
		if d.Size() == 0 || d.String() == "" {
			t.Errorf("dtype %d", int(d))
		}
	}
	if long := newError(ErrDType, "", -1, strings.Repeat("x", 1000)); len(long.Detail) > maxDetail+3 {
		t.Errorf("Detail of %d bytes", len(long.Detail))
	}
}
