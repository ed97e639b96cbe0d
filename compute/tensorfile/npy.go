package tensorfile

import (
	"bytes"
	"encoding/binary"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

var npyMagic = []byte("\x93NUMPY")

// maxNPYHeader is NumPy's _MAX_HEADER_SIZE, the default max_header_size
// of np.load since NumPy 1.24: longer headers are refused because
// ast.literal_eval is slow and can crash on big input. It counts
// characters of the decoded header, padding included.
const maxNPYHeader = 10000

// maxDims bounds the number of dimensions, as NumPy 2 does (NumPy 1.24
// allows 32); without it a header of a few megabytes could claim
// millions of dimensions of size 1.
const maxDims = 64

// npyHeader is what the header of an .npy file says.
type npyHeader struct {
	dtype   DType
	order   binary.ByteOrder
	fortran bool
	shape   []int
	n       int // product of shape
	nbytes  int // n × dtype size
}

// npyPrefix checks the 8 bytes of magic and version and returns the
// width of the header-length field that follows (2 or 4) and whether the
// header is UTF-8 (version 3) rather than Latin-1.
func npyPrefix(p []byte, tensor string) (lenWidth int, utf bool, err error) {
	if !bytes.Equal(p[:6], npyMagic) {
		return 0, false, newError(ErrBadMagic, tensor, 0, "")
	}
	switch {
	case p[6] == 1 && p[7] == 0:
		return 2, false, nil
	case p[6] == 2 && p[7] == 0:
		return 4, false, nil
	case p[6] == 3 && p[7] == 0:
		return 4, true, nil
	}
	return 0, false, newError(ErrVersion, tensor, 6, strconv.Itoa(int(p[6]))+"."+strconv.Itoa(int(p[7])))
}

// npyHeaderLen decodes the header-length field and refuses lengths that
// cannot be within NumPy's limit: a UTF-8 character takes at most 4 bytes.
func npyHeaderLen(f []byte, utf bool, tensor string) (int, error) {
	var h uint64
	if len(f) == 2 {
		h = uint64(binary.LittleEndian.Uint16(f))
	} else {
		h = uint64(binary.LittleEndian.Uint32(f))
	}
	max := uint64(maxNPYHeader)
	if utf {
		max *= utf8.UTFMax
	}
	if h > max {
		return 0, newError(ErrHeaderTooLarge, tensor, 8, strconv.FormatUint(h, 10))
	}
	return int(h), nil
}

// readNPY reads the .npy file in data, charging its values to b.
func readNPY(data []byte, tensor string, b *budget) (Tensor, error) {
	h, start, err := npyLayout(data, len(data), tensor, b)
	if err != nil {
		return Tensor{}, err
	}
	return h.decode(data[start:], tensor, int64(start), b.pace)
}

// npyLayout reads the header of an .npy file of size bytes, of which data
// holds the first (all of them, or at least the header), checks it against
// the size and takes its values from b. It returns the header and where
// the data begins, or an errNeed if data ends before the header does.
func npyLayout(data []byte, size int, tensor string, b *budget) (*npyHeader, int, error) {
	if size < 8 {
		if bytes.HasPrefix(npyMagic, data[:min(len(data), 6)]) {
			return nil, 0, newError(ErrTruncated, tensor, int64(size), "")
		}
		return nil, 0, newError(ErrBadMagic, tensor, 0, "")
	}
	if len(data) < 8 {
		return nil, 0, errNeed(8)
	}
	w, utf, err := npyPrefix(data, tensor)
	if err != nil {
		return nil, 0, err
	}
	switch {
	case size < 8+w:
		return nil, 0, newError(ErrTruncated, tensor, int64(size), "")
	case len(data) < 8+w:
		return nil, 0, errNeed(8 + w)
	}
	hlen, err := npyHeaderLen(data[8:8+w], utf, tensor)
	if err != nil {
		return nil, 0, err
	}
	start := 8 + w + hlen
	switch {
	case size < start:
		return nil, 0, newError(ErrTruncated, tensor, int64(size), "")
	case len(data) < start:
		return nil, 0, errNeed(start)
	}
	h, err := parseNPYHeader(data[8+w:start], utf, tensor, int64(8+w))
	if err != nil {
		return nil, 0, err
	}
	switch rest := size - start; {
	case rest < h.nbytes:
		return nil, 0, newError(ErrTruncated, tensor, int64(size), "")
	case rest > h.nbytes:
		return nil, 0, newError(ErrTrailingBytes, tensor, int64(start+h.nbytes), "")
	}
	if err := b.take(max(h.n, 1), tensor, 8); err != nil {
		return nil, 0, err
	}
	return h, start, nil
}

// decode widens the data of an array with header h.
func (h *npyHeader) decode(data []byte, tensor string, base int64, pc *pacer) (Tensor, error) {
	v := make([]float64, h.n)
	if err := pc.decode(v, data, h.dtype, h.order, tensor, base); err != nil {
		return Tensor{}, err
	}
	if h.fortran && len(h.shape) > 1 {
		v = fortranToC(v, h.shape)
	}
	return Tensor{Name: tensor, DType: h.dtype, Shape: h.shape, Data: v}, nil
}

// parseNPYHeader interprets the header text hdr, which starts at byte base
// of the file.
func parseNPYHeader(hdr []byte, utf bool, tensor string, base int64) (*npyHeader, error) {
	if utf {
		if !utf8.Valid(hdr) {
			return nil, newError(ErrHeaderSyntax, tensor, base+int64(firstInvalidUTF8(hdr)), "")
		}
		if n := utf8.RuneCount(hdr); n > maxNPYHeader {
			return nil, newError(ErrHeaderTooLarge, tensor, 8, strconv.Itoa(n))
		}
	}
	p := &pyParser{s: hdr, utf: utf, legacy: !utf, tensor: tensor, base: base}
	d, err := p.parse()
	if err != nil {
		return nil, err
	}
	if d.kind != pyDict {
		return nil, p.errAt(ErrHeaderSyntax, d.start)
	}
	vals := map[string]*pyValue{}
	for i := range d.items {
		k := &d.keys[i]
		if k.kind != pyStr {
			return nil, p.errAt(ErrHeaderSyntax, k.start)
		}
		switch k.str {
		case "descr", "fortran_order", "shape":
			// Python keeps the last of repeated keys; so does NumPy.
			vals[k.str] = &d.items[i]
		default:
			return nil, newError(ErrHeaderSyntax, tensor, base+int64(k.start), k.str)
		}
	}
	for _, k := range [...]string{"descr", "fortran_order", "shape"} {
		if vals[k] == nil {
			return nil, newError(ErrHeaderSyntax, tensor, base, k)
		}
	}
	h := &npyHeader{}
	descr := vals["descr"]
	if descr.kind != pyStr {
		return nil, newError(ErrDType, tensor, base+int64(descr.start), p.text(descr.start, descr.end))
	}
	var ok bool
	if h.dtype, h.order, ok = parseDescr(descr.str); !ok {
		return nil, newError(ErrDType, tensor, base+int64(descr.start), descr.str)
	}
	fo := vals["fortran_order"]
	if fo.kind != pyBool {
		return nil, newError(ErrHeaderSyntax, tensor, base+int64(fo.start), p.text(fo.start, fo.end))
	}
	h.fortran = fo.b
	sh := vals["shape"]
	if sh.kind != pyTuple {
		return nil, newError(ErrShape, tensor, base+int64(sh.start), p.text(sh.start, sh.end))
	}
	if len(sh.items) > maxDims {
		return nil, newError(ErrShape, tensor, base+int64(sh.start), "ndim="+strconv.Itoa(len(sh.items)))
	}
	dims := make([]uint64, len(sh.items))
	for i := range sh.items {
		d := &sh.items[i]
		if d.kind != pyInt || d.big || d.neg && d.u != 0 {
			return nil, newError(ErrShape, tensor, base+int64(d.start), p.text(d.start, d.end))
		}
		dims[i] = d.u
	}
	n, bad, ok := numel(dims)
	if !ok {
		d := &sh.items[bad]
		return nil, newError(ErrShape, tensor, base+int64(d.start), p.text(d.start, d.end))
	}
	if n > maxInt/h.dtype.Size() {
		return nil, newError(ErrShape, tensor, base+int64(sh.start), p.text(sh.start, sh.end))
	}
	h.shape = make([]int, len(dims))
	for i, d := range dims {
		h.shape[i] = int(d)
	}
	h.n, h.nbytes = n, n*h.dtype.Size()
	return h, nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// parseDescr parses the descr strings that NumPy writes for the supported
// types: byte order ('<' little, '>' big, '|' not applicable), kind and
// size, e.g. '<f4'. A multi-byte type must state its byte order, since
// '=' (native) or none would leave it to the unknown writing machine.
func parseDescr(s string) (DType, binary.ByteOrder, bool) {
	var order byte
	if len(s) == 3 {
		order, s = s[0], s[1:]
	}
	if len(s) != 2 {
		return 0, nil, false
	}
	var dt DType
	switch s {
	case "f2":
		dt = Float16
	case "f4":
		dt = Float32
	case "f8":
		dt = Float64
	case "i1":
		dt = Int8
	case "i2":
		dt = Int16
	case "i4":
		dt = Int32
	case "i8":
		dt = Int64
	case "u1":
		dt = Uint8
	case "u2":
		dt = Uint16
	case "u4":
		dt = Uint32
	case "u8":
		dt = Uint64
	case "b1":
		dt = Bool
	default:
		return 0, nil, false
	}
	switch {
	case order == '<':
		return dt, binary.LittleEndian, true
	case order == '>':
		return dt, binary.BigEndian, true
	case dt.Size() == 1 && (order == 0 || order == '|' || order == '='):
		return dt, binary.LittleEndian, true
	}
	return 0, nil, false
}

// npyDescr returns the descr NumPy writes for dt in little-endian order,
// or "" if NumPy has no such type.
func npyDescr(dt DType) string {
	switch dt {
	case Float16:
		return "<f2"
	case Float32:
		return "<f4"
	case Float64:
		return "<f8"
	case Int8:
		return "|i1"
	case Int16:
		return "<i2"
	case Int32:
		return "<i4"
	case Int64:
		return "<i8"
	case Uint8:
		return "|u1"
	case Uint16:
		return "<u2"
	case Uint32:
		return "<u4"
	case Uint64:
		return "<u8"
	case Bool:
		return "|b1"
	}
	return ""
}

// checkTensor checks what both writers need of t: a type, and as many
// values as its shape has.
func checkTensor(t *Tensor) error {
	if !t.DType.valid() {
		return newError(ErrDType, t.Name, -1, t.DType.String())
	}
	dims := make([]uint64, len(t.Shape))
	for i, d := range t.Shape {
		if d < 0 {
			return newError(ErrShape, t.Name, -1, strconv.Itoa(d))
		}
		dims[i] = uint64(d)
	}
	n, _, ok := numel(dims)
	if !ok || n != len(t.Data) || n > maxInt/8 {
		return newError(ErrShape, t.Name, -1, "")
	}
	return nil
}

// npyHeaderBytes returns the prefix and header that NumPy 1.24's
// np.save writes for a C-ordered little-endian array: format 1.0, the
// dict with sorted keys, spare spaces for the first axis to grow to 21
// digits, and padding to a multiple of 64 bytes ending in a newline.
func npyHeaderBytes(t *Tensor) ([]byte, error) {
	descr := npyDescr(t.DType)
	if descr == "" {
		// NumPy has no bfloat16.
		return nil, newError(ErrDType, t.Name, -1, t.DType.String())
	}
	var h strings.Builder
	h.WriteString("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (")
	for i, d := range t.Shape {
		if i > 0 {
			h.WriteString(", ")
		}
		h.WriteString(strconv.Itoa(d))
	}
	if len(t.Shape) == 1 {
		h.WriteString(",")
	}
	h.WriteString("), }")
	if len(t.Shape) > 0 {
		// GROWTH_AXIS_MAX_DIGITS = 21 in numpy/lib/format.py.
		h.WriteString(strings.Repeat(" ", max(0, 21-len(strconv.Itoa(t.Shape[0])))))
	}
	hlen := h.Len() + 1 // the newline
	pad := 64 - (8+2+hlen)%64
	total := hlen + pad
	if total > maxNPYHeader {
		return nil, newError(ErrHeaderTooLarge, t.Name, -1, strconv.Itoa(total))
	}
	out := make([]byte, 0, 10+total)
	out = append(out, npyMagic...)
	out = append(out, 1, 0)
	out = binary.LittleEndian.AppendUint16(out, uint16(total))
	out = append(out, h.String()...)
	out = append(out, bytes.Repeat([]byte{' '}, pad)...)
	return append(out, '\n'), nil
}

// WriteNPY writes t as an .npy file: format 1.0, little-endian, C order,
// with the header NumPy 1.24's np.save writes for the same array, so that
// the bytes are np.save's. The values are rounded to t.DType as
// [Float64ToFloat16] and the like describe; t.Name is not stored.
//
// Special cases are:
//
//	WriteNPY(w, a BFloat16 tensor) = ErrDType (NumPy has no bfloat16)
//	WriteNPY(w, len(Data) ≠ product(Shape)) = ErrShape
//	WriteNPY(w, an integer value the dtype cannot hold) = ErrNotExact
func WriteNPY(w io.Writer, t Tensor) error {
	if err := checkTensor(&t); err != nil {
		return err
	}
	hdr, err := npyHeaderBytes(&t)
	if err != nil {
		return err
	}
	if err := checkValues(&t); err != nil {
		return err
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	return writeValues(w, &t)
}

// checkValues reports the first value of an integer or bool tensor that
// its dtype cannot hold, before anything is written.
func checkValues(t *Tensor) error {
	if t.DType.IsFloat() {
		return nil
	}
	lo, hi := intRange(t.DType)
	for _, v := range t.Data {
		if !holds(v, lo, hi) {
			return newError(ErrNotExact, t.Name, -1, strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	return nil
}

// chunkValues is how many values the writers encode at a time, so that
// writing a large tensor needs a small buffer.
const chunkValues = 8192

// writeValues writes t's values, little-endian, in chunks.
func writeValues(w io.Writer, t *Tensor) error {
	buf := make([]byte, 0, min(len(t.Data), chunkValues)*t.DType.Size())
	for i := 0; i < len(t.Data); i += chunkValues {
		var err error
		buf, err = encode(buf[:0], t.Data[i:min(i+chunkValues, len(t.Data))], t.DType, binary.LittleEndian, t.Name)
		if err != nil {
			return err
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// ReadNPY reads an .npy file of format version 1.0, 2.0 or 3.0. The
// tensor's Name is "".
//
// Special cases are:
//
//	ReadNPY(header of more than 10 000 characters) = ErrHeaderTooLarge
//	ReadNPY(fortran_order True) = the values in row-major order
//	ReadNPY(shape ()) = one value, Shape empty
//	ReadNPY(a 0 in shape) = no values
//	ReadNPY(descr '<f4' and the like with '=' or no byte order) = ErrDType
//	ReadNPY('<i8' or '<u8' data beyond ±2^53) = ErrNotExact
//	ReadNPY(data longer than the shape says) = ErrTrailingBytes
func ReadNPY(data []byte, lim Limits) (File, error) {
	b := newBudget(lim)
	t, err := readNPY(data, "", &b)
	if err != nil {
		return File{}, err
	}
	return File{Format: FormatNPY, Tensors: []Tensor{t}}, nil
}
