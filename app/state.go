package app

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/distill"
	"github.com/klcalc/klcalc/compute/textparse"
)

// State is everything the page shows, and everything a share link holds.
// Cells keep the text the user typed, so nothing is lost or reformatted.
type State struct {
	P, Q [][]string // rows of raw cell text
	// PVals and QVals are a side's values when they came from a tensor
	// file; that side's P or Q is then nil. Its cells' text is
	// compute.FormatFloat's, written only where it is needed: a cell shown,
	// a readable link, an edit of the cells (materialize). As text, two
	// 8 × 128 000 tensors took 74 MB and 1.1 s of wasm. The rows are never
	// changed in place.
	PVals, QVals [][]float64
	PForm, QForm compute.Form
	PTemp, QTemp string // temperature text for logits ("" means 1)
	Reduction    compute.Reduction
	DType        compute.DType
	Dims         int // 1 or 2 for sides with a single row; 0 means the default
	// PShape and QShape are a side's shape when it has more than two
	// dimensions (p_shape=2,3,4): its rows are then the last dimension,
	// row-major over the others. nil otherwise.
	PShape, QShape []int
	Unit           compute.Unit
	Lang           string // "en" or "ko" once chosen; "" follows the browser
	Gaussian       bool   // the Gaussian (continuous) mode: mode=gauss
	Gauss          GaussState
	RLMode         bool           // the RL estimators' mode: mode=rl (never with Gaussian)
	RL             RLState        // its columns and choices
	View           view           // the discrete mode's open tab
	Unlinked       bool           // + class and − class change one side only (linked=0)
	ScaleT2        bool           // the headline is the loss times T² (t2=1), where both sides are logits at one T
	Flavor         distill.Flavor // the distillation tab's chosen flavour (flavor=gkd)
	Mask           string         // the distillation tab's token mask, as typed: 1 counts a row, 0 is ignore_index (mask=1,1,0)
	Beta           string         // GKD's β as typed ("" is TRL's default, 0.5)
}

// defaultState is the classic example: P=[0.1,0.4,0.5], Q=[0.2,0.3,0.5],
// 1-D, batchmean, float32, which PyTorch prints as tensor(0.0153).
func defaultState() State {
	return State{
		P:     [][]string{{"0.1", "0.4", "0.5"}},
		Q:     [][]string{{"0.2", "0.3", "0.5"}},
		Gauss: defaultGauss(),
		RL:    defaultRL(),
	}
}

// size is the number of values the shown mode holds: the cells of both
// grids, or the values of the Gaussian case's fields (counted by their
// separators).
func (s State) size() int {
	n := 0
	if s.Gaussian {
		g := s.Gauss
		fields := []string{g.Mu1, g.Sigma1, g.Mu2, g.Sigma2}
		if g.Case == gaussVAE {
			fields = []string{g.Mu, g.LogVar}
		}
		for _, f := range fields {
			n += strings.Count(f, ",") + strings.Count(f, "\n") + 1
		}
		return n
	}
	return s.cells(sideP) + s.cells(sideQ)
}

// cells is the number of cells of side sd's grid.
func (s State) cells(sd side) int {
	n := 0
	for _, r := range *s.vals(sd) {
		n += len(r)
	}
	for _, r := range *s.rows(sd) {
		n += len(r)
	}
	return n
}

// vals is a pointer to a side's values from a tensor file (State.PVals).
func (s *State) vals(sd side) *[][]float64 {
	if sd == sideQ {
		return &s.QVals
	}
	return &s.PVals
}

// numRows is the number of rows of side sd's grid.
func (s State) numRows(sd side) int { return max(len(*s.rows(sd)), len(*s.vals(sd))) }

// numCols is the number of cells of the first row of side sd's grid.
func (s State) numCols(sd side) int {
	if v := *s.vals(sd); len(v) > 0 {
		return len(v[0])
	}
	if r := *s.rows(sd); len(r) > 0 {
		return len(r[0])
	}
	return 0
}

// textRows is side sd's grid as cell text: its own, or its values'
// written now (State.PVals).
func (s State) textRows(sd side) [][]string {
	if v := *s.vals(sd); v != nil {
		return formatRows(v)
	}
	return *s.rows(sd)
}

// setText makes rows the cell text of side sd, in place of its values.
func (s *State) setText(sd side, rows [][]string) {
	*s.rows(sd), *s.vals(sd) = rows, nil
}

// setVals makes rows, a tensor file's, the values of side sd, in place of
// its text.
func (s *State) setVals(sd side, rows [][]float64) {
	*s.rows(sd), *s.vals(sd) = nil, rows
}

// materialize makes the values of side sd cell text, for an edit of its
// cells (a cell typed, a class added, …).
func (s *State) materialize(sd side) {
	if v := *s.vals(sd); v != nil {
		s.setText(sd, formatRows(v))
	}
}

