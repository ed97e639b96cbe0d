package tensorfile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"runtime"
	"strings"
	"testing"
)

// npyFile builds an .npy file from a header (not padded) and data.
func npyFile(major byte, header string, data []byte) []byte {
	b := append([]byte{}, npyMagic...)
	b = append(b, major, 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(header)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
	}
	return append(append(b, header...), data...)
}

// stFile builds a .safetensors file from a header and a buffer.
func stFile(header string, buf []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), buf...)
}

func f32s(vs ...float32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

func wantCode(t *testing.T, what string, err error, code ErrorCode) {
	t.Helper()
	if !errors.Is(err, code) {
		t.Errorf("%s: error %v, want code %v", what, err, code)
	}
}

const hdr23 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"

var data23 = f32s(1, 2, 3, 4, 5, 6)

// TestNPYHeaders covers the header syntax of the NumPy format spec
// (numpy.lib.format docs: "a Python literal expression of a dictionary",
// read with ast.literal_eval) and the errors of hostile headers.
func TestNPYHeaders(t *testing.T) {
	for _, c := range []struct {
		src    string // where the row comes from
		header string
		major  byte
		data   []byte
		code   ErrorCode // 0: valid
		detail string
		shape  []int
	}{
		{"spec: the dict np.save writes", hdr23, 1, data23, 0, "", []int{2, 3}},
		{"spec: keys in any order, double quotes", `{"shape": (2, 3), "fortran_order": False, "descr": "<f4"}`, 1, data23, 0, "", []int{2, 3}},
		{"literal_eval: u prefix, implicit concatenation, escapes", `{'descr': u'<' 'f\x34', 'fortran_order': False, 'shape': (2, 3)}`, 1, data23, 0, "", []int{2, 3}},
		{"literal_eval: comment, newlines, continuation", "{'descr': '<f4', # dtype\n 'fortran_order': False, \\\n 'shape': (2, 3)}\n", 1, data23, 0, "", []int{2, 3}},
		{"literal_eval: ((2, 3)) is (2, 3); 0x2, 0b11, 1_0", "{'descr': '<f4', 'fortran_order': False, 'shape': ((0x2, 0b11))}", 1, data23, 0, "", []int{2, 3}},
		{"literal_eval: the last of repeated keys wins", "{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", 1, data23, 0, "", []int{2, 3}},
		{"format.py _filter_header: Python 2's 2L in versions 1 and 2", "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }", 1, data23, 0, "", []int{2, 3}},
		{"format.py: no L filter in version 3", "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }", 3, data23, ErrHeaderSyntax, "", nil},
		{"spec: shape () is a scalar", "{'descr': '<f4', 'fortran_order': False, 'shape': ()}", 1, f32s(7), 0, "", []int{}},
		{"spec: one-byte types need no byte order", "{'descr': 'u1', 'fortran_order': False, 'shape': (2,)}", 1, []byte{1, 2}, 0, "", []int{2}},
		{"format.py: EXPECTED_KEYS, an extra key", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", 1, data23, ErrHeaderSyntax, "x", nil},
		{"format.py: EXPECTED_KEYS, a missing key", "{'descr': '<f4', 'shape': (2, 3)}", 1, data23, ErrHeaderSyntax, "fortran_order", nil},
		{"format.py: not a dict", "['<f4', False, (2, 3)]", 1, data23, ErrHeaderSyntax, "", nil},
		{"literal_eval: unterminated string", "{'descr': '<f4, 'fortran_order': False, 'shape': (2, 3)}", 1, data23, ErrHeaderSyntax, "", nil},
		{"literal_eval: missing comma", "{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}", 1, data23, ErrHeaderSyntax, "", nil},
		{"literal_eval: a name is not a literal", "{'descr': float32, 'fortran_order': False, 'shape': (2, 3)}", 1, data23, ErrHeaderSyntax, "", nil},
		{"literal_eval: Python 3 has no 017", "{'descr': '<f4', 'fortran_order': False, 'shape': (017,)}", 1, data23, ErrHeaderSyntax, "", nil},
		{"format.py: fortran_order must be a bool", "{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}", 1, data23, ErrHeaderSyntax, "0", nil},
		{"format.py: shape must be a tuple", "{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}", 1, data23, ErrShape, "[2, 3]", nil},
		{"literal_eval: (6) is an int, not a tuple", "{'descr': '<f4', 'fortran_order': False, 'shape': (6)}", 1, data23, ErrShape, "(6)", nil},
		{"format.py: shape of ints", "{'descr': '<f4', 'fortran_order': False, 'shape': (2.0, 3)}", 1, data23, ErrShape, "2.0", nil},
		{"derivation: negative dimension", "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3)}", 1, data23, ErrShape, "-1", nil},
		{"derivation: True is an int in Python, not a dimension here", "{'descr': '<f4', 'fortran_order': False, 'shape': (True, 3)}", 1, data23, ErrShape, "True", nil},
		{"derivation: product overflows", "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", 1, data23, ErrShape, "4294967296", nil},
		{"derivation: dimension beyond int64", "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}", 1, data23, ErrShape, "99999999999999999999999", nil},
		{"derivation: bytes overflow", "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,)}", 1, data23, ErrShape, "", nil},
		{"derivation: a 0 first makes the product 0", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4611686018427387904, 4)}", 1, nil, 0, "", []int{0, 4611686018427387904, 4}},
		{"derivation: a huge claim on a small file", "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,)}", 1, data23, ErrTruncated, "", nil},
		{"format.py descr: complex", "{'descr': '<c8', 'fortran_order': False, 'shape': (3,)}", 1, data23, ErrDType, "<c8", nil},
		{"format.py descr: native order leaves the bytes unknown", "{'descr': '=f4', 'fortran_order': False, 'shape': (2, 3)}", 1, data23, ErrDType, "=f4", nil},
		{"format.py descr: no order", "{'descr': 'f4', 'fortran_order': False, 'shape': (2, 3)}", 1, data23, ErrDType, "f4", nil},
		{"format.py descr: long double, not float16", "{'descr': '<f16', 'fortran_order': False, 'shape': (1,)}", 1, data23[:16], ErrDType, "<f16", nil},
		{"format.py descr: structured", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,)}", 1, data23, ErrDType, "[('a', '<f4')]", nil},
		{"format.py descr: bytes, not str", "{'descr': b'<f4', 'fortran_order': False, 'shape': (2, 3)}", 1, data23, ErrDType, "b'<f4'", nil},
		{"spec: trailing data", hdr23, 1, append(f32s(0), data23...), ErrTrailingBytes, "", nil},
		{"spec: short data", hdr23, 1, data23[:23], ErrTruncated, "", nil},
		{"derivation: nesting beyond any header's", strings.Repeat("(", 100) + strings.Repeat(")", 100), 1, nil, ErrHeaderSyntax, "", nil},
		{"spec v3: header must be UTF-8", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} #\xff", 3, data23, ErrHeaderSyntax, "", nil},
		{"spec v1: header is Latin-1", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} #\xff", 1, data23, 0, "", []int{2, 3}},
	} {
		f, err := ReadNPY(npyFile(c.major, c.header, c.data), Limits{})
		if c.code == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.src, err)
				continue
			}
			if got := f.Tensors[0].Shape; len(got) != len(c.shape) || !equalInts(got, c.shape) {
				t.Errorf("%s: shape %v, want %v", c.src, got, c.shape)
			}
			continue
		}
		wantCode(t, c.src, err, c.code)
		if e := (*Error)(nil); c.detail != "" && errors.As(err, &e) && e.Detail != c.detail {
			t.Errorf("%s: Detail %q, want %q", c.src, e.Detail, c.detail)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestNPYHeaderLimit: NumPy's reader refuses len(header) > 10000, counting
// characters of the decoded header (format.py _read_array_header).
func TestNPYHeaderLimit(t *testing.T) {
	base := "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
	pad := func(n int) string { return base + strings.Repeat(" ", n-len(base)-1) + "\n" }
	for _, c := range []struct {
		src    string
		major  byte
		header string
		code   ErrorCode
	}{
		{"format.py: 10000 is allowed", 1, pad(10000), 0},
		{"format.py: 10001 is not", 1, pad(10001), ErrHeaderTooLarge},
		{"format.py: version 2 likewise", 2, pad(10001), ErrHeaderTooLarge},
		{"format.py: version 3 counts characters, not bytes", 3, base + "#" + strings.Repeat("é", 9000), 0},
		{"format.py: version 3, 10001 characters", 3, base + "#" + strings.Repeat("é", 10001-len(base)-1), ErrHeaderTooLarge},
	} {
		_, err := ReadNPY(npyFile(c.major, c.header, data23), Limits{})
		if c.code == 0 && err != nil || c.code != 0 {
			if c.code == 0 {
				t.Errorf("%s: %v", c.src, err)
			} else {
				wantCode(t, c.src, err, c.code)
			}
		}
	}
	// Lying lengths: the header length claims more than the file has.
	for _, c := range []struct {
		src  string
		file []byte
		code ErrorCode
	}{
		{"derivation: v1 claims 65535 bytes", append([]byte("\x93NUMPY\x01\x00\xff\xff"), "{}"...), ErrHeaderTooLarge},
		{"derivation: v2 claims 100 MB", append([]byte("\x93NUMPY\x02\x00\x00\xe1\xf5\x05"), "{}"...), ErrHeaderTooLarge},
		{"derivation: v3 claims 4 GiB", append([]byte("\x93NUMPY\x03\x00\xff\xff\xff\xff"), "{}"...), ErrHeaderTooLarge},
		{"derivation: v1 claims 9000 of 2 bytes", append([]byte("\x93NUMPY\x01\x00\x28\x23"), "{}"...), ErrTruncated},
		{"spec: version 4.0", []byte("\x93NUMPY\x04\x00\x02\x00{}"), ErrVersion},
		{"spec: version 1.1", []byte("\x93NUMPY\x01\x01\x02\x00{}"), ErrVersion},
		{"spec: wrong magic", []byte("\x93NUMPZ\x01\x00\x02\x00{}"), ErrBadMagic},
		{"spec: magic without \\x93", []byte("NUMPY\x01\x00\x02\x00{}"), ErrBadMagic},
	} {
		_, err := ReadNPY(c.file, Limits{})
		wantCode(t, c.src, err, c.code)
	}
	var e *Error
	if _, err := ReadNPY([]byte("\x93NUMPY\x04\x00\x02\x00{}"), Limits{}); !errors.As(err, &e) || e.Detail != "4.0" || e.Offset != 6 {
		t.Errorf("version 4.0: %#v", err)
	}
}

// TestNPYTruncation cuts a valid file at every byte: every prefix is
// ErrTruncated (or ErrEmpty for no bytes, through Read).
func TestNPYTruncation(t *testing.T) {
	var full bytes.Buffer
	if err := WriteNPY(&full, Tensor{DType: Float32, Shape: []int{2, 3}, Data: []float64{1, 2, 3, 4, 5, 6}}); err != nil {
		t.Fatal(err)
	}
	b := full.Bytes()
	for n := 0; n < len(b); n++ {
		_, err := ReadNPY(b[:n], Limits{})
		wantCode(t, "ReadNPY prefix", err, ErrTruncated)
		_, err = Read(b[:n], Limits{})
		if n == 0 {
			wantCode(t, "Read of nothing", err, ErrEmpty)
		} else {
			wantCode(t, "Read prefix", err, ErrTruncated)
		}
	}
	_, err := Read(append(b, 0), Limits{})
	wantCode(t, "one byte more", err, ErrTrailingBytes)
	var e *Error
	if errors.As(err, &e) && e.Offset != int64(len(b)) {
		t.Errorf("trailing byte at %d, want %d", e.Offset, len(b))
	}
}

// TestValuesSpecial: NaN payloads are data, not errors (safetensors
// README: "NaN and +/-Inf could be in the file"), and 64-bit integers
// beyond 2^53 are refused where they are.
func TestValuesSpecial(t *testing.T) {
	raw := binary.LittleEndian.AppendUint32(nil, 0x7f800001) // signalling NaN
	raw = binary.LittleEndian.AppendUint32(raw, 0xffc00123)  // negative NaN, payload 0x123
	raw = binary.LittleEndian.AppendUint32(raw, 0x7f800000)  // +Inf
	f, err := ReadSafetensors(stFile(`{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}`, raw), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []uint64{0x7ff0000020000000, 0xfff8002460000000, 0x7ff0000000000000} {
		if got := math.Float64bits(f.Tensors[0].Data[i]); got != want {
			t.Errorf("value %d = %#016x, want %#016x", i, got, want)
		}
	}
	i8 := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, 1<<53), 1<<53+1)
	file := npyFile(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,)}", i8)
	_, err = ReadNPY(file, Limits{})
	var e *Error
	if !errors.As(err, &e) || e.Code != ErrNotExact || e.Detail != "9007199254740993" || e.Offset != int64(len(file)-8) {
		t.Errorf("2^53+1: %v", err)
	}
}

