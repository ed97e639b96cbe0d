package torchcpu

import (
	"math"
	"testing"
)

// sleefCase is one special case: input and wanted result as bit patterns.
type sleefCase struct {
	name    string
	in, out uint64
}

// Special cases. Every wanted result was printed by /usr/bin/python3 with
// Debian's python3-torch 1.13.1 and libsleef3 3.5.1 (ATEN_CPU_CAPABILITY=avx2,
// torch.set_num_threads(1)): torch.exp or torch.log of a contiguous tensor
// built from the input bits with numpy's view, for example
//
//	x = torch.from_numpy(np.array([0x7f800001], dtype=np.uint32).view(np.float32))
//	torch.exp(x).numpy().view(np.uint32)  # array([0x7fc00001])
//
// The comments give the values in decimal.

var sleefExpfSpecial = []sleefCase{ // torch.exp, float32 (Sleef_expf8_u10)
	{"+0", 0x00000000, 0x3f800000},                       // exp(0.0) = 1.0
	{"-0", 0x80000000, 0x3f800000},                       // exp(-0.0) = 1.0
	{"+Inf", 0x7f800000, 0x7f800000},                     // exp(inf) = inf
	{"-Inf", 0xff800000, 0x00000000},                     // exp(-inf) = 0.0
	{"NaN", 0x7fc00000, 0x7fc00000},                      // exp(nan) = nan
	{"-NaN with payload", 0xffc12345, 0xffc12345},        // exp(nan) = nan
	{"signalling NaN", 0x7f800001, 0x7fc00001},           // exp(nan) = nan
	{"least subnormal", 0x00000001, 0x3f800000},          // exp(1.401298464324817e-45) = 1.0
	{"-greatest subnormal", 0x807fffff, 0x3f800000},      // exp(-1.1754942106924411e-38) = 1.0
	{"FLT_MIN", 0x00800000, 0x3f800000},                  // exp(1.1754943508222875e-38) = 1.0
	{"MaxFloat32", 0x7f7fffff, 0x7f800000},               // exp(3.4028234663852886e+38) = inf
	{"1", 0x3f800000, 0x402df854},                        // exp(1.0) = 2.7182817459106445
	{"-1", 0xbf800000, 0x3ebc5ab2},                       // exp(-1.0) = 0.3678794503211975
	{"-104, the cut-off itself", 0xc2d00000, 0x00000000}, // exp(-104.0) = 0.0
	{"just below -104", 0xc2d00001, 0x00000000},          // exp(-104.00000762939453) = 0.0
	{"~ln(2^-150)", 0xc2cff1b4, 0x00000001},              // exp(-103.97207641601562) = 1.401298464324817e-45
	{"-103.9720687866211", 0xc2cff1b3, 0x00000001},       // exp(-103.9720687866211) = 1.401298464324817e-45
	{"-103.97208404541016", 0xc2cff1b5, 0x00000000},      // exp(-103.97208404541016) = 0.0
	{"~ln(FLT_MIN)", 0xc2aeac4f, 0x00800026},             // exp(-87.33654022216797) = 1.175499675756452e-38
	{"~ln(MaxFloat32)", 0x42b17218, 0x7f800000},          // exp(88.72283935546875) = inf
	{"88.72284698486328", 0x42b17219, 0x7f800000},        // exp(88.72284698486328) = inf
	{"100", 0x42c80000, 0x7f800000},                      // exp(100.0) = inf
	{"just above 100", 0x42c80001, 0x7f800000},           // exp(100.00000762939453) = inf
	{"0.5", 0x3f000000, 0x3fd3094c},                      // exp(0.5) = 1.6487212181091309
}