// effectiveDims is the shape chosen for a side with one row: the state's
// Dims, or by default 1 when both sides have one row and 2 otherwise.
func (s State) effectiveDims() int {
	if s.Dims == 1 || s.Dims == 2 {
		return s.Dims
	}
	if s.numRows(sideP) == 1 && s.numRows(sideQ) == 1 {
		return 1
	}
	return 2
}

// Limits of a share link, so that a tampered URL cannot exhaust memory.
const (
	maxFragment = 8 << 20 // bytes of the fragment
	maxCells    = 1 << 20 // values per side
)

// URL keys, the public interface documented in the README.
const (
	keyP         = "p"
	keyQ         = "q"
	keyPAs       = "p_as"
	keyQAs       = "q_as"
	keyPTemp     = "p_temp"
	keyQTemp     = "q_temp"
	keyReduction = "reduction"
	keyDType     = "dtype"
	keyDims      = "dims"
	keyPShape    = "p_shape"
	keyQShape    = "q_shape"
	keyUnit      = "unit"
	keyLang      = "lang"
	keyMode      = "mode"
	keyTab       = "tab"
	keyLinked    = "linked"
	keyT2        = "t2"
	keyFlavor    = "flavor"
	keyMask      = "mask"
	keyBeta      = "beta"
)

// compactAbove is the length beyond which Encode compresses the fragment:
// small states stay readable, large ones stay short enough for a URL.
const compactAbove = 2048

// keyCompact holds a compressed fragment: "1" (the format version) and the
// raw URL-safe base64 of the DEFLATE-compressed readable fragment.
const keyCompact = "z"

// maxInflated bounds what a compressed link may expand to. Escaping can
// triple a fragment that decoded within maxFragment (a "‹" is %E2%80%B9),
// so a link this app wrote must still open.
const maxInflated = 3 * maxFragment

// Encode writes the state as a URL fragment (without '#'): readable, or
// compressed under the key z when the readable form is longer than
// compactAbove bytes. See EncodeReadable.
func (s State) Encode() string {
	enc, _ := s.encode(nil)
	return enc
}

// encodeSlice is how many cells, or bytes to compress, encode handles
// between two calls of its yield: a few milliseconds of wasm.
const encodeSlice = 16 << 10

// encode is Encode in slices: between two it calls yield, unless nil,
// which may let the page run (the browser's event loop) and returns false
// to abandon the encoding, when encode returns false. The state must not
// change meanwhile (edit gives it new rows, see detach). The link of a
// 100 000-value state took 93 ms of wasm at once.
func (s State) encode(yield func() bool) (string, bool) {
	enc, _, ok := s.encodeWithin(yield, 0)
	return enc, ok
}

// encodeWithin is encode, stopping as soon as no link can be limit bytes
// or shorter (0: no limit): a compressed link only grows as it is
// written, so once both have passed the limit, over is a length that
// every link exceeds, and enc is "". At 2 × 1 024 000 values writing the
// links in full took seconds and 200 MB of wasm memory, for nothing.
func (s State) encodeWithin(yield func() bool, limit int) (enc string, over int, ok bool) {
	if s.cells(sideP)+s.cells(sideQ) > binaryFirstAbove && (s.PVals != nil || s.QVals != nil) {
		// A tensor file's values: their bits are shorter than their
		// digits (the shortest text of a float32 takes up to 9 of them),
		// so the binary link is the one, and the text of every value is
		// not written (21 MB and 600 ms of wasm at 2 × 1 024 000 values).
		meta, _ := s.encodeReadableValues(nil, false)
		b, bOver, ok := s.encodeBinary(meta, yield, limit)
		switch {
		case ok:
			return b, bOver, true
		case yield != nil && !yield():
			return "", 0, false
		}
	}
	r, ok := s.encodeReadable(yield)
	if !ok {
		return "", 0, false
	}
	if len(r) <= compactAbove {
		return r, 0, true
	}
	// A fast level is about as small for the digits of typed numbers and
	// keeps long repeats short, at a fraction of the time, which matters on
	// the UI thread for a large state (1.9 MB in wasm: 80 ms at level 3,
	// 165 ms at level 9; 877 KB against 864 KB).
	level := flate.BestCompression
	if len(r) > 64<<10 {
		level = 3
	}
	z, zOver, ok := deflateLink(keyCompact, []byte(r), level, yield, limit)
	if !ok {
		return "", 0, false
	}
	if zOver > 0 || len(z) > binaryAbove {
		// Many full-precision values: their bits are shorter than their
		// digits, and exact whatever their text.
		b, bOver, ok := s.encodeBinary(r, yield, limit)
		switch {
		case ok && bOver == 0 && (zOver > 0 || len(b) < len(z)):
			return b, 0, true
		case ok && bOver > 0 && zOver > 0:
			return "", min(bOver, zOver), true
		case !ok && yield != nil && !yield():
			return "", 0, false
		}
	}
	if zOver > 0 {
		return "", zOver, true
	}
	return z, 0, true
}

