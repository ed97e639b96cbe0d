package tensorfile

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"
)

// maxSafetensorsHeader is the reference Rust reader's MAX_HEADER_SIZE.
const maxSafetensorsHeader = 100_000_000

// The safetensors names of the dtypes, and the order in which the Rust
// writer lays tensors out: by decreasing rank, so that each tensor's data
// is aligned to its element size (the Dtype enum of safetensors'
// tensor.rs, less the types read here as ErrDType).
var stNames = [...]string{
	Bool: "BOOL", Uint8: "U8", Int8: "I8", Int16: "I16", Uint16: "U16",
	Float16: "F16", BFloat16: "BF16", Int32: "I32", Uint32: "U32",
	Float32: "F32", Float64: "F64", Int64: "I64", Uint64: "U64",
}

var stRank = [...]int{
	Bool: 0, Uint8: 1, Int8: 2, Int16: 3, Uint16: 4, Float16: 5, BFloat16: 6,
	Int32: 7, Uint32: 8, Float32: 9, Float64: 10, Int64: 11, Uint64: 12,
}

func stDType(s string) (DType, bool) {
	for d, n := range stNames {
		if n == s && n != "" {
			return DType(d), true
		}
	}
	return 0, false
}

// stEntry is one tensor of a safetensors header.
type stEntry struct {
	name       string
	dtype      DType
	shape      []uint64
	begin, end uint64
	at         int64 // offset of the entry in the file
}

// ReadSafetensors reads a .safetensors file and validates it as the
// reference Rust reader (huggingface/safetensors, safetensors/src/tensor.rs)
// does, and as the format's README requires: the header is at most
// 100 000 000 bytes and fits the file, is a UTF-8 JSON object, and, taken in the order of their data_offsets, the tensors
// cover the byte buffer exactly, each with end - begin = elements × size.
// Tensors come back in that order.
//
// The README says that the header begins with '{', but the reference
// reader skips leading JSON whitespace, and its tests require it to
// (writers may pad the header to align the buffer); so does this one.
//
// Special cases are:
//
//	ReadSafetensors(a header claiming more than the file holds) = ErrTruncated
//	ReadSafetensors(a tensor beginning after the previous one ends) = ErrGap
//	ReadSafetensors(a tensor beginning before the previous one ends) = ErrOverlap
//	ReadSafetensors(end - begin ≠ elements × size) = ErrSize
//	ReadSafetensors(a buffer longer than the last end) = ErrTrailingBytes
//	ReadSafetensors(a name given twice) = ErrDuplicateName (the Rust reader
//	keeps the last; the format's README disallows duplicates)
//	ReadSafetensors(F8_E4M3, C64 and other types) = ErrDType
//	ReadSafetensors(NaN or ±Inf values) = those values (they are data)
//	ReadSafetensors(a header "{}") = ErrEmpty
func ReadSafetensors(data []byte, lim Limits) (File, error) {
	l, err := stLayoutOf(data, len(data), lim)
	if err != nil {
		return File{}, err
	}
	buf := data[8+l.n:]
	f := File{Format: FormatSafetensors, Tensors: make([]Tensor, len(l.entries)), Metadata: l.meta}
	for i, e := range l.entries {
		v := make([]float64, l.counts[i])
		if err := lim.pace.decode(v, buf[e.begin:e.end], e.dtype, binary.LittleEndian, e.name, 8+int64(l.n)+int64(e.begin)); err != nil {
			return File{}, err
		}
		shape := make([]int, len(e.shape))
		for k, d := range e.shape {
			shape[k] = int(d)
		}
		f.Tensors[i] = Tensor{Name: e.name, DType: e.dtype, Shape: shape, Data: v}
	}
	return f, nil
}

// stLayout is what a safetensors header says: its length, its tensors in
// the order of their data, their numbers of values, and the metadata.
type stLayout struct {
	n       uint64
	entries []stEntry
	counts  []int
	meta    map[string]string
}