var sleefLogfSpecial = []sleefCase{ // torch.log, float32 (Sleef_logf8_u10)
	{"+0", 0x00000000, 0xff800000},                  // log(0.0) = -inf
	{"-0", 0x80000000, 0xff800000},                  // log(-0.0) = -inf
	{"+Inf", 0x7f800000, 0x7f800000},                // log(inf) = inf
	{"-Inf", 0xff800000, 0x7fc00000},                // log(-inf) = nan
	{"NaN", 0x7fc00000, 0x7fc00000},                 // log(nan) = nan
	{"-NaN with payload", 0xffc12345, 0x7fc00000},   // log(nan) = nan
	{"signalling NaN", 0x7f800001, 0x7fc00000},      // log(nan) = nan
	{"least subnormal", 0x00000001, 0xc2ce8ed0},     // log(1.401298464324817e-45) = -103.2789306640625
	{"-greatest subnormal", 0x807fffff, 0x7fc00000}, // log(-1.1754942106924411e-38) = nan
	{"FLT_MIN", 0x00800000, 0xc2aeac50},             // log(1.1754943508222875e-38) = -87.3365478515625
	{"MaxFloat32", 0x7f7fffff, 0x42b17218},          // log(3.4028234663852886e+38) = 88.72283935546875
	{"1", 0x3f800000, 0x00000000},                   // log(1.0) = 0.0
	{"-1", 0xbf800000, 0x7fc00000},                  // log(-1.0) = nan
	{"greatest subnormal", 0x007fffff, 0xc2aeac50},  // log(1.1754942106924411e-38) = -87.3365478515625
	{"-least subnormal", 0x80000001, 0x7fc00000},    // log(-1.401298464324817e-45) = nan
	{"2", 0x40000000, 0x3f317218},                   // log(2.0) = 0.6931471824645996
	{"0.5", 0x3f000000, 0xbf317218},                 // log(0.5) = -0.6931471824645996
	{"0.75", 0x3f400000, 0xbe934b11},                // log(0.75) = -0.28768208622932434
	{"below 1.5", 0x3fbfffff, 0x3ecf991d},           // log(1.4999998807907104) = 0.4054650366306305
	{"1+ulp", 0x3f800001, 0x33ffffff},               // log(1.0000001192092896) = 1.1920928244535389e-07
	{"1-ulp/2", 0x3f7fffff, 0xb3800000},             // log(0.9999999403953552) = -5.960464477539063e-08
}

var sleefExpSpecial = []sleefCase{ // torch.exp, float64 (Sleef_expd4_u10)
	{"+0", 0x0000000000000000, 0x3ff0000000000000},                     // exp(0.0) = 1.0
	{"-0", 0x8000000000000000, 0x3ff0000000000000},                     // exp(-0.0) = 1.0
	{"+Inf", 0x7ff0000000000000, 0x7ff0000000000000},                   // exp(inf) = inf
	{"-Inf", 0xfff0000000000000, 0x0000000000000000},                   // exp(-inf) = 0.0
	{"NaN", 0x7ff8000000000000, 0x7ff8000000000000},                    // exp(nan) = nan
	{"-NaN with payload", 0xfff8000000012345, 0xfff8000000012345},      // exp(nan) = nan
	{"signalling NaN", 0x7ff0000000000001, 0x7ff8000000000001},         // exp(nan) = nan
	{"least subnormal", 0x0000000000000001, 0x3ff0000000000000},        // exp(5e-324) = 1.0
	{"-greatest subnormal", 0x800fffffffffffff, 0x3ff0000000000000},    // exp(-2.225073858507201e-308) = 1.0
	{"DBL_MIN", 0x0010000000000000, 0x3ff0000000000000},                // exp(2.2250738585072014e-308) = 1.0
	{"MaxFloat64", 0x7fefffffffffffff, 0x7ff0000000000000},             // exp(1.7976931348623157e+308) = inf
	{"1", 0x3ff0000000000000, 0x4005bf0a8b145769},                      // exp(1.0) = 2.718281828459045
	{"-1", 0xbff0000000000000, 0x3fd78b56362cef38},                     // exp(-1.0) = 0.36787944117144233
	{"the cut-off itself", 0x40862e42fe102c83, 0x7feffffc57ca84a9},     // exp(709.7827111495575) = 1.7976900000001013e+308
	{"just above the cut-off", 0x40862e42fe102c84, 0x7ff0000000000000}, // exp(709.7827111495576) = inf
	{"~ln(MaxFloat64)", 0x40862e42fefa39ef, 0x7ff0000000000000},        // exp(709.782712893384) = inf
	{"-1000", 0xc08f400000000000, 0x0000000000000000},                  // exp(-1000.0) = 0.0
	{"just below -1000", 0xc08f400000000001, 0x0000000000000000},       // exp(-1000.0000000000001) = 0.0
	{"~ln(2^-1075)", 0xc0874910d52d3052, 0x0000000000000000},           // exp(-745.1332191019412) = 0.0
	{"-745.1332191019413", 0xc0874910d52d3053, 0x0000000000000000},     // exp(-745.1332191019413) = 0.0
	{"~ln(2^-1074)", 0xc0874385446d71c3, 0x0000000000000001},           // exp(-744.4400719213812) = 5e-324
	{"~ln(DBL_MIN)", 0xc086232bdd7abcd2, 0x001000000000007c},           // exp(-708.3964185322641) = 2.2250738585072626e-308
	{"0.5", 0x3fe0000000000000, 0x3ffa61298e1e069c},                    // exp(0.5) = 1.6487212707001282
}

