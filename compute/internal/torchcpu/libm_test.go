package torchcpu

import (
	"math"
	"testing"
)

// Special cases. The wanted bits are those of glibc 2.36's log and logf on
// Debian 12 x86-64 (FMA variant), called through ctypes; they are also rows
// of the "special" section of testdata/libm/*.txt.gz.
var libmLogSpecial = []struct {
	name    string
	in, out uint64
}{
	{"+0", 0x0000000000000000, 0xfff0000000000000},
	{"-0", 0x8000000000000000, 0xfff0000000000000},
	{"1", 0x3ff0000000000000, 0x0000000000000000},
	{"2", 0x4000000000000000, 0x3fe62e42fefa39ef},
	{"0.5", 0x3fe0000000000000, 0xbfe62e42fefa39ef},
	{"+Inf", 0x7ff0000000000000, 0x7ff0000000000000},
	{"-Inf", 0xfff0000000000000, 0xfff8000000000000},
	{"-1", 0xbff0000000000000, 0xfff8000000000000},
	{"-min subnormal", 0x8000000000000001, 0xfff8000000000000},
	{"qNaN", 0x7ff8000000000000, 0x7ff8000000000000},
	{"-qNaN", 0xfff8000000000000, 0xfff8000000000000},
	{"sNaN", 0x7ff0000000000001, 0x7ff8000000000001},
	{"-sNaN payload", 0xfff0000000001234, 0xfff8000000001234},
	{"min subnormal", 0x0000000000000001, 0xc0874385446d71c3},
	{"max subnormal", 0x000fffffffffffff, 0xc086232bdd7abcd2},
	{"min normal", 0x0010000000000000, 0xc086232bdd7abcd2},
	{"max finite", 0x7fefffffffffffff, 0x40862e42fefa39ef},
}

var libmLogfSpecial = []struct {
	name    string
	in, out uint32
}{
	{"+0", 0x00000000, 0xff800000},
	{"-0", 0x80000000, 0xff800000},
	{"1", 0x3f800000, 0x00000000},
	{"2", 0x40000000, 0x3f317218},
	{"0.5", 0x3f000000, 0xbf317218},
	{"+Inf", 0x7f800000, 0x7f800000},
	{"-Inf", 0xff800000, 0xffc00000},
	{"-1", 0xbf800000, 0xffc00000},
	{"-min subnormal", 0x80000001, 0xffc00000},
	{"qNaN", 0x7fc00000, 0x7fc00000},
	{"-qNaN", 0xffc00000, 0xffc00000},
	{"sNaN", 0x7f800001, 0x7fc00001},
	{"-sNaN payload", 0xff801234, 0xffc01234},
	{"min subnormal", 0x00000001, 0xc2ce8ed0},
	{"max subnormal", 0x007fffff, 0xc2aeac50},
	{"min normal", 0x00800000, 0xc2aeac50},
	{"max finite", 0x7f7fffff, 0x42b17218},
}

func TestLibmLogSpecial(t *testing.T) {
	for _, c := range libmLogSpecial {
		got := math.Float64bits(LibmLog(math.Float64frombits(c.in)))
		if got != c.out {
			t.Errorf("LibmLog(%s = %#016x) = %#016x, want %#016x", c.name, c.in, got, c.out)
		}
	}
}

func TestLibmLogfSpecial(t *testing.T) {
	for _, c := range libmLogfSpecial {
		got := math.Float32bits(LibmLogf(math.Float32frombits(c.in)))
		if got != c.out {
			t.Errorf("LibmLogf(%s = %#08x) = %#08x, want %#08x", c.name, c.in, got, c.out)
		}
	}
}

// libmVector is one row of a corpus file, in the section named by the last
// comment line above it.
type libmVector struct {
	section string
	line    int
	in, out uint64
}

// readLibmVectors reads testdata/libm/name.txt.gz, written by gen.py there
// from the real glibc 2.36 log and logf: input and output bits.
func readLibmVectors(t *testing.T, name string) []libmVector {
	t.Helper()
	var vs []libmVector
	for _, v := range readVectors(t, "libm", name, 2) {
		vs = append(vs, libmVector{v.section, v.line, v.v[0], v.v[1]})
	}
	return vs
}

func TestLibmLogCorpus(t *testing.T) {
	vs := readLibmVectors(t, "log")
	bad := 0
	for _, v := range vs {
		got := math.Float64bits(LibmLog(math.Float64frombits(v.in)))
		if got != v.out {
			if bad++; bad <= 20 {
				t.Errorf("log.txt.gz:%d (%s): LibmLog(%#016x) = %#016x, want %#016x",
					v.line, v.section, v.in, got, v.out)
			}
		}
	}
	t.Logf("%d vectors, %d mismatches", len(vs), bad)
	if bad > 0 {
		t.Errorf("%d of %d vectors differ", bad, len(vs))
	}
}

func TestLibmLogfCorpus(t *testing.T) {
	vs := readLibmVectors(t, "logf")
	bad := 0
	for _, v := range vs {
		if v.in > math.MaxUint32 {
			t.Fatalf("logf.txt.gz:%d: input %#x is not 32 bits", v.line, v.in)
		}
		got := math.Float32bits(LibmLogf(math.Float32frombits(uint32(v.in))))
		if uint64(got) != v.out {
			if bad++; bad <= 20 {
				t.Errorf("logf.txt.gz:%d (%s): LibmLogf(%#08x) = %#08x, want %#08x",
					v.line, v.section, v.in, got, v.out)
			}
		}
	}
	t.Logf("%d vectors, %d mismatches", len(vs), bad)
	if bad > 0 {
		t.Errorf("%d of %d vectors differ", bad, len(vs))
	}
}

var libmSink float64

func BenchmarkLibmLog(b *testing.B) {
	x := 0x1.8p-3
	s := 0.0
	for b.Loop() {
		s += LibmLog(x)
		x += 0x1p-7
	}
	libmSink = s
}

func BenchmarkLibmLogf(b *testing.B) {
	x := float32(0x1.8p-3)
	s := float32(0)
	for b.Loop() {
		s += LibmLogf(x)
		x += 0x1p-7
	}
	libmSink = float64(s)
}