// TestLimits: MaxValues is checked against the header before any value is
// allocated.
func TestLimits(t *testing.T) {
	file := npyFile(1, hdr23, data23)
	if _, err := ReadNPY(file, Limits{MaxValues: 6}); err != nil {
		t.Error(err)
	}
	_, err := ReadNPY(file, Limits{MaxValues: 5})
	wantCode(t, "6 values, limit 5", err, ErrTooManyValues)
	st := stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}`, f32s(1, 2, 3, 4))
	if _, err := ReadSafetensors(st, Limits{MaxValues: 4}); err != nil {
		t.Error(err)
	}
	_, err = ReadSafetensors(st, Limits{MaxValues: 3})
	wantCode(t, "two tensors of 2, limit 3", err, ErrTooManyValues)
	var e *Error
	if errors.As(err, &e) && (e.Tensor != "b" || e.Detail != "4") {
		t.Errorf("limit error %#v", e)
	}
	// An empty tensor counts as one value.
	empties := stFile(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}`, nil)
	_, err = ReadSafetensors(empties, Limits{MaxValues: 1})
	wantCode(t, "two empty tensors, limit 1", err, ErrTooManyValues)
	// So do metadata entries, refused while the header is parsed.
	many := `{"__metadata__":{"a":"1","b":"2","c":"3"},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`
	_, err = ReadSafetensors(stFile(many, f32s(1)), Limits{MaxValues: 3})
	wantCode(t, "3 metadata entries and a tensor, limit 3", err, ErrTooManyValues)
	if _, err = ReadSafetensors(stFile(many, f32s(1)), Limits{MaxValues: 4}); err != nil {
		t.Error(err)
	}
}