// stLayoutOf reads the header of a .safetensors file of size bytes, of which
// data holds the first (all of them, or at least the header), and checks
// it against the size and lim as ReadSafetensors does, or returns an
// errNeed if data ends before the header does.
func stLayoutOf(data []byte, size int, lim Limits) (stLayout, error) {
	if size < 8 {
		return stLayout{}, newError(ErrTruncated, "", int64(size), "")
	}
	if len(data) < 8 {
		return stLayout{}, errNeed(8)
	}
	n := binary.LittleEndian.Uint64(data)
	if n > maxSafetensorsHeader {
		return stLayout{}, newError(ErrHeaderTooLarge, "", 0, strconv.FormatUint(n, 10))
	}
	if n > uint64(size-8) {
		return stLayout{}, newError(ErrTruncated, "", int64(size), "")
	}
	if uint64(len(data)-8) < n {
		return stLayout{}, errNeed(8 + int(n))
	}
	hdr := data[8 : 8+n]
	if !utf8.Valid(hdr) {
		return stLayout{}, newError(ErrHeaderSyntax, "", 8+int64(firstInvalidUTF8(hdr)), "")
	}
	entries, meta, err := parseSTHeader(hdr, lim.maxValues())
	if err != nil {
		return stLayout{}, err
	}
	// The Rust reader sorts by (begin, end); a stable sort keeps ties
	// (empty tensors at one offset) in header order.
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := &entries[i], &entries[j]
		return a.begin < b.begin || a.begin == b.begin && a.end < b.end
	})
	bufLen := uint64(size) - 8 - n
	counts := make([]int, len(entries))
	var pos uint64
	for i := range entries {
		e := &entries[i]
		switch {
		case e.end < e.begin:
			return stLayout{}, newError(ErrOffsets, e.name, e.at, "")
		case e.begin > pos:
			return stLayout{}, newError(ErrGap, e.name, 8+int64(n)+int64(min(pos, bufLen)), "")
		case e.begin < pos:
			return stLayout{}, newError(ErrOverlap, e.name, e.at, "")
		}
		count, bad, ok := numel(e.shape)
		if !ok || count > maxInt/e.dtype.Size() {
			d := ""
			if bad >= 0 {
				d = strconv.FormatUint(e.shape[bad], 10)
			}
			return stLayout{}, newError(ErrShape, e.name, e.at, d)
		}
		if e.end-e.begin != uint64(count*e.dtype.Size()) {
			return stLayout{}, newError(ErrSize, e.name, e.at, "")
		}
		counts[i] = count
		pos = e.end
	}
	switch {
	case pos > bufLen:
		return stLayout{}, newError(ErrTruncated, "", int64(size), "")
	case pos < bufLen:
		return stLayout{}, newError(ErrTrailingBytes, "", 8+int64(n)+int64(pos), "")
	}
	if len(entries) == 0 {
		return stLayout{}, newError(ErrEmpty, "", -1, "")
	}
	b := newBudget(lim)
	for i, e := range entries {
		// An empty tensor counts as one value, so that a header listing a
		// million of them is bounded too.
		if err := b.take(max(counts[i], 1), e.name, e.at); err != nil {
			return stLayout{}, err
		}
	}
	return stLayout{n: n, entries: entries, counts: counts, meta: meta}, nil
}

// stParser reads a safetensors header with encoding/json's tokenizer,
// which, unlike decoding into a map, sees duplicate keys and keeps the
// offset of each.
type stParser struct {
	dec      *json.Decoder
	hdr      []byte
	items    int // tensors and metadata entries so far
	maxItems int
}

// count counts one tensor or metadata entry against maxItems.
func (p *stParser) count(name string, at int64) error {
	if p.items++; p.items > p.maxItems {
		return newError(ErrTooManyValues, name, at, strconv.Itoa(p.items))
	}
	return nil
}

// syntax returns ErrHeaderSyntax at the decoder's position, with the text
// there as Detail.
func (p *stParser) syntax(detail string) *Error {
	off := p.dec.InputOffset()
	if detail == "" {
		detail = string(p.hdr[off:min(int64(len(p.hdr)), off+16)])
	}
	return newError(ErrHeaderSyntax, "", 8+off, detail)
}

// token returns the next token, or ErrHeaderSyntax.
func (p *stParser) token() (json.Token, error) {
	t, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, newError(ErrHeaderSyntax, "", 8+se.Offset, string(p.hdr[min(int(se.Offset), len(p.hdr)):min(int(se.Offset)+16, len(p.hdr))]))
		}
		return nil, p.syntax("")
	}
	return t, nil
}

func (p *stParser) delim(want json.Delim) error {
	t, err := p.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return p.syntax("")
	}
	return nil
}