// deflateLink writes key=1 and raw, DEFLATE-compressed at level and in
// URL-safe base64, in slices between which it calls yield, unless nil
// (false abandons: ok is false). With a limit (0: none) it stops once the
// link would be longer, and returns over, the length it has passed.
func deflateLink(key string, raw []byte, level int, yield func() bool, limit int) (link string, over int, ok bool) {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, level) // the levels used are valid
	head := len(key) + len("=1")
	for i := 0; i < len(raw); i += 4 * encodeSlice {
		if i > 0 && yield != nil && !yield() {
			return "", 0, false
		}
		w.Write(raw[i:min(i+4*encodeSlice, len(raw))])
		if n := head + base64.RawURLEncoding.EncodedLen(buf.Len()); limit > 0 && n > limit {
			return "", n, true
		}
	}
	w.Close()
	if n := head + base64.RawURLEncoding.EncodedLen(buf.Len()); limit > 0 && n > limit {
		return "", n, true
	}
	return key + "=1" + base64.RawURLEncoding.EncodeToString(buf.Bytes()), 0, true
}

// EncodeReadable writes the state as a readable URL fragment, e.g.
// "p=0.1,0.4,0.5&q=0.2,0.3,0.5&reduction=batchmean&p_as=prob&q_as=prob&dtype=float32&dims=1".
// Rows are separated by ';' and values by ','; anything else that is not
// plainly readable in a URL is percent-encoded. Encode writes this for a
// small state; cmd/klbench opens the calculator with it for any size.
func (s State) EncodeReadable() string {
	enc, _ := s.encodeReadable(nil)
	return enc
}

// encodeReadable is EncodeReadable in slices, as encode.
func (s State) encodeReadable(yield func() bool) (string, bool) {
	return s.encodeReadableValues(yield, true)
}

// encodeReadableValues is encodeReadable, with the values of p and q left
// out unless values is true ("p=&q=&…"): what the binary link needs.
func (s State) encodeReadableValues(yield func() bool, values bool) (string, bool) {
	if s.RLMode {
		var b strings.Builder
		b.WriteString(keyMode + "=rl")
		add := func(k, v string) { b.WriteString("&" + k + "=" + v) }
		s.RL.encode(add)
		if s.Mask != "" {
			add(keyMask, escapeList(s.Mask))
		}
		if s.DType != compute.DTypeFloat32 {
			add(keyDType, s.DType.String())
		}
		if s.Lang != "" {
			add(keyLang, s.Lang)
		}
		return b.String(), true
	}
	if s.Gaussian {
		enc := keyMode + "=gauss&" + s.Gauss.encode()
		if s.View != viewBreakdown {
			enc += "&" + keyTab + "=" + s.View.String()
		}
		if s.Lang != "" {
			enc += "&" + keyLang + "=" + s.Lang
		}
		return enc, true
	}
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
	}
	for _, side := range []struct {
		key  string
		rows [][]string
		vals [][]float64
	}{{keyP, s.P, s.PVals}, {keyQ, s.Q, s.QVals}} {
		rows, ok := "", true
		switch {
		case !values:
		case side.vals != nil:
			rows, ok = encodeVals(side.vals, yield)
		default:
			rows, ok = encodeRows(side.rows, yield)
		}
		if !ok {
			return "", false
		}
		add(side.key, rows)
	}
	add(keyReduction, s.Reduction.String())
	add(keyPAs, s.PForm.String())
	add(keyQAs, s.QForm.String())
	if s.PForm == compute.FormLogits && s.PTemp != "" {
		add(keyPTemp, escapeCell(s.PTemp))
	}
	if s.QForm == compute.FormLogits && s.QTemp != "" {
		add(keyQTemp, escapeCell(s.QTemp))
	}
	add(keyDType, s.DType.String())
	add(keyDims, strconv.Itoa(s.effectiveDims()))
	for _, sh := range []struct {
		key   string
		shape []int
	}{{keyPShape, s.PShape}, {keyQShape, s.QShape}} {
		if sh.shape != nil {
			add(sh.key, shapeList(sh.shape))
		}
	}
	if s.Unit != compute.Nats {
		add(keyUnit, s.Unit.String())
	}
	if s.View != viewBreakdown {
		add(keyTab, s.View.String())
	}
	if s.Unlinked {
		add(keyLinked, "0")
	}
	if s.ScaleT2 {
		add(keyT2, "1")
	}
	if s.Flavor != distill.KLDiv {
		add(keyFlavor, s.Flavor.String())
	}
	if s.Mask != "" {
		parts := strings.Split(s.Mask, ",")
		for i, p := range parts {
			parts[i] = escapeCell(p)
		}
		add(keyMask, strings.Join(parts, ","))
	}
	if s.Beta != "" {
		add(keyBeta, escapeCell(s.Beta))
	}
	if s.Lang != "" {
		add(keyLang, s.Lang)
	}
	return b.String(), true
}

