package tensorfile

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
)

// Format is a file format.
type Format int

const (
	FormatNPY         Format = iota + 1 // NumPy's .npy: one array
	FormatNPZ                           // NumPy's .npz: a zip of .npy members
	FormatSafetensors                   // Hugging Face's .safetensors
)

var formatNames = [...]string{FormatNPY: "npy", FormatNPZ: "npz", FormatSafetensors: "safetensors"}

// String returns the format's usual file extension without the dot,
// e.g. "safetensors".
func (f Format) String() string {
	if f > 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// DType is the element type a tensor is stored in. The zero value is no
// type, so that a Tensor whose DType was forgotten is refused by the
// writers rather than stored as something arbitrary.
type DType int

const (
	Float16  DType = iota + 1 // IEEE 754 binary16
	BFloat16                  // bfloat16: the top half of a float32
	Float32
	Float64
	Int8
	Int16
	Int32
	Int64
	Uint8
	Uint16
	Uint32
	Uint64
	Bool // one byte, 0 or 1
)

var dtypeNames = [...]string{
	Float16: "float16", BFloat16: "bfloat16", Float32: "float32", Float64: "float64",
	Int8: "int8", Int16: "int16", Int32: "int32", Int64: "int64",
	Uint8: "uint8", Uint16: "uint16", Uint32: "uint32", Uint64: "uint64", Bool: "bool",
}

var dtypeSizes = [...]int{
	Float16: 2, BFloat16: 2, Float32: 4, Float64: 8,
	Int8: 1, Int16: 2, Int32: 4, Int64: 8,
	Uint8: 1, Uint16: 2, Uint32: 4, Uint64: 8, Bool: 1,
}

func (d DType) valid() bool { return d > 0 && int(d) < len(dtypeNames) }

// String returns NumPy's and PyTorch's name of the type, e.g. "bfloat16".
func (d DType) String() string {
	if d.valid() {
		return dtypeNames[d]
	}
	return "DType(" + strconv.Itoa(int(d)) + ")"
}

// Size returns the number of bytes of one element, or 0 for an invalid
// DType.
func (d DType) Size() int {
	if d.valid() {
		return dtypeSizes[d]
	}
	return 0
}

// IsFloat reports whether d is a floating-point type.
func (d DType) IsFloat() bool { return d >= Float16 && d <= Float64 }

// Tensor is one named array.
type Tensor struct {
	// Name is the safetensors key or the .npz member's name without
	// ".npy"; "" for a lone .npy file.
	Name string
	// DType is the type the values were stored in. Data holds them
	// widened, so DType says what precision they had.
	DType DType
	// Shape is the size of each dimension; empty for a 0-d array, which
	// holds one value.
	Shape []int
	// Data holds the product of Shape values in row-major (C) order, each
	// exactly the stored value: booleans are 0 and 1.
	Data []float64
}

// File is what a reader found in a file.
type File struct {
	Format Format
	// Tensors are in the order of the file's bytes: a safetensors file's
	// in the order of their data offsets, an .npz file's in the order of
	// the archive's directory.
	Tensors []Tensor
	// Metadata is a safetensors file's "__metadata__" map, nil if it has
	// none or the format has no such thing.
	Metadata map[string]string
}

// DefaultMaxValues is the Limits.MaxValues used when it is 0 or less:
// 2^24 values, 128 MiB of float64.
const DefaultMaxValues = 1 << 24

// Limits bounds what a reader allocates for one file.
type Limits struct {
	// MaxValues is the most values that all tensors of a file may hold
	// together; DefaultMaxValues if 0 or less. A tensor without values
	// counts as one, and so does an entry of a safetensors file's
	// metadata, so that a file of a million empty entries is bounded too.
	MaxValues int

	pace *pacer // ReadYield's
}

func (l Limits) maxValues() int {
	if l.MaxValues <= 0 {
		return DefaultMaxValues
	}
	return l.MaxValues
}

// budget counts the values a file claims against its Limits, before any
// of them is allocated.
type budget struct {
	left, used int
	pace       *pacer // ReadYield's, carried to the decoding
}

func newBudget(l Limits) budget { return budget{left: l.maxValues(), pace: l.pace} }

// take reserves n values, or reports ErrTooManyValues.
func (b *budget) take(n int, tensor string, offset int64) error {
	if n > b.left {
		return newError(ErrTooManyValues, tensor, offset, strconv.FormatUint(uint64(b.used)+uint64(n), 10))
	}
	b.left -= n
	b.used += n
	return nil
}

// numel returns the product of dims, or ok = false if a dimension does
// not fit an int or the product overflows; bad is then the index of the
// dimension at which that happened. The product is formed left to right,
// as the safetensors reference reader does, so that [2^40, 2^40, 0]
// overflows although its product is 0.
func numel(dims []uint64) (n int, bad int, ok bool) {
	p := uint64(1)
	for i, d := range dims {
		if d > uint64(maxInt) {
			return 0, i, false
		}
		hi, lo := bits.Mul64(p, d)
		if hi != 0 || lo > uint64(maxInt) {
			return 0, i, false
		}
		p = lo
	}
	return int(p), -1, true
}

const maxInt = int(^uint(0) >> 1)

// Read reads an .npy, .npz or .safetensors file, telling which from its
// first bytes rather than from a name.
//
// Special cases are:
//
//	Read(empty, lim) = ErrEmpty
//	Read(bytes in no format, lim) = ErrUnknownFormat
//	Read(a prefix of "\x93NUMPY", lim) = ErrTruncated
func Read(data []byte, lim Limits) (File, error) {
	switch {
	case len(data) == 0:
		return File{}, newError(ErrEmpty, "", -1, "")
	case bytes.HasPrefix(data, npyMagic):
		return ReadNPY(data, lim)
	case bytes.HasPrefix(npyMagic, data):
		return File{}, newError(ErrTruncated, "", int64(len(data)), "")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return ReadNPZ(data, lim)
	case isSafetensors(data):
		return ReadSafetensors(data, lim)
	}
	return File{}, newError(ErrUnknownFormat, "", -1, "")
}

// Check tells, from the first bytes of a file, head, and its size, what
// Read would say of the file's header, so that a caller can refuse a file
// that is too large or damaged before reading all of it (a checkpoint of
// gigabytes dropped by mistake). It returns need > len(head) while the
// header goes on past head: call it again with at least need bytes. Then
// err is Read's error whenever the header and the size decide it
// (ErrTooManyValues, ErrTruncated, ErrTrailingBytes, ErrSize, ErrGap,
// ErrHeaderSyntax, …), and nil when only the data can: Read may still
// fail (ErrNotExact) or succeed.
//
// Special cases are:
//
//	Check(head, 0, lim) = 0, ErrEmpty
//	Check(head, size, lim) with len(head) < min(size, MinHead) = min(size, MinHead), nil
//	Check(an .npz file's head, size, lim) = 0, nil: a zip's directory is at its end
//	Check(head of none of the formats, size, lim) = 0, ErrUnknownFormat
//	Check(head longer than size, size, lim) = Check(head[:size], size, lim)
//	Check(head, size < 0 or beyond an int, lim) = 0, ErrTruncated
func Check(head []byte, size int64, lim Limits) (need int64, err error) {
	if size < 0 || size > int64(maxInt) {
		return 0, newError(ErrTruncated, "", -1, "")
	}
	head = head[:min(int64(len(head)), size)]
	if n := min(size, MinHead); int64(len(head)) < n {
		return n, nil
	}
	switch {
	case size == 0:
		return 0, newError(ErrEmpty, "", -1, "")
	case bytes.HasPrefix(head, npyMagic):
		b := newBudget(lim)
		_, _, err = npyLayout(head, int(size), "", &b)
	case bytes.HasPrefix(npyMagic, head):
		return 0, newError(ErrTruncated, "", size, "")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return 0, nil
	case isSafetensors(head):
		_, err = stLayoutOf(head, int(size), lim)
	default:
		return 0, newError(ErrUnknownFormat, "", -1, "")
	}
	if n, ok := err.(errNeed); ok {
		return int64(n), nil
	}
	return 0, err
}

// MinHead is the most bytes Check needs to tell the format: a safetensors
// header may begin with up to 1 024 bytes of whitespace (isSafetensors).
const MinHead = 8 + 1024

// errNeed says that a reader's data ended before the header it reads:
// the file's first errNeed bytes hold it (Check).
type errNeed int

func (e errNeed) Error() string {
	return "tensorfile: the header needs " + strconv.Itoa(int(e)) + " bytes"
}

// Sniff tells the format of data from its first bytes, for a caller that
// also accepts text and must decide whether to hand data to Read. It is
// Read's test made stricter for safetensors, whose signature (a '{' after
// eight bytes) text can have by chance: the header length must also fit
// in data. It returns 0 for none of the formats.
//
// Special cases are:
//
//	Sniff("\x93NUMPY..." or a non-empty prefix of it) = FormatNPY
//	Sniff("PK\x03\x04..." or "PK\x05\x06...") = FormatNPZ
//	Sniff(n as 8 bytes LE, whitespace, '{', ...) = FormatSafetensors if 2 <= n <= len(data)-8
func Sniff(data []byte) Format { return SniffHead(data, int64(len(data))) }

// SniffHead is Sniff of a file of size bytes of which head holds the
// first: a safetensors header length must fit in size.
func SniffHead(data []byte, size int64) Format {
	switch {
	case len(data) == 0:
		return 0
	case bytes.HasPrefix(data, npyMagic), bytes.HasPrefix(npyMagic, data):
		return FormatNPY
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return FormatNPZ
	case isSafetensors(data):
		if n := binary.LittleEndian.Uint64(data); n >= 2 && size >= 8 && n <= uint64(size-8) {
			return FormatSafetensors
		}
	}
	return 0
}

// isSafetensors reports whether data looks like a safetensors file: the
// JSON object's '{' right after the 8-byte length, or after whitespace
// that the reference reader skips (looked for in the first kilobyte only).
func isSafetensors(data []byte) bool {
	for i := 8; i < min(len(data), 8+1024); i++ {
		switch data[i] {
		case '{':
			return true
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return false
}