// parseSTHeader parses the header. A tensor costs at least one value of
// the budget, and so, here, does a metadata entry: more than maxItems of
// them are refused while parsing, before a 100 MB header of tiny entries
// can cost gigabytes of maps and slices.
func parseSTHeader(hdr []byte, maxItems int) ([]stEntry, map[string]string, error) {
	p := &stParser{dec: json.NewDecoder(bytes.NewReader(hdr)), hdr: hdr, maxItems: maxItems}
	p.dec.UseNumber()
	if err := p.delim('{'); err != nil {
		return nil, nil, err
	}
	var entries []stEntry
	var meta map[string]string
	seen := map[string]bool{}
	for p.dec.More() {
		at := 8 + p.dec.InputOffset()
		t, err := p.token()
		if err != nil {
			return nil, nil, err
		}
		name, ok := t.(string)
		if !ok {
			return nil, nil, p.syntax("")
		}
		if seen[name] {
			return nil, nil, newError(ErrDuplicateName, name, at, "")
		}
		seen[name] = true
		if name == "__metadata__" {
			if meta, err = p.metadata(); err != nil {
				return nil, nil, err
			}
			continue
		}
		if err := p.count(name, at); err != nil {
			return nil, nil, err
		}
		e, err := p.entry(name, at)
		if err != nil {
			return nil, nil, err
		}
		entries = append(entries, e)
	}
	if err := p.delim('}'); err != nil {
		return nil, nil, err
	}
	// serde_json allows whitespace after the object, and the format pads
	// with spaces; anything else is trailing garbage.
	for i := p.dec.InputOffset(); i < int64(len(hdr)); i++ {
		switch hdr[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return nil, nil, newError(ErrHeaderSyntax, "", 8+i, string(hdr[i:min(int64(len(hdr)), i+16)]))
		}
	}
	return entries, meta, nil
}

// metadata parses the value of "__metadata__": null, or an object of
// strings.
func (p *stParser) metadata() (map[string]string, error) {
	t, err := p.token()
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, nil
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, p.syntax("__metadata__")
	}
	m := map[string]string{}
	for p.dec.More() {
		at := 8 + p.dec.InputOffset()
		t, err := p.token()
		if err != nil {
			return nil, err
		}
		k, ok := t.(string)
		if !ok {
			return nil, p.syntax("")
		}
		if _, dup := m[k]; dup {
			return nil, newError(ErrDuplicateName, "__metadata__", at, k)
		}
		if err := p.count("__metadata__", at); err != nil {
			return nil, err
		}
		if t, err = p.token(); err != nil {
			return nil, err
		}
		v, ok := t.(string)
		if !ok {
			return nil, newError(ErrHeaderSyntax, "__metadata__", at, k)
		}
		m[k] = v
	}
	return m, p.delim('}')
}

// entry parses one tensor's object. Unknown fields are skipped, as serde
// does; repeated fields are an error, as serde's derived reader makes
// them.
func (p *stParser) entry(name string, at int64) (stEntry, error) {
	e := stEntry{name: name, at: at}
	t, err := p.token()
	if err != nil {
		return e, err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return e, newError(ErrHeaderSyntax, name, at, name)
	}
	var have [3]bool
	for p.dec.More() {
		t, err := p.token()
		if err != nil {
			return e, err
		}
		field, ok := t.(string)
		if !ok {
			return e, p.syntax("")
		}
		k := slices.Index([]string{"dtype", "shape", "data_offsets"}, field)
		if k < 0 {
			if err := p.skip(); err != nil {
				return e, err
			}
			continue
		}
		if have[k] {
			return e, newError(ErrHeaderSyntax, name, 8+p.dec.InputOffset(), field)
		}
		have[k] = true
		switch k {
		case 0:
			t, err := p.token()
			if err != nil {
				return e, err
			}
			s, ok := t.(string)
			if !ok {
				return e, newError(ErrHeaderSyntax, name, 8+p.dec.InputOffset(), field)
			}
			if e.dtype, ok = stDType(s); !ok {
				return e, newError(ErrDType, name, 8+p.dec.InputOffset(), s)
			}
		case 1:
			if e.shape, err = p.uints(name, ErrShape); err != nil {
				return e, err
			}
			if e.shape == nil {
				e.shape = []uint64{}
			}
			if len(e.shape) > maxDims {
				return e, newError(ErrShape, name, at, "ndim="+strconv.Itoa(len(e.shape)))
			}
		case 2:
			off, err := p.uints(name, ErrOffsets)
			if err != nil {
				return e, err
			}
			if len(off) != 2 {
				return e, newError(ErrOffsets, name, 8+p.dec.InputOffset(), "")
			}
			e.begin, e.end = off[0], off[1]
		}
	}
	for k, f := range []string{"dtype", "shape", "data_offsets"} {
		if !have[k] {
			return e, newError(ErrHeaderSyntax, name, at, f)
		}
	}
	return e, p.delim('}')
}