// encodeRows writes rows as the link does, calling yield (unless nil)
// between slices of cells; false when yield abandoned it.
func encodeRows(rows [][]string, yield func() bool) (string, bool) {
	n := 0
	for _, r := range rows {
		for _, c := range r {
			n += len(c) + 1
		}
	}
	var b strings.Builder
	b.Grow(n + n/8)
	cells := 0
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(';')
		}
		for j, c := range r {
			if cells++; cells%encodeSlice == 0 && yield != nil && !yield() {
				return "", false
			}
			if j > 0 {
				b.WriteByte(',')
			}
			writeEscaped(&b, strings.TrimSpace(c))
		}
	}
	return b.String(), true
}

// encodeVals is encodeRows of the values' cell text, FormatFloat's, which
// needs no escaping.
func encodeVals(rows [][]float64, yield func() bool) (string, bool) {
	var b []byte
	cells := 0
	for i, r := range rows {
		if i > 0 {
			b = append(b, ';')
		}
		for j, v := range r {
			if cells++; cells%encodeSlice == 0 && yield != nil && !yield() {
				return "", false
			}
			if j > 0 {
				b = append(b, ',')
			}
			b = compute.AppendFloat(b, v)
		}
	}
	return string(b), true
}

// escapeCell percent-encodes every byte except those that keep numbers
// readable: letters, digits and "+-._~".
func escapeCell(s string) string {
	var b strings.Builder
	writeEscaped(&b, s)
	return b.String()
}

func writeEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '+', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

// DecodeState reads a fragment written by Encode (or by hand). Missing keys
// take their defaults (batchmean, prob, prob, float32; the Gaussian keys
// the defaults of their case, see keyGaussCase). It returns the state it
// could read together with every problem, one *LinkError each, joined
// (errors.Join) in the order of the link, so that a tampered link still
// opens the calculator with clear messages.
// Cell text is not validated here: invalid numbers are reported per cell.
func DecodeState(fragment string) (State, error) {
	fragment = strings.TrimPrefix(fragment, "#")
	if len(fragment) > maxFragment {
		return defaultState(), &LinkError{Problem: linkTooLong, Size: len(fragment), Limit: maxFragment}
	}
	if rest, ok := strings.CutPrefix(fragment, keyBinary+"="); ok {
		return decodeBinary(rest)
	}
	if rest, ok := strings.CutPrefix(fragment, keyCompact+"="); ok {
		inner, err := inflateFragment(rest)
		if err != nil {
			return defaultState(), err
		}
		if strings.HasPrefix(inner, keyCompact+"=") {
			return defaultState(), &LinkError{Problem: linkNested}
		}
		return decodeReadable(inner) // within maxInflated, checked by inflateFragment
	}
	return decodeReadable(fragment)
}

