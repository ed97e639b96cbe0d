package app

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"io"
	"math"
	"strings"
)

// The binary link: a large numeric state as the bits of its values, so that
// it round-trips exactly and stays about as short as the numbers allow.
//
// The fragment is "b=1" followed by the unpadded URL-safe base64 of the
// DEFLATE stream of:
//
//	uvarint n, then n bytes: the readable fragment of every key but p and q
//	for P, then Q:
//	  byte w: 4 (float32) or 8 (float64), the width of every value
//	  uvarint rows, uvarint cols
//	  rows·cols values, little-endian, byte-planed: the first byte of every
//	  value, then the second byte of every value, and so on
//
// Byte planes put the sign and exponent bytes of neighbouring values side
// by side, which DEFLATE then finds; the float32 width is used when every
// value of a side is a float32, as a tensor dumped in float32 is. The
// "1" is the format's version: another version is refused by name.
const keyBinary = "b"

// binaryAbove is the length of a compressed link beyond which encode also
// tries the binary link and keeps the shorter.
const binaryAbove = 32 << 10

// binaryFirstAbove is the number of values from which a state with a
// tensor file's values (State.PVals) tries the binary link first.
const binaryFirstAbove = 4096

// binaryGrid is one side's values in a binary link.
type binaryGrid struct {
	width      int // 4 or 8
	rows, cols int
	vals       []float64
}

// numericGrid returns the side's cells as numbers, or false if a cell is
// not a number (being typed, say) or the rows are ragged: such a state
// keeps its text in the readable link. Every encodeSlice cells it calls
// yield, unless nil, and returns false if that does (parsing 1 024 000
// cells took 600 ms of wasm at once).
func numericGrid(rows [][]string, yield func() bool) (binaryGrid, bool) {
	g := binaryGrid{width: 4, rows: len(rows)}
	if len(rows) > 0 {
		g.cols = len(rows[0])
	}
	g.vals = make([]float64, 0, g.rows*g.cols)
	for _, r := range rows {
		if len(r) != g.cols {
			return binaryGrid{}, false
		}
		for _, c := range r {
			if yield != nil && (len(g.vals)+1)%encodeSlice == 0 && !yield() {
				return binaryGrid{}, false
			}
			v, err := parseCell(c)
			if err != nil {
				return binaryGrid{}, false
			}
			if g.width == 4 && !isFloat32(v) {
				g.width = 8
			}
			g.vals = append(g.vals, v)
		}
	}
	return g, true
}

// valuesGrid is numericGrid for a side's values (State.PVals).
func valuesGrid(rows [][]float64, yield func() bool) (binaryGrid, bool) {
	g := binaryGrid{width: 4, rows: len(rows)}
	if len(rows) > 0 {
		g.cols = len(rows[0])
	}
	g.vals = make([]float64, 0, g.rows*g.cols)
	for _, r := range rows {
		if len(r) != g.cols {
			return binaryGrid{}, false
		}
		if yield != nil && len(g.vals) > 0 && !yield() {
			return binaryGrid{}, false
		}
		for _, v := range r {
			if g.width == 4 && !isFloat32(v) {
				g.width = 8
				break
			}
		}
		g.vals = append(g.vals, r...)
	}
	return g, true
}

func isFloat32(v float64) bool { return math.IsNaN(v) || float64(float32(v)) == v }

// encodeBinary writes the binary link of s, whose readable fragment is r,
// with or without the values of p and q ("" to make it without), or false when s has a cell that is not a number, or
// yield abandoned it. With a limit (0: none) it stops once the link would
// be longer, and returns over, the length it has passed (see
// encodeWithin).
func (s State) encodeBinary(r string, yield func() bool, limit int) (link string, over int, ok bool) {
	if s.Gaussian || s.RLMode {
		return "", 0, false
	}
	if r == "" {
		r, _ = s.encodeReadableValues(nil, false)
	}
	// r begins "p=…&q=…&": the values are escaped, so '&' only separates.
	_, m, _ := strings.Cut(r, "&")
	_, m, _ = strings.Cut(m, "&")
	var raw bytes.Buffer
	raw.Write(binary.AppendUvarint(nil, uint64(len(m))))
	raw.WriteString(m)
	for _, sd := range []side{sideP, sideQ} {
		g, ok := numericGrid(*s.rows(sd), yield)
		if v := *s.vals(sd); v != nil {
			g, ok = valuesGrid(v, yield)
		}
		if !ok {
			return "", 0, false
		}
		raw.WriteByte(byte(g.width))
		raw.Write(binary.AppendUvarint(nil, uint64(g.rows)))
		raw.Write(binary.AppendUvarint(nil, uint64(g.cols)))
		writePlanes(&raw, g)
		if yield != nil && !yield() {
			return "", 0, false
		}
	}
	return deflateLink(keyBinary, raw.Bytes(), 6, yield, limit)
}

// writePlanes writes g's values little-endian, byte plane by byte plane.
func writePlanes(w *bytes.Buffer, g binaryGrid) {
	n := len(g.vals)
	out := make([]byte, n*g.width)
	for i, v := range g.vals {
		var bits uint64
		if g.width == 4 {
			bits = uint64(math.Float32bits(float32(v)))
		} else {
			bits = math.Float64bits(v)
		}
		for k := 0; k < g.width; k++ {
			out[k*n+i] = byte(bits >> (8 * k))
		}
	}
	w.Write(out)
}