var sleefLogSpecial = []sleefCase{ // torch.log, float64 (Sleef_logd4_u10)
	{"+0", 0x0000000000000000, 0xfff0000000000000},                  // log(0.0) = -inf
	{"-0", 0x8000000000000000, 0xfff0000000000000},                  // log(-0.0) = -inf
	{"+Inf", 0x7ff0000000000000, 0x7ff0000000000000},                // log(inf) = inf
	{"-Inf", 0xfff0000000000000, 0x7ff8000000000000},                // log(-inf) = nan
	{"NaN", 0x7ff8000000000000, 0x7ff8000000000000},                 // log(nan) = nan
	{"-NaN with payload", 0xfff8000000012345, 0x7ff8000000000000},   // log(nan) = nan
	{"signalling NaN", 0x7ff0000000000001, 0x7ff8000000000000},      // log(nan) = nan
	{"least subnormal", 0x0000000000000001, 0xc0874385446d71c3},     // log(5e-324) = -744.4400719213812
	{"-greatest subnormal", 0x800fffffffffffff, 0x7ff8000000000000}, // log(-2.225073858507201e-308) = nan
	{"DBL_MIN", 0x0010000000000000, 0xc086232bdd7abcd2},             // log(2.2250738585072014e-308) = -708.3964185322641
	{"MaxFloat64", 0x7fefffffffffffff, 0x40862e42fefa39ef},          // log(1.7976931348623157e+308) = 709.782712893384
	{"1", 0x3ff0000000000000, 0x0000000000000000},                   // log(1.0) = 0.0
	{"-1", 0xbff0000000000000, 0x7ff8000000000000},                  // log(-1.0) = nan
	{"greatest subnormal", 0x000fffffffffffff, 0xc086232bdd7abcd2},  // log(2.225073858507201e-308) = -708.3964185322641
	{"-least subnormal", 0x8000000000000001, 0x7ff8000000000000},    // log(-5e-324) = nan
	{"2", 0x4000000000000000, 0x3fe62e42fefa39ef},                   // log(2.0) = 0.6931471805599453
	{"0.5", 0x3fe0000000000000, 0xbfe62e42fefa39ef},                 // log(0.5) = -0.6931471805599453
	{"0.75", 0x3fe8000000000000, 0xbfd269621134db92},                // log(0.75) = -0.2876820724517809
	{"below 1.5", 0x3ff7ffffffffffff, 0x3fd9f323ecbf9849},           // log(1.4999999999999998) = 0.4054651081081642
	{"1+ulp", 0x3ff0000000000001, 0x3cafffffffffffff},               // log(1.0000000000000002) = 2.2204460492503128e-16
	{"1-ulp/2", 0x3fefffffffffffff, 0xbca0000000000000},             // log(0.9999999999999999) = -1.1102230246251565e-16
}

func TestSleefSpecial(t *testing.T) {
	f32 := func(f func(float32) float32) func(uint64) uint64 {
		return func(x uint64) uint64 { return uint64(math.Float32bits(f(math.Float32frombits(uint32(x))))) }
	}
	f64 := func(f func(float64) float64) func(uint64) uint64 {
		return func(x uint64) uint64 { return math.Float64bits(f(math.Float64frombits(x))) }
	}
	for _, tc := range []struct {
		name  string
		f     func(uint64) uint64
		cases []sleefCase
	}{
		{"SleefExpf", f32(SleefExpf), sleefExpfSpecial},
		{"SleefLogf", f32(SleefLogf), sleefLogfSpecial},
		{"SleefExp", f64(SleefExp), sleefExpSpecial},
		{"SleefLog", f64(SleefLog), sleefLogSpecial},
	} {
		for _, c := range tc.cases {
			if got := tc.f(c.in); got != c.out {
				t.Errorf("%s(%#x) [%s] = %#x, want %#x", tc.name, c.in, c.name, got, c.out)
			}
		}
	}
}