// decodeReadable reads a readable fragment (its size already checked).
//
// The Gaussian keys are read in the same pass but applied at the end, and
// only with mode=gauss: g= chooses the defaults that the other keys
// override, wherever it stands. Their errors count from where mode=gauss
// stands (a repeated key's also from where it stands).
func decodeReadable(fragment string) (State, error) {
	s := defaultState()
	if fragment == "" {
		return s, nil
	}
	var errs []error
	seen := map[string]bool{}
	gauss := map[string]string{} // the Gaussian keys' raw values
	var gaussErrs []error        // their errors
	gaussAt := 0                 // the place of gaussErrs in errs
	for _, part := range strings.Split(fragment, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if seen[k] {
			err := linkErr(linkRepeated, k, "")
			errs = append(errs, err)
			if _, ok := gauss[k]; ok { // a Gaussian key
				gaussErrs = append(gaussErrs, err)
			}
			continue
		}
		seen[k] = true
		var err *LinkError
		bad := func(valid ...string) *LinkError {
			e := linkErr(linkBadValue, k, unescape(v))
			e.Valid = valid
			return e
		}
		enum := func(e error) *LinkError {
			var ee *compute.EnumError
			if errors.As(e, &ee) {
				return bad(ee.Valid...)
			}
			return nil
		}
		switch k {
		case keyP, keyQ:
			rows, ok := decodeRows(v)
			if !ok {
				err = &LinkError{Problem: linkTooManyValues, Key: k, Limit: maxCells}
			}
			if k == keyP {
				s.P = rows
			} else {
				s.Q = rows
			}
		case keyPAs, keyQAs:
			f, e := compute.ParseForm(unescape(v))
			if k == keyPAs {
				s.PForm = f
			} else {
				s.QForm = f
			}
			err = enum(e)
		case keyPTemp:
			s.PTemp = unescape(v)
		case keyQTemp:
			s.QTemp = unescape(v)
		case keyReduction:
			var e error
			s.Reduction, e = compute.ParseReduction(unescape(v))
			err = enum(e)
		case keyDType:
			var e error
			s.DType, e = compute.ParseDType(unescape(v))
			err = enum(e)
		case keyUnit:
			var e error
			s.Unit, e = compute.ParseUnit(unescape(v))
			err = enum(e)
		case keyLang:
			l, ok := parseLang(unescape(v))
			if !ok {
				err = bad("en", "ko")
			} else {
				s.Lang = l.String()
			}
		case keyMode:
			switch unescape(v) {
			case "gauss":
				s.Gaussian, gaussAt = true, len(errs)
			case "rl":
				s.RLMode = true
			case "kl":
			default:
				err = bad("kl", "gauss", "rl")
			}
		case keyLogP:
			s.RL.LogP = unescape(v)
		case keyRef:
			s.RL.Ref = unescape(v)
		case keySeq:
			s.RL.Seq = unescape(v)
		case keyRLPreset:
			s.RL.Preset = unescape(v)
		case keyCtlBeta:
			s.RL.CtlBeta = unescape(v)
		case keyCtlTarget:
			s.RL.CtlTarget = unescape(v)
		case keyCtlSteps:
			s.RL.CtlSteps = unescape(v)
		case keyCtlHorizon:
			s.RL.CtlHorizon = unescape(v)
		case keyPi:
			s.RL.Pi = unescape(v)
		case keyPiRef:
			s.RL.PiRef = unescape(v)
		case keyGaussCase, keyGaussMu1, keyGaussSigma1, keyGaussMu2, keyGaussSigma2, keyGaussMu, keyGaussLogVar:
			gauss[k] = v
		case keyLinked:
			switch unescape(v) {
			case "0":
				s.Unlinked = true
			case "1":
			default:
				err = bad("1", "0")
			}
		case keyT2:
			switch unescape(v) {
			case "1":
				s.ScaleT2 = true
			case "0":
			default:
				err = bad("1", "0")
			}
		case keyFlavor:
			f, e := distill.ParseFlavor(unescape(v))
			if e != nil {
				names := make([]string, 0, len(distill.Flavors()))
				for _, f := range distill.Flavors() {
					names = append(names, f.String())
				}
				err = bad(names...)
			}
			s.Flavor = f
		case keyMask:
			s.Mask = unescape(v)
		case keyBeta:
			s.Beta = unescape(v)
		case keyTab:
			vw, ok := parseView(unescape(v))
			if !ok {
				err = bad(viewNames[:]...)
			}
			s.View = vw
		case keyDims:
			switch unescape(v) {
			case "1":
				s.Dims = 1
			case "2":
				s.Dims = 2
			default:
				err = bad("1", "2")
			}
		case keyPShape, keyQShape:
			shape, ok := parseShape(unescape(v))
			switch {
			case !ok:
				err = linkErr(linkBadShape, k, unescape(v))
			case k == keyPShape:
				s.PShape = shape
			default:
				s.QShape = shape
			}
		default:
			err = linkErr(linkUnknownKey, k, "")
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if seen[keyLogP] || seen[keyRef] {
		// The link's own columns: the example's are not mixed in.
		for _, f := range []struct {
			k string
			v *string
		}{{keyLogP, &s.RL.LogP}, {keyRef, &s.RL.Ref}, {keySeq, &s.RL.Seq}} {
			if !seen[f.k] {
				*f.v = ""
			}
		}
	}
	if s.Gaussian {
		var errs2 []error
		s.Gauss, errs2 = decodeGauss(gauss)
		errs = slices.Insert(errs, gaussAt, append(gaussErrs, errs2...)...)
	}
	return s, errors.Join(errs...)
}

// decodeGauss builds the Gaussian state from its keys' values: the
// defaults of the case, overridden by the fields given. Numbers are not
// validated here: parse reports them by field and position.
func decodeGauss(vals map[string]string) (GaussState, []error) {
	g := defaultGauss()
	var errs []error
	if v, ok := vals[keyGaussCase]; ok {
		c, ok := parseGaussCase(unescape(v))
		if !ok {
			e := linkErr(linkBadValue, keyGaussCase, unescape(v))
			e.Valid = []string{"normal", "diag", "vae"}
			errs = append(errs, e)
		}
		g = gaussDefaults(c)
	}
	for _, f := range []struct {
		key    string
		dst    *string
		matrix bool
	}{
		{keyGaussMu1, &g.Mu1, false}, {keyGaussSigma1, &g.Sigma1, false},
		{keyGaussMu2, &g.Mu2, false}, {keyGaussSigma2, &g.Sigma2, false},
		{keyGaussMu, &g.Mu, true}, {keyGaussLogVar, &g.LogVar, true},
	} {
		v, ok := vals[f.key]
		if !ok {
			continue
		}
		if n := strings.Count(v, ",") + strings.Count(v, ";") + 1; n > maxCells {
			errs = append(errs, &LinkError{Problem: linkTooManyValues, Key: f.key, Limit: maxCells})
			*f.dst = ""
			continue
		}
		*f.dst = unescapeGaussText(v, f.matrix)
	}
	return g, errs
}

// inflateFragment decodes the value of the z key.
func inflateFragment(v string) (string, error) {
	v, _, _ = strings.Cut(v, "&") // z stands alone
	if !strings.HasPrefix(v, "1") {
		return "", &LinkError{Problem: linkVersion}
	}
	raw, err := base64.RawURLEncoding.DecodeString(v[1:])
	if err != nil {
		return "", &LinkError{Problem: linkDamaged}
	}
	r := flate.NewReader(bytes.NewReader(raw))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, maxInflated+1))
	if err != nil {
		return "", &LinkError{Problem: linkDamaged}
	}
	if len(out) > maxInflated {
		return "", &LinkError{Problem: linkExpands, Limit: maxInflated}
	}
	return string(out), nil
}