// TestSafetensorsHostile follows the checks of the reference reader
// (safetensors/src/tensor.rs read_metadata and Metadata::validate) and the
// README's rules.
func TestSafetensorsHostile(t *testing.T) {
	ok2 := `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	big := func(n uint64) []byte { return append(binary.LittleEndian.AppendUint64(nil, n), "{}"...) }
	for _, c := range []struct {
		src    string
		file   []byte
		code   ErrorCode
		tensor string
		detail string
	}{
		{"tensor.rs: fewer than 8 bytes (HeaderTooSmall)", []byte{1, 0, 0}, ErrTruncated, "", ""},
		{"tensor.rs: N > MAX_HEADER_SIZE", big(100_000_001), ErrHeaderTooLarge, "", "100000001"},
		{"tensor.rs: N = 2^64-1", big(math.MaxUint64), ErrHeaderTooLarge, "", ""},
		{"tensor.rs: N = 100 000 000 on a small file (InvalidHeaderLength)", big(100_000_000), ErrTruncated, "", ""},
		{"tensor.rs: N past the end", big(3), ErrTruncated, "", ""},
		{"tensor.rs: not UTF-8 (InvalidHeader)", stFile("{\"\xff\":1}", nil), ErrHeaderSyntax, "", ""},
		{"tensor.rs test_whitespace_leading_padded_header (the README says it begins with {)", stFile("\t\n{}\r ", nil), ErrEmpty, "", ""},
		{"tensor.rs test_whitespace_padded_header", stFile("{}\r \t\n", nil), ErrEmpty, "", ""},
		{"tensor.rs test_empty_shapes_allowed", []byte("8\x00\x00\x00\x00\x00\x00\x00{\"test\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]}}\x00\x00\x00\x00"), 0, "", ""},
		{"tensor.rs test_deserialization", []byte("<\x00\x00\x00\x00\x00\x00\x00{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}" + strings.Repeat("\x00", 16)), 0, "", ""},
		{"tensor.rs test_zero_sized_tensor", []byte("<\x00\x00\x00\x00\x00\x00\x00{\"test\":{\"dtype\":\"I32\",\"shape\":[2,0],\"data_offsets\":[0, 0]}}"), 0, "", ""},
		{"tensor.rs test_metadata_incomplete_buffer: polyglot", []byte("<\x00\x00\x00\x00\x00\x00\x00{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}" + strings.Repeat("\x00", 16) + "extra_bogus_data_for_polyglot_file"), ErrTrailingBytes, "", ""},
		{"tensor.rs test_metadata_incomplete_buffer: missing 2 bytes", []byte("<\x00\x00\x00\x00\x00\x00\x00{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}" + strings.Repeat("\x00", 14)), ErrTruncated, "", ""},
		{"tensor.rs test_header_too_large", []byte("<\x00\x00\x00\x00\xff\xff\xff{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}" + strings.Repeat("\x00", 16)), ErrHeaderTooLarge, "", ""},
		{"tensor.rs test_header_too_small", []byte(""), ErrTruncated, "", ""},
		{"tensor.rs test_invalid_header_length", []byte("<\x00\x00\x00\x00\x00\x00\x00"), ErrTruncated, "", ""},
		{"tensor.rs test_invalid_header_non_utf8", []byte("\x01\x00\x00\x00\x00\x00\x00\x00\xff"), ErrHeaderSyntax, "", ""},
		{"tensor.rs test_invalid_header_not_json", []byte("\x01\x00\x00\x00\x00\x00\x00\x00{"), ErrHeaderSyntax, "", ""},
		{"tensor.rs test_invalid_info", []byte("<\x00\x00\x00\x00\x00\x00\x00{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0, 4]}}"), ErrSize, "test", ""},
		{"tensor.rs test_validation_overflow: shape", []byte("O\x00\x00\x00\x00\x00\x00\x00{\"test\":{\"dtype\":\"I32\",\"shape\":[2,18446744073709551614],\"data_offsets\":[0,16]}}" + strings.Repeat("\x00", 16)), ErrShape, "test", ""},
		{"tensor.rs test_validation_overflow: bytes", []byte("N\x00\x00\x00\x00\x00\x00\x00{\"test\":{\"dtype\":\"I32\",\"shape\":[2,9223372036854775807],\"data_offsets\":[0,16]}}" + strings.Repeat("\x00", 16)), ErrShape, "test", ""},
		{"tensor.rs test_json_attack: ten tensors at (0, 16)", stFile(`{"w0":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"w1":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"w2":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}`, make([]byte, 16)), ErrOverlap, "w1", ""},
		{"README: empty header", stFile(``, nil), ErrHeaderSyntax, "", ""},
		{"serde_json: not JSON", stFile(`{"a":}`, nil), ErrHeaderSyntax, "", ""},
		{"serde_json: trailing characters", stFile(`{} x`, nil), ErrHeaderSyntax, "", ""},
		{"serde_json: a second object", stFile(`{}{}`, nil), ErrHeaderSyntax, "", ""},
		{"README: an object, not an array", stFile(`[1]`, nil), ErrHeaderSyntax, "", ""},
		{"README: padding with spaces is allowed", stFile(ok2+"   ", f32s(1, 2)), 0, "", ""},
		{"serde: missing field dtype", stFile(`{"a":{"shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrHeaderSyntax, "a", "dtype"},
		{"serde: duplicate field", stFile(`{"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrHeaderSyntax, "a", "dtype"},
		{"serde: unknown fields are ignored", stFile(`{"a":{"dtype":"F32","x":[{"y":1}],"shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)), 0, "", ""},
		{"tensor.rs Dtype: F8_E4M3 is not read here", stFile(`{"a":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}`, []byte{1, 2}), ErrDType, "a", "F8_E4M3"},
		{"tensor.rs Dtype: lower case is not a dtype", stFile(`{"a":{"dtype":"f32","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrDType, "a", "f32"},
		{"usize: negative dimension", stFile(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrShape, "a", "-1"},
		{"usize: fractional dimension", stFile(`{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrShape, "a", "2.0"},
		{"usize: dimension beyond u64", stFile(`{"a":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrShape, "a", ""},
		{"validate: ValidationOverflow", stFile(`{"a":{"dtype":"F32","shape":[4294967296,4294967296,0],"data_offsets":[0,0]}}`, nil), ErrShape, "a", "4294967296"},
		{"validate: nbytes overflow", stFile(`{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}}`, nil), ErrShape, "a", ""},
		{"(usize, usize): three offsets", stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}`, f32s(1, 2)), ErrOffsets, "a", ""},
		{"validate: e < s (InvalidOffset)", stFile(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}`, f32s(1, 2)), ErrOffsets, "a", ""},
		{"validate: first tensor not at 0 (InvalidOffset)", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32s(1, 2)), ErrGap, "a", ""},
		{"validate: gap between tensors", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, f32s(1, 2, 3)), ErrGap, "b", ""},
		{"validate: overlap", stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32s(1, 2)), ErrOverlap, "b", ""},
		{"validate: overlap of two at 0", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrOverlap, "b", ""},
		{"validate: TensorInvalidInfo", stFile(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrSize, "a", ""},
		{"validate: F16 is 2 bytes", stFile(`{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrSize, "a", ""},
		{"read_metadata: MetadataIncompleteBuffer, buffer longer", stFile(ok2, f32s(1, 2, 3)), ErrTrailingBytes, "", ""},
		{"read_metadata: MetadataIncompleteBuffer, buffer shorter", stFile(ok2, f32s(1)), ErrTruncated, "", ""},
		{"derivation: offsets far past the file", stFile(`{"a":{"dtype":"U8","shape":[1000000000000],"data_offsets":[0,1000000000000]}}`, nil), ErrTruncated, "", ""},
		{"README: duplicate keys are disallowed", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32s(1, 2)), ErrDuplicateName, "a", ""},
		{"README: duplicate keys, by JSON escape", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\u0061":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32s(1, 2)), ErrDuplicateName, "a", ""},
		{"README: duplicate metadata keys", stFile(`{"__metadata__":{"k":"1","k":"2"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrDuplicateName, "__metadata__", "k"},
		{"README: metadata values are strings", stFile(`{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)), ErrHeaderSyntax, "__metadata__", "k"},
		{"serde Option: null metadata", stFile(`{"__metadata__":null,"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32s(1, 2)), 0, "", ""},
		{"derivation: only metadata", stFile(`{"__metadata__":{"a":"b"}}`, nil), ErrEmpty, "", ""},
		{"README: 0-rank tensors are scalars", stFile(`{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}`, f32s(1)), 0, "", ""},
		{"derivation: too many dimensions", stFile(`{"a":{"dtype":"F32","shape":[`+strings.Repeat("1,", 70)+`1],"data_offsets":[0,4]}}`, f32s(1)), ErrShape, "a", ""},
	} {
		_, err := ReadSafetensors(c.file, Limits{})
		if c.code == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.src, err)
			}
			continue
		}
		wantCode(t, c.src, err, c.code)
		var e *Error
		if errors.As(err, &e) && (e.Tensor != c.tensor || c.detail != "" && e.Detail != c.detail) {
			t.Errorf("%s: tensor %q detail %q, want %q %q", c.src, e.Tensor, e.Detail, c.tensor, c.detail)
		}
	}
}

func TestSafetensorsTruncation(t *testing.T) {
	var b bytes.Buffer
	ts := []Tensor{
		{Name: "w", DType: BFloat16, Shape: []int{2, 2}, Data: []float64{1, 2, 3, 4}},
		{Name: "b", DType: Float64, Shape: []int{2}, Data: []float64{-1, 0.5}},
	}
	if err := WriteSafetensors(&b, ts, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	full := b.Bytes()
	for n := 0; n < len(full); n++ {
		_, err := ReadSafetensors(full[:n], Limits{})
		wantCode(t, "prefix", err, ErrTruncated)
	}
	if _, err := Read(full, Limits{}); err != nil {
		t.Fatal(err)
	}
}

// zipRaw builds a zip archive with one member written raw: its declared
// sizes and CRC are what the caller says, whatever the bytes are.
func zipRaw(t *testing.T, name string, method uint16, body []byte, size uint64, crc uint32) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: method, CRC32: crc,
		CompressedSize64: uint64(len(body)), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func deflate(b []byte) []byte {
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestCompression)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// TestNPZHostile: archives that lie about their members.
func TestNPZHostile(t *testing.T) {
	good := npyFile(1, hdr23, data23)
	huge := npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,)}", make([]byte, 1000))
	mid := npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1048576,)}", make([]byte, 1000))
	bomb := append(append([]byte{}, good...), make([]byte, 50<<20)...) // 50 MB of zeros after a valid member
	var dup bytes.Buffer
	zw := zip.NewWriter(&dup)
	for _, n := range []string{"a", "a.npy"} {
		w, _ := zw.Create(n)
		w.Write(good)
	}
	zw.Close()
	var dir bytes.Buffer
	zw = zip.NewWriter(&dir)
	zw.Create("sub/")
	w, _ := zw.Create("sub/x.npy")
	w.Write(good)
	zw.Close()
	for _, c := range []struct {
		src  string
		file []byte
		code ErrorCode
	}{
		{"APPNOTE: an empty archive", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), ErrEmpty},
		{"np.load: a member that is not .npy", zipRaw(t, "x.txt", zip.Store, []byte("hello world"), 11, crc32.ChecksumIEEE([]byte("hello world"))), ErrBadMagic},
		{"np.load: a 3-byte member", zipRaw(t, "x.npy", zip.Store, []byte("\x93NU"), 3, crc32.ChecksumIEEE([]byte("\x93NU"))), ErrTruncated},
		{"np.savez keys: a and a.npy are one name", dup.Bytes(), ErrDuplicateName},
		{"derivation: declared size 1 TB, header says 152 bytes", zipRaw(t, "x.npy", zip.Store, good, 1<<40, crc32.ChecksumIEEE(good)), ErrTrailingBytes},
		{"derivation: declared size less than the header says", zipRaw(t, "x.npy", zip.Store, good, uint64(len(good)-1), crc32.ChecksumIEEE(good)), ErrTruncated},
		{"derivation: 10^9 float64s claimed by a tiny member", zipRaw(t, "x.npy", zip.Deflate, deflate(huge), uint64(len(huge))-1000+8e9, crc32.ChecksumIEEE(huge)), ErrTooManyValues},
		{"derivation: 8 MB claimed, 1000 bytes there", zipRaw(t, "x.npy", zip.Deflate, deflate(mid), uint64(len(mid))-1000+8<<20, 0), ErrTruncated},
		{"derivation: a deflate bomb declared as its first 152 bytes", zipRaw(t, "x.npy", zip.Deflate, deflate(bomb), uint64(len(good)), crc32.ChecksumIEEE(good)), ErrTrailingBytes},
		{"APPNOTE: a bad CRC", zipRaw(t, "x.npy", zip.Store, good, uint64(len(good)), 12345), ErrZip},
		{"APPNOTE: method 12 (bzip2)", zipRaw(t, "x.npy", 12, good, uint64(len(good)), crc32.ChecksumIEEE(good)), ErrZip},
		{"APPNOTE: a truncated archive", dup.Bytes()[:dup.Len()-10], ErrZip},
		{"APPNOTE: directory entries are skipped", dir.Bytes(), 0},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f, err := Read(c.file, Limits{MaxValues: 2 << 20})
		runtime.ReadMemStats(&after)
		if c.code == 0 {
			if err != nil || len(f.Tensors) != 1 || f.Tensors[0].Name != "sub/x" {
				t.Errorf("%s: %v %v", c.src, err, f.Tensors)
			}
			continue
		}
		wantCode(t, c.src, err, c.code)
		// Nothing near the claimed sizes may be allocated: a few MB at most
		// (the deflate window and one 1 MiB chunk).
		if a := after.TotalAlloc - before.TotalAlloc; a > 4<<20 {
			t.Errorf("%s: allocated %d bytes", c.src, a)
		}
	}
}

// TestHostileAllocation: claims of huge shapes and headers cost nothing.
func TestHostileAllocation(t *testing.T) {
	for _, file := range [][]byte{
		npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,)}", nil),
		npyFile(2, strings.Repeat(" ", 9000), nil)[:20],
		stFile(`{"a":{"dtype":"F64","shape":[100000000000],"data_offsets":[0,800000000000]}}`, nil),
		binary.LittleEndian.AppendUint64(nil, 99_999_999),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := Read(file, Limits{}); err == nil {
			t.Errorf("%q read", file)
		}
		runtime.ReadMemStats(&after)
		if a := after.TotalAlloc - before.TotalAlloc; a > 1<<20 {
			t.Errorf("%q: allocated %d bytes", file[:min(len(file), 40)], a)
		}
	}
}

func TestReadSniff(t *testing.T) {
	for _, c := range []struct {
		src  string
		file []byte
		code ErrorCode
	}{
		{"derivation: nothing", nil, ErrEmpty},
		{"derivation: text", []byte("0.1, 0.2, 0.7"), ErrUnknownFormat},
		{"derivation: 9 bytes, no '{' at 8", []byte("123456789"), ErrUnknownFormat},
		{"derivation: a prefix of the magic", []byte("\x93NUM"), ErrTruncated},
		{"derivation: a gzip file", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), ErrUnknownFormat},
	} {
		_, err := Read(c.file, Limits{})
		wantCode(t, c.src, err, c.code)
	}
}

func TestSniff(t *testing.T) {
	le := func(n uint64, rest string) []byte {
		return append(binary.LittleEndian.AppendUint64(nil, n), rest...)
	}
	for _, c := range []struct {
		src  string
		file []byte
		want Format
	}{
		{"derivation: nothing", nil, 0},
		{"derivation: text", []byte("0.1, 0.2, 0.7"), 0},
		{"npy format spec: the magic", []byte("\x93NUMPY\x01\x00"), FormatNPY},
		{"derivation: a prefix of the magic is a truncated .npy", []byte("\x93NU"), FormatNPY},
		{"zip spec: a local file header", []byte("PK\x03\x04rest"), FormatNPZ},
		{"zip spec: an empty archive's end record", []byte("PK\x05\x06rest"), FormatNPZ},
		{"safetensors spec: length 2, then {}", le(2, "{}"), FormatSafetensors},
		{"safetensors spec: whitespace before '{'", le(4, "  {}"), FormatSafetensors},
		{"derivation: a length past the end is text by chance", le(100, "{}"), 0},
		{"derivation: text whose 9th byte is '{'", []byte(`{ "p" :  {"a": 1}}`), 0},
		{"derivation: a length below 2 cannot hold {}", le(1, "{}"), 0},
	} {
		if got := Sniff(c.file); got != c.want {
			t.Errorf("%s: Sniff(%q) = %v, want %v", c.src, c.file, got, c.want)
		}
	}
}