// uints parses an array of unsigned integers (Rust's usize): a negative,
// fractional or too large number is code, with the number as Detail.
func (p *stParser) uints(name string, code ErrorCode) ([]uint64, error) {
	if err := p.delim('['); err != nil {
		return nil, err
	}
	var out []uint64
	for p.dec.More() {
		t, err := p.token()
		if err != nil {
			return nil, err
		}
		num, ok := t.(json.Number)
		if !ok {
			return nil, newError(ErrHeaderSyntax, name, 8+p.dec.InputOffset(), "")
		}
		u, err := strconv.ParseUint(string(num), 10, 64)
		if err != nil {
			return nil, newError(code, name, 8+p.dec.InputOffset(), string(num))
		}
		if len(out) > maxDims {
			return nil, newError(code, name, 8+p.dec.InputOffset(), "ndim>"+strconv.Itoa(maxDims))
		}
		out = append(out, u)
	}
	return out, p.delim(']')
}

// skip skips one value.
func (p *stParser) skip() error {
	depth := 0
	for {
		t, err := p.token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// WriteSafetensors writes tensors as a .safetensors file, byte for byte
// as the reference Rust writer (safetensors::serialize) does for them:
// tensors laid out by decreasing dtype alignment and then by name, the
// header as compact JSON with "__metadata__" first (its keys sorted here,
// where Rust's order is a hash map's) and padded with spaces to a multiple
// of 8 bytes. Each tensor is stored as its DType, floats rounded to
// nearest even; a nil metadata writes no "__metadata__".
//
// Special cases are:
//
//	WriteSafetensors(a name "__metadata__" or not UTF-8) = ErrName
//	WriteSafetensors(two tensors of one name) = ErrDuplicateName
//	WriteSafetensors(len(Data) ≠ product(Shape)) = ErrShape
//	WriteSafetensors(an integer value the dtype cannot hold) = ErrNotExact
func WriteSafetensors(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	order := make([]int, len(tensors))
	seen := map[string]bool{}
	for i := range tensors {
		t := &tensors[i]
		if !utf8.ValidString(t.Name) || t.Name == "__metadata__" {
			return newError(ErrName, t.Name, -1, "")
		}
		if seen[t.Name] {
			return newError(ErrDuplicateName, t.Name, -1, "")
		}
		seen[t.Name] = true
		if err := checkTensor(t); err != nil {
			return err
		}
		if err := checkValues(t); err != nil {
			return err
		}
		order[i] = i
	}
	for k, v := range metadata {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return newError(ErrName, "__metadata__", -1, "")
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := &tensors[order[i]], &tensors[order[j]]
		if ra, rb := stRank[a.DType], stRank[b.DType]; ra != rb {
			return ra > rb
		}
		return a.Name < b.Name
	})
	h := []byte{'{'}
	if metadata != nil {
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h = append(h, `"__metadata__":{`...)
		for i, k := range keys {
			if i > 0 {
				h = append(h, ',')
			}
			h = appendJSONString(h, k)
			h = append(h, ':')
			h = appendJSONString(h, metadata[k])
		}
		h = append(h, '}')
	}
	var off uint64
	for i, k := range order {
		t := &tensors[k]
		if i > 0 || metadata != nil {
			h = append(h, ',')
		}
		h = appendJSONString(h, t.Name)
		h = append(h, `:{"dtype":"`...)
		h = append(h, stNames[t.DType]...)
		h = append(h, `","shape":[`...)
		for j, d := range t.Shape {
			if j > 0 {
				h = append(h, ',')
			}
			h = strconv.AppendInt(h, int64(d), 10)
		}
		size := uint64(len(t.Data) * t.DType.Size())
		h = append(h, `],"data_offsets":[`...)
		h = strconv.AppendUint(h, off, 10)
		h = append(h, ',')
		h = strconv.AppendUint(h, off+size, 10)
		h = append(h, "]}"...)
		off += size
	}
	h = append(h, '}')
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	if len(h) > maxSafetensorsHeader {
		return newError(ErrHeaderTooLarge, "", -1, strconv.Itoa(len(h)))
	}
	out := binary.LittleEndian.AppendUint64(make([]byte, 0, 8+len(h)), uint64(len(h)))
	if _, err := w.Write(append(out, h...)); err != nil {
		return err
	}
	for _, k := range order {
		if err := writeValues(w, &tensors[k]); err != nil {
			return err
		}
	}
	return nil
}

// appendJSONString appends s as serde_json writes a string: only '"',
// '\\' and control characters are escaped, the usual ones by name and the
// rest as \u00xx, so that the header's bytes are the Rust writer's.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}