// decodeRows reads a grid; false means more than maxCells values.
func decodeRows(v string) ([][]string, bool) {
	if v == "" {
		return [][]string{{""}}, true
	}
	var rows [][]string
	cells := 0
	for _, r := range strings.Split(v, ";") {
		parts := strings.Split(r, ",")
		cells += len(parts)
		if cells > maxCells {
			return [][]string{{""}}, false
		}
		row := make([]string, len(parts))
		for i, c := range parts {
			row[i] = unescape(c)
		}
		rows = append(rows, row)
	}
	return rows, true
}

// unescape decodes percent-escapes; '+' stays '+' (it is part of numbers
// like 1e+5, unlike in form encoding). Malformed escapes are kept as text,
// and the cell then reports an invalid number.
func unescape(s string) string {
	u, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return u
}

// short truncates text quoted in error messages.
func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// CellError is an invalid cell of a grid.
type CellError struct {
	Side     side
	Row, Col int // 0-based
	Err      error
}

func (e *CellError) Error() string {
	return fmt.Sprintf("%s row %d, column %d: %v", e.Side, e.Row+1, e.Col+1, e.Err)
}

func (e *CellError) Unwrap() error { return e.Err }

// parseGrid parses every cell; it returns all cell errors, in order.
func parseGrid(sd side, rows [][]string) ([][]float64, []*CellError) {
	out := make([][]float64, len(rows))
	var errs []*CellError
	for i, r := range rows {
		var e []*CellError
		out[i], e = parseRow(sd, i, r)
		errs = append(errs, e...)
	}
	return out, errs
}

// parseCell parses one number: Go syntax plus inf, -inf and nan in any case.
func parseCell(c string) (float64, error) {
	c = strings.TrimSpace(c)
	if c == "" {
		return 0, errors.New("empty")
	}
	v, err := textparse.ParseFloat(c)
	if err != nil {
		var pe *textparse.Error
		if errors.As(err, &pe) {
			return 0, fmt.Errorf("%q is not a number", short(c))
		}
		return 0, err
	}
	return v, nil
}

// Inputs are compute's inputs for the state, as the page computes them on
// every edit; the first invalid cell, if any, is the error. cmd/klbench
// times this part of an edit.
func (s State) Inputs() (p, q compute.Side, opt compute.Options, err error) {
	p, q, opt, cellErrs, err := s.problem()
	if err == nil && len(cellErrs) > 0 {
		err = cellErrs[0]
	}
	return p, q, opt, err
}

// klProblem is a valid state of the discrete mode, parsed: compute's
// inputs and the broadcast shape of the pointwise loss. recompute keeps it
// beside the result, for the views that write code from the inputs.
type klProblem struct {
	p, q    compute.Side
	opt     compute.Options
	out     []int
	scaleT2 bool // the loss is shown times T² (State.ScaleT2)
}

// problem builds compute's inputs from the state. Cell errors and other
// input errors are returned as a list, so that each can be shown in place.
func (s State) problem() (p, q compute.Side, opt compute.Options, cellErrs []*CellError, err error) {
	return s.problemWith(parseGrid)
}