// decodeBinary reads the value of the b key into a state. The limits are
// those of the readable link: maxCells values per side, maxInflated bytes
// once inflated.
func decodeBinary(v string) (State, error) { return decodeBinaryWithin(v, maxCells) }

// decodeBinaryWithin is decodeBinary with another limit of values per side
// (a state file's), and the inflated size bounded accordingly.
func decodeBinaryWithin(v string, cellLimit int) (State, error) {
	inflateLimit := max(maxInflated, 2*8*cellLimit+maxFragment)
	v, _, _ = strings.Cut(v, "&") // b stands alone
	if !strings.HasPrefix(v, "1") {
		return defaultState(), &LinkError{Problem: linkVersion}
	}
	z, err := base64.RawURLEncoding.DecodeString(v[1:])
	if err != nil {
		return defaultState(), &LinkError{Problem: linkDamaged}
	}
	r := flate.NewReader(bytes.NewReader(z))
	defer r.Close()
	raw, err := io.ReadAll(io.LimitReader(r, int64(inflateLimit)+1))
	if err != nil {
		return defaultState(), &LinkError{Problem: linkDamaged}
	}
	if len(raw) > inflateLimit {
		return defaultState(), &LinkError{Problem: linkExpands, Limit: inflateLimit}
	}
	n, k := binary.Uvarint(raw)
	if k <= 0 || n > uint64(len(raw)-k) {
		return defaultState(), &LinkError{Problem: linkDamaged}
	}
	meta := string(raw[k : k+int(n)])
	raw = raw[k+int(n):]
	if strings.HasPrefix(meta, keyCompact+"=") || strings.HasPrefix(meta, keyBinary+"=") {
		return defaultState(), &LinkError{Problem: linkNested}
	}
	s, metaErr := decodeReadable(meta)
	for _, key := range []string{keyP, keyQ} {
		rows, rest, err := readPlanes(raw, key, cellLimit)
		if err != nil {
			return defaultState(), err
		}
		raw = rest
		if key == keyP {
			s.setVals(sideP, rows)
		} else {
			s.setVals(sideQ, rows)
		}
	}
	if len(raw) != 0 {
		return defaultState(), &LinkError{Problem: linkDamaged}
	}
	return s, metaErr
}

// readPlanes reads one side of a binary link: its values, which stay
// numbers (State.PVals).
func readPlanes(b []byte, key string, cellLimit int) ([][]float64, []byte, error) {
	damaged := &LinkError{Problem: linkDamaged}
	if len(b) < 1 || (b[0] != 4 && b[0] != 8) {
		return nil, nil, damaged
	}
	width := int(b[0])
	b = b[1:]
	rows, k := binary.Uvarint(b)
	if k <= 0 {
		return nil, nil, damaged
	}
	b = b[k:]
	cols, k := binary.Uvarint(b)
	if k <= 0 {
		return nil, nil, damaged
	}
	b = b[k:]
	if lim := uint64(cellLimit); rows > lim || cols > lim || rows*cols > lim {
		return nil, nil, &LinkError{Problem: linkTooManyValues, Key: key, Limit: cellLimit}
	}
	n := int(rows * cols)
	if len(b) < n*width {
		return nil, nil, damaged
	}
	planes := b[:n*width]
	out := make([][]float64, rows)
	cells := make([]float64, n)
	for i := range cells {
		var bits uint64
		for k := 0; k < width; k++ {
			bits |= uint64(planes[k*n+i]) << (8 * k)
		}
		v := math.Float64frombits(bits)
		if width == 4 {
			v = float64(math.Float32frombits(uint32(bits)))
		}
		cells[i] = v
	}
	for i := range out {
		out[i] = cells[i*int(cols) : (i+1)*int(cols) : (i+1)*int(cols)]
	}
	return out, b[n*width:], nil
}

// The state file: what Save as a file writes when a state does not fit in
// a link, and what opening or dropping it reads back. It is text, so that
// the side panels' file reading takes it: the header line, then the
// binary link (or, for a state with a cell that is not a number, the
// compressed readable one) without '#'.
const (
	stateFileHeader = "klcalc-state 1\n"
	stateFileName   = "kl-calculation.klcalc"
	// maxFileCells is a state file's limit of values per side: what the
	// page can hold (a 19 MB file is about this), beyond a link's.
	maxFileCells = 4 << 20
)

// encodeFile writes the state file of s.
func (s State) encodeFile() []byte {
	enc, _, ok := s.encodeBinary("", nil, 0)
	if !ok {
		enc = s.Encode()
	}
	return []byte(stateFileHeader + enc + "\n")
}

// isStateFile reports whether a file's text is a state file.
func isStateFile(text string) bool { return strings.HasPrefix(text, stateFileHeader) }

// decodeStateFile reads a state file's text.
func decodeStateFile(text string) (State, error) {
	body := strings.TrimSpace(strings.TrimPrefix(text, stateFileHeader))
	if rest, ok := strings.CutPrefix(body, keyBinary+"="); ok {
		return decodeBinaryWithin(rest, maxFileCells)
	}
	return DecodeState(body)
}