// TestSleefCorpus requires every result to be bit-identical to torch's,
// NaN payloads included.
func TestSleefCorpus(t *testing.T) {
	for _, tc := range []struct {
		file, name string
		f          func(uint64) uint64
	}{
		{"expf", "SleefExpf", func(x uint64) uint64 {
			return uint64(math.Float32bits(SleefExpf(math.Float32frombits(uint32(x)))))
		}},
		{"logf", "SleefLogf", func(x uint64) uint64 {
			return uint64(math.Float32bits(SleefLogf(math.Float32frombits(uint32(x)))))
		}},
		{"expd", "SleefExp", func(x uint64) uint64 { return math.Float64bits(SleefExp(math.Float64frombits(x))) }},
		{"logd", "SleefLog", func(x uint64) uint64 { return math.Float64bits(SleefLog(math.Float64frombits(x))) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs := readVectors(t, "sleef", tc.file, 2)
			bad := 0
			for _, v := range vs {
				if got := tc.f(v.v[0]); got != v.v[1] {
					if bad++; bad <= 20 {
						t.Errorf("%s.txt.gz:%d (%s): %s(%#x) = %#x, want %#x",
							tc.file, v.line, v.section, tc.name, v.v[0], got, v.v[1])
					}
				}
			}
			t.Logf("%d vectors, %d mismatches", len(vs), bad)
			if bad > 0 {
				t.Errorf("%d of %d vectors differ", bad, len(vs))
			}
		})
	}
}

// TestFMA32Corpus checks FMA32 against C's fmaf (glibc 2.36, x86-64, through
// ctypes; testdata/sleef/fmaf.txt.gz). Results must be bit-identical except
// that any NaN matches any NaN: which NaN's payload an FMA propagates is up
// to the hardware (and not fixed at all in WebAssembly), and FMA32 does not
// promise one.
func TestFMA32Corpus(t *testing.T) {
	vs := readVectors(t, "sleef", "fmaf", 4)
	bad := 0
	for _, v := range vs {
		a := math.Float32frombits(uint32(v.v[0]))
		b := math.Float32frombits(uint32(v.v[1]))
		c := math.Float32frombits(uint32(v.v[2]))
		got, want := FMA32(a, b, c), math.Float32frombits(uint32(v.v[3]))
		if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
			if bad++; bad <= 20 {
				t.Errorf("fmaf.txt.gz:%d (%s): FMA32(%#08x, %#08x, %#08x) = %#08x, want %#08x",
					v.line, v.section, v.v[0], v.v[1], v.v[2], math.Float32bits(got), v.v[3])
			}
		}
	}
	t.Logf("%d vectors, %d mismatches", len(vs), bad)
	if bad > 0 {
		t.Errorf("%d of %d vectors differ", bad, len(vs))
	}
}

var sleefSink float64

// The benchmarks sweep the ranges that matter for KL divergences: exp of
// log-probability differences and log of probabilities.

func BenchmarkSleefExpf(b *testing.B) {
	x, s := float32(-20), float32(0)
	for b.Loop() {
		s += SleefExpf(x)
		if x += 0x1p-6; x > 20 {
			x = -20
		}
	}
	sleefSink = float64(s)
}

func BenchmarkSleefLogf(b *testing.B) {
	x, s := float32(0x1p-20), float32(0)
	for b.Loop() {
		s += SleefLogf(x)
		if x *= 1.001; x > 2 {
			x = 0x1p-20
		}
	}
	sleefSink = float64(s)
}

func BenchmarkSleefExp(b *testing.B) {
	x, s := -20.0, 0.0
	for b.Loop() {
		s += SleefExp(x)
		if x += 0x1p-6; x > 20 {
			x = -20
		}
	}
	sleefSink = s
}

func BenchmarkSleefLog(b *testing.B) {
	x, s := 0x1p-20, 0.0
	for b.Loop() {
		s += SleefLog(x)
		if x *= 1.001; x > 2 {
			x = 0x1p-20
		}
	}
	sleefSink = s
}