// problemWith is problem with the cells parsed by parse (parseGrid, or a
// parseCache's parse).
func (s State) problemWith(parse func(side, [][]string) ([][]float64, []*CellError)) (p, q compute.Side, opt compute.Options, cellErrs []*CellError, err error) {
	pRows, pe := parse(sideP, s.P)
	qRows, qe := parse(sideQ, s.Q)
	if s.PVals != nil {
		pRows, pe = s.PVals, nil
	}
	if s.QVals != nil {
		qRows, qe = s.QVals, nil
	}
	cellErrs = append(pe, qe...)
	opt = compute.Options{Reduction: s.Reduction, DType: s.DType, Unit: s.Unit}
	pt, err1 := parseTemp(sideP, s.PTemp)
	qt, err2 := parseTemp(sideQ, s.QTemp)
	if err = errors.Join(err1, err2); err != nil || len(cellErrs) > 0 {
		return p, q, opt, cellErrs, err
	}
	dims := s.effectiveDims()
	pd, qd := 2, 2
	if len(pRows) == 1 {
		pd = dims
	}
	if len(qRows) == 1 {
		qd = dims
	}
	if err = checkRagged(sideP, pRows); err != nil {
		return
	}
	if err = checkRagged(sideQ, qRows); err != nil {
		return
	}
	pt2, err := fromRows(sideP, pRows, pd, s.PShape)
	if err != nil {
		return
	}
	qt2, err := fromRows(sideQ, qRows, qd, s.QShape)
	if err != nil {
		return
	}
	p = compute.Side{Data: pt2, Form: s.PForm, Temperature: pt}
	q = compute.Side{Data: qt2, Form: s.QForm, Temperature: qt}
	return p, q, opt, nil, nil
}

// fromRows is a side's tensor: its rows as dims dimensions, or, when the
// side has a shape of more than two dimensions, that shape, which its rows
// must fill.
func fromRows(sd side, rows [][]float64, dims int, shape []int) (compute.Tensor, error) {
	if shape == nil {
		return compute.FromRows(rows, dims)
	}
	lead := 1
	for _, d := range shape[:len(shape)-1] {
		lead *= d
	}
	cols := 0
	if len(rows) > 0 {
		cols = len(rows[0])
	}
	if lead != len(rows) || shape[len(shape)-1] != cols {
		return compute.Tensor{}, &InputError{Problem: inputShape, Side: sd, Got: len(rows), GotCols: cols,
			Want: lead, WantCols: shape[len(shape)-1], Text: compute.ShapeString(shape)}
	}
	data := make([]float64, 0, lead*cols)
	for _, r := range rows {
		data = append(data, r...)
	}
	return compute.Tensor{Shape: slices.Clone(shape), Data: data}, nil
}

// maxShapeDims is the most dimensions a side has.
const maxShapeDims = 4

// parseShape reads a shape of 3 or 4 dimensions, "2,3,4".
func parseShape(v string) ([]int, bool) {
	parts := strings.Split(v, ",")
	if len(parts) < 3 || len(parts) > maxShapeDims {
		return nil, false
	}
	shape := make([]int, len(parts))
	n := 1
	for i, p := range parts {
		d, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || d < 1 || d > maxCells {
			return nil, false
		}
		if n *= d; n > maxCells {
			return nil, false
		}
		shape[i] = d
	}
	return shape, true
}

