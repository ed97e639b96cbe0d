package tensorfile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

// checkAll is Check as a caller uses it: from the first k bytes of data,
// then as many as it asks for, until it needs no more. It fails t if Check
// asks for bytes the file does not have, or for no more than it has.
func checkAll(t *testing.T, data []byte, k int, lim Limits) error {
	t.Helper()
	k = min(k, len(data))
	for range 8 {
		need, err := Check(data[:k], int64(len(data)), lim)
		switch {
		case need == 0:
			return err
		case err != nil:
			t.Fatalf("Check(%d of %d bytes) = %d, %v: both a need and an error", k, len(data), need, err)
		case need <= int64(k) || need > int64(len(data)):
			t.Fatalf("Check(%d of %d bytes) needs %d", k, len(data), need)
		}
		k = int(need)
	}
	t.Fatalf("Check(%d bytes) kept asking for more", len(data))
	return nil
}

// agreesWithRead fails t unless Check's verdict on data, from its first k
// bytes, is Read's: the same error, or none where only the data (or an
// .npz's directory, at its end) can decide.
func agreesWithRead(t *testing.T, data []byte, k int, lim Limits) {
	t.Helper()
	cerr := checkAll(t, data, k, lim)
	_, rerr := Read(data, lim)
	npz := bytes.HasPrefix(data, []byte("PK"))
	switch {
	case cerr != nil && fmt.Sprint(cerr) != fmt.Sprint(rerr):
		t.Errorf("%.40q from %d bytes: Check says %v, Read %v", data, k, cerr, rerr)
	case cerr == nil && rerr != nil && !npz && Code(rerr) != ErrNotExact:
		t.Errorf("%.40q from %d bytes: Check says nothing, Read %v (decided by the header)", data, k, rerr)
	}
}

// TestCheck: from any first bytes of a file, Check says what Read says of
// its header (the hostile files of hostile_test.go, whose sources are
// cited there, and the goldens written by NumPy), and only that.
func TestCheck(t *testing.T) {
	lim := Limits{MaxValues: 1000}
	files := [][]byte{
		nil,
		[]byte("\x93NUM"),
		[]byte("hello, world"),
		npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", f32s(1, 2)),
		npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", f32s(1)),
		npyFile(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", f32s(1, 2, 3)),
		npyFile(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (1001,)}", make([]byte, 8008)),
		npyFile(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,)}", binary.LittleEndian.AppendUint64(nil, 1<<62)),
		npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,)}", nil),
		npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) "+strings.Repeat(" ", 3000)+"}", f32s(1, 2)),
		stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)),
		stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32s(1)),
		stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2, 3)),
		stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, f32s(1, 2, 3)),
		stFile(`{"a":{"dtype":"F64","shape":[1001],"data_offsets":[0,8008]}}`, make([]byte, 8008)),
		stFile(`{"a":{"dtype":"F64","shape":[100000000000],"data_offsets":[0,800000000000]}}`, nil),
		stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}, "`+strings.Repeat("m", 5000)+`": 1}`, f32s(1, 2)),
		stFile("{\"\xff\":1}", nil),
		stFile(`{}`, nil),
		binary.LittleEndian.AppendUint64(nil, 99_999_999),
		binary.LittleEndian.AppendUint64(nil, 100_000_001),
		append(binary.LittleEndian.AppendUint64(nil, 3000), "{"+strings.Repeat(" ", 10)...),
	}
	var z bytes.Buffer
	WriteNPZ(&z, []Tensor{{Name: "a", DType: Float32, Shape: []int{2}, Data: []float64{1, 2}}})
	files = append(files, z.Bytes())
	for _, g := range goldens(t).Files {
		files = append(files, g.data)
	}
	for _, f := range files {
		for _, k := range []int{0, 1, 8, 9, 100, MinHead, len(f) / 2, len(f)} {
			agreesWithRead(t, f, k, lim)
		}
	}
}

// TestCheckSizes: the special cases of Check's doc comment.
func TestCheckSizes(t *testing.T) {
	st := stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2))
	const big = `{"a":{"dtype":"F32","shape":[1073741824],"data_offsets":[0,4294967296]}}`
	for _, c := range []struct {
		name string
		head []byte
		size int64
		need int64
		code ErrorCode
	}{
		{"empty file", nil, 0, 0, ErrEmpty},
		{"too few bytes to tell", st[:4], int64(len(st)), int64(len(st)), 0},
		{"too few bytes of a large file", make([]byte, 100), 1 << 30, MinHead, 0},
		{"a head longer than the size is cut to it", append(st, 1, 2, 3), int64(len(st)), 0, 0},
		{"a negative size", st, -1, 0, ErrTruncated},
		{"unknown format", bytes.Repeat([]byte("x"), MinHead), 1 << 20, 0, ErrUnknownFormat},
		{"a zip", append([]byte("PK\x03\x04"), make([]byte, MinHead)...), 1 << 20, 0, 0},
		{"2^30 values of float32 on a 4 GiB file", stFile(big, make([]byte, MinHead)), 8 + int64(len(big)) + 1<<32, 0, ErrTooManyValues},
	} {
		need, err := Check(c.head, c.size, Limits{})
		if need != c.need || Code(err) != c.code {
			t.Errorf("%s: Check = %d, %v; want %d, code %v", c.name, need, err, c.need, c.code)
		}
	}
}

// FuzzCheck: for any file and any number of its first bytes, Check agrees
// with Read (agreesWithRead), and never asks for bytes the file lacks.
func FuzzCheck(f *testing.F) {
	for _, g := range goldens(f).Files {
		f.Add(g.data, uint16(len(g.data)/3))
	}
	f.Add(stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[0],"data_offsets":[8,8]}}`, f32s(1, 2)), uint16(20))
	f.Add(npyFile(3, "{'descr': '>u2', 'fortran_order': True, 'shape': (2, 2), } # é", []byte{0, 1, 0, 2, 0, 3, 0, 4}), uint16(9))
	f.Fuzz(func(t *testing.T, data []byte, k uint16) {
		agreesWithRead(t, data, int(k), Limits{MaxValues: 1 << 16})
	})
}

// TestSniffHead: a safetensors file whose header is longer than the bytes
// at hand is told by its size, which Sniff of those bytes cannot.
func TestSniffHead(t *testing.T) {
	f := stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}, "`+strings.Repeat("m", 70_000)+`": 1}`, f32s(1, 2))
	head := f[:64<<10]
	if got := Sniff(head); got != 0 {
		t.Errorf("Sniff(64 KB of a 70 KB header) = %v, want 0", got)
	}
	if got := SniffHead(head, int64(len(f))); got != FormatSafetensors {
		t.Errorf("SniffHead(64 KB, the file's size) = %v, want FormatSafetensors", got)
	}
	if got := SniffHead(head, 60_000); got != 0 {
		t.Errorf("SniffHead(a header longer than the size) = %v, want 0", got)
	}
	if got := SniffHead([]byte("12345678{ not a tensor"), 4); got != 0 {
		t.Errorf("SniffHead(size below 8) = %v, want 0", got)
	}
}