// shapeList writes a shape as parseShape reads it.
func shapeList(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

// rowLabel names row r of a side of the given shape by its indices in
// the leading dimensions, as PyTorch indexes them ("[1, 2]"), or "" for a
// side of at most two dimensions.
func rowLabel(shape []int, r int) string {
	if len(shape) < 3 {
		return ""
	}
	idx := compute.Tensor{Shape: shape}.RowIndex(r)
	if idx == nil {
		return ""
	}
	parts := make([]string, len(idx))
	for i, v := range idx {
		parts[i] = strconv.Itoa(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// rowName is row r of an output of the given shape as the tables show
// it: its leading indices for more than 2 dimensions, else its number.
func rowName(shape []int, r int) string {
	if l := rowLabel(shape, r); l != "" {
		return l
	}
	return strconv.Itoa(r + 1)
}

// rowSuffix is " [1, 2]", the leading indices of row r of an N-D result,
// for a label that numbers rows; "" otherwise.
func rowSuffix(r *compute.Result, row int) string {
	if r == nil {
		return ""
	}
	if l := rowLabel(r.Shape, row); l != "" {
		return " " + l
	}
	return ""
}

func checkRagged(sd side, rows [][]float64) error {
	for i, r := range rows {
		if len(r) != len(rows[0]) {
			return &InputError{Problem: inputRagged, Side: sd, Row: i, Got: len(r), Want: len(rows[0])}
		}
	}
	return nil
}

func parseTemp(sd side, t string) (float64, error) {
	if strings.TrimSpace(t) == "" {
		return 1, nil
	}
	// Like PyTorch, any number is accepted: 0, negative, infinite and NaN
	// temperatures are computed and explained by compute's WarnTemperature.
	v, err := parseCell(t)
	if err != nil {
		return 0, &InputError{Problem: inputTemperature, Side: sd, Text: short(t)}
	}
	return v, nil
}

// detach gives the state outer slices of its own, so that an edit can
// replace, add and remove rows. The views hold the rows they last drew and
// go-app compares them with the new ones (docs/goapp.md §3), so an edit
// must never write into a row a view still holds: setCell clones the row
// it changes. Cloning every row instead copied 200 000 strings per
// keystroke at 100 000 values.
func (s *State) detach() {
	s.P, s.Q = slices.Clone(s.P), slices.Clone(s.Q)
	// PVals and QVals are replaced whole, never written into.
}

// setCell sets a cell of a detached state. The row is cloned first: a
// view may hold the old one (see detach).
func (s *State) setCell(sd side, row, col int, v string) {
	s.materialize(sd)
	rows := *s.rows(sd)
	if row < len(rows) && col < len(rows[row]) {
		rows[row] = slices.Clone(rows[row])
		rows[row][col] = v
	}
}

// sameInputs reports whether s and t give compute the same sides, dtype
// and unit: the same rows (the same slices, which keepUnchanged keeps
// across an edit that leaves them), forms, temperatures and shapes. The
// reduction may differ.
func (s State) sameInputs(t State) bool {
	return sameSlice(s.P, t.P) && sameSlice(s.Q, t.Q) && sameSlice(s.PVals, t.PVals) && sameSlice(s.QVals, t.QVals) && s.PForm == t.PForm && s.QForm == t.QForm &&
		s.PTemp == t.PTemp && s.QTemp == t.QTemp && s.DType == t.DType && s.Unit == t.Unit &&
		s.effectiveDims() == t.effectiveDims() && slices.Equal(s.PShape, t.PShape) && slices.Equal(s.QShape, t.QShape)
}

// keepUnchanged gives s back the rows of old that an edit left as they
// were: a child showing them then compares equal at once, since
// reflect.DeepEqual stops at equal slice pointers (comparing 100 000
// cells took 10 ms per edit). Safe because every edit detaches first.
func (s *State) keepUnchanged(old State) {
	s.P, s.Q = keepRows(s.P, old.P), keepRows(s.Q, old.Q)
}

func keepRows(rows, old [][]string) [][]string {
	same := len(rows) == len(old)
	for i := range rows {
		if i < len(old) && slices.Equal(rows[i], old[i]) {
			rows[i] = old[i]
		} else {
			same = false
		}
	}
	if same {
		return old
	}
	return rows
}

// resize changes a side's grid. A class added or removed goes to the
// other side too while both have as many and the link is on, so that P
// and Q keep broadcasting. Rows grow by append, which never writes within
// the length another slice of the same row sees.
func (s *State) resize(sd side, op resizeOp) {
	s.materialize(sd)
	both := (op == addCol || op == removeCol) && !s.Unlinked && s.numCols(sideP) == s.numCols(sideQ)
	*s.rows(sd) = resize(*s.rows(sd), op)
	s.reshape(sd, op)
	if both {
		other := sideP
		if sd == sideP {
			other = sideQ
		}
		s.materialize(other)
		*s.rows(other) = resize(*s.rows(other), op)
		s.reshape(other, op)
	}
}

// shape is a pointer to a side's shape of more than two dimensions.
func (s *State) shape(sd side) *[]int {
	if sd == sideQ {
		return &s.QShape
	}
	return &s.PShape
}

// reshape follows a resize in a side's shape: a class added or removed
// changes the last dimension; a row added or removed no longer fills the
// leading ones, and the side becomes rows × classes.
func (s *State) reshape(sd side, op resizeOp) {
	sh := s.shape(sd)
	if *sh == nil {
		return
	}
	switch op {
	case addCol, removeCol:
		n := slices.Clone(*sh)
		n[len(n)-1] = len((*s.rows(sd))[0])
		*sh = n
	default:
		*sh = nil
	}
}

// swap exchanges P and Q: their cells, forms and temperatures.
func (s *State) swap() {
	s.P, s.Q = s.Q, s.P
	s.PVals, s.QVals = s.QVals, s.PVals
	s.PForm, s.QForm = s.QForm, s.PForm
	s.PTemp, s.QTemp = s.QTemp, s.PTemp
	s.PShape, s.QShape = s.QShape, s.PShape
}
