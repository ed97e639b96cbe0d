package torchcpu

import "math"

// This file follows one lane of SLEEF 3.5.1's AVX2 build (helperavx2.h
// defines ENABLE_FMA_SP and ENABLE_FMA_DP; vmla, vfma, vfmapn and vfmanp are
// all _mm256_fmadd/fmsub/fnmadd, while vmul, vadd and vsub stay separate, and
// the library is compiled with -ffp-contract=off). Every a·b ± c of SLEEF's
// FMA code is FMA32 or FMA here; every plain product is written
// float32(a*b) or float64(a*b) so that Go never fuses it.

// Bit patterns of the NaNs the routines produce: SLEEF_NANf and SLEEF_NAN are
// __builtin_nan(""), the positive quiet NaN with no payload.
const (
	sleefNaN32 = 0x7fc00000
	sleefNaN64 = 0x7ff8000000000000
)

// Constants of SLEEF's src/common/misc.h: 1/ln 2, and ln 2 split into an
// upper part with trailing zero bits (so that q·L2U is exact) and the rest.
const (
	rln2f = float32(1.442695040888963407359924681001892137426645954152985934135449406931)
	l2uf  = float32(0.693145751953125)
	l2lf  = float32(1.428606765330187045e-06)

	rln2 = 1.442695040888963407359924681001892137426645954152985934135449406931
	l2u  = .69314718055966295651160180568695068359375
	l2l  = .28235290563031577122588448175013436025525412068e-12
)

// SleefExpf returns e^x as Sleef_expf8_u10 (SLEEF 3.5.1
// src/libm/sleefsimdsp.c, xexpf) computes one lane with AVX2: q = rint(x/ln2),
// s = x − q·ln2 with ln2 in two parts (two fused multiply-adds), e^s from a
// degree-7 polynomial (1 + s + s²·P5(s)) in float32 fused multiply-adds, and
// the result scaled by 2^q in two multiplications so that subnormal results
// are rounded once.
//
// Special cases are:
//
//	SleefExpf(+Inf) = +Inf
//	SleefExpf(-Inf) = +0
//	SleefExpf(x > 100) = +Inf
//	SleefExpf(x < -104) = +0
//	SleefExpf(NaN) = NaN (x's payload and sign, quieted)
//
// Below those cut-offs the result overflows to +Inf for x ≥ 88.72284
// (0x42b17218; 0x42b17217 gives 3.4027985e+38), is subnormal for
// x < -87.33654 (0xc2aeac4f gives the least normal result) and rounds to +0
// for x < -103.97208 (0xc2cff1b4 gives 2^-149); ±0 and subnormal x give 1.
// Subnormals are neither flushed nor treated as zero.
func SleefExpf(x float32) float32 {
	switch {
	case x != x:
		return math.Float32frombits(math.Float32bits(x) | 0x00400000)
	case x < -104:
		return 0
	case x > 100:
		return float32(math.Inf(1))
	}
	// |x·(1/ln2)| ≤ 151, so vcvtps2dq cannot overflow here.
	q := int32(math.RoundToEven(float64(float32(x * rln2f))))
	qf := float32(q)
	s := FMA32(qf, -l2uf, x)
	s = FMA32(qf, -l2lf, s)

	u := float32(0.000198527617612853646278381)
	u = FMA32(u, s, 0.00139304355252534151077271)
	u = FMA32(u, s, 0.00833336077630519866943359)
	u = FMA32(u, s, 0.0416664853692054748535156)
	u = FMA32(u, s, 0.166666671633720397949219)
	u = FMA32(u, s, 0.5)
	u = 1 + FMA32(float32(s*s), u, s)

	return ldexp2f(u, q)
}

// SleefLogf returns the natural logarithm of x as Sleef_logf8_u10 (SLEEF
// 3.5.1 src/libm/sleefsimdsp.c, xlogf_u1) computes one lane with AVX2: x is
// split as m·2^e with m in [0.75, 1.5) (subnormals are scaled by 2^64 first),
// and log x = e·ln2 + 2·atanh(r) with r = (m−1)/(m+1) formed as a float32 pair
// (double-float division); 2r is kept as a pair, and only the r³ tail, a
// degree-2 polynomial in r², is in plain float32. The double-float products
// and the division use fused multiply-adds, as SLEEF's df.h does under
// ENABLE_FMA_SP.
//
// Special cases are:
//
//	SleefLogf(+Inf) = +Inf
//	SleefLogf(±0) = -Inf
//	SleefLogf(1) = +0
//	SleefLogf(x < 0) = NaN
//	SleefLogf(-Inf) = NaN
//	SleefLogf(NaN) = NaN
//
// Every NaN result is the positive quiet NaN 0x7fc00000, whatever the input.
// Subnormal x gives its true logarithm (SleefLogf(2^-149) = -103.27893);
// subnormals are not flushed.
func SleefLogf(x float32) float32 {
	switch {
	case x != x || x < 0:
		return math.Float32frombits(sleefNaN32)
	case x == 0:
		return float32(math.Inf(-1))
	case math.IsInf(float64(x), 1):
		return x
	}
	const fltMin = 0x1p-126
	sub := x < fltMin
	if sub {
		x = float32(x * 0x1p64)
	}
	e := ilogb2kf(float32(x * (1.0 / 0.75)))
	m := ldexp3f(x, -e)
	if sub {
		e -= 64
	}
	s := df32{0.69314718246459960938, -1.904654323148236017e-09}.mulF(float32(e))

	r := dfAdd2(-1, m).div(dfAdd2(1, m))
	r2 := float32(r.hi * r.hi)

	t := float32(0.3027294874)
	t = FMA32(t, r2, 0.3996108174)
	t = FMA32(t, r2, 0.6666694880)

	s = s.add(r.scale(2))
	s = s.addF(float32(float32(r2*r.hi) * t))
	return s.hi + s.lo
}

// SleefExp returns e^x as Sleef_expd4_u10 (SLEEF 3.5.1
// src/libm/sleefsimddp.c, xexp, ENABLE_FMA_DP branch) computes one lane with
// AVX2: q = rint(x/ln2), s = x − q·ln2 with ln2 in two parts, e^s from a
// degree-12 polynomial (Estrin's scheme for the top ten coefficients, then
// Horner steps for 1/2, 1 and 1) in fused multiply-adds, and the result
// scaled by 2^q in two multiplications so that subnormal results are rounded
// once.
//
// Special cases are:
//
//	SleefExp(+Inf) = +Inf
//	SleefExp(-Inf) = +0
//	SleefExp(x > 709.78271114955742909217217426) = +Inf
//	SleefExp(x < -1000) = +0
//	SleefExp(NaN) = NaN (x's payload and sign, quieted)
//
// The overflow cut-off is below ln(MaxFloat64) ≈ 709.782712893384: the
// cut-off itself (0x40862e42fe102c83) gives 1.79769e+308, and the x above it
// give +Inf although e^x is finite up to 709.782712893384. Results are
// subnormal below x ≈ -708.396 and round to +0 below x ≈ -745.133; ±0 and
// subnormal x give 1. Subnormals are neither flushed nor treated as zero.
func SleefExp(x float64) float64 {
	switch {
	case x != x:
		return math.Float64frombits(math.Float64bits(x) | 1<<51)
	case x > 709.78271114955742909217217426:
		return math.Inf(1)
	case x < -1000:
		return 0
	}
	u := math.RoundToEven(float64(x * rln2))
	q := int32(u)
	// u·l2u is exact (l2u has 41 significant bits, |u| < 2^11), so the
	// fused x − u·l2u is one rounding of the difference.
	s := x - float64(u*l2u)
	s = FMA(u, -l2l, s)

	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	s8 := float64(s4 * s4)
	// POLY10 of SLEEF's estrin.h (Estrin's scheme): the coefficients of
	// s^12 down to s^3; the three Horner steps below add s^2/2, s and 1.
	p98 := FMA(s, +0.2081276378237164457e-8, +0.2511210703042288022e-7)
	p74 := FMA(s2,
		FMA(s, +0.2755762628169491192e-6, +0.2755723402025388239e-5),
		FMA(s, +0.2480158687479686264e-4, +0.1984126989855865850e-3))
	p30 := FMA(s2,
		FMA(s, +0.1388888888914497797e-2, +0.8333333333314938210e-2),
		FMA(s, +0.4166666666666602598e-1, +0.1666666666666669072e+0))
	u = FMA(s8, p98, FMA(s4, p74, p30))
	u = FMA(u, s, 0.5)
	u = FMA(u, s, 1)
	u = FMA(u, s, 1)

	return ldexp2(u, q)
}

// SleefLog returns the natural logarithm of x as Sleef_logd4_u10 (SLEEF
// 3.5.1 src/libm/sleefsimddp.c, xlog_u1) computes one lane with AVX2: x is
// split as m·2^e with m in [0.75, 1.5) (subnormals are scaled by 2^64 first),
// and log x = e·ln2 + 2·atanh(r) with r = (m−1)/(m+1) formed as a float64
// pair (double-double division); e·ln2 and 2r are kept as pairs, and only
// the r³ tail, a degree-6 polynomial in r² (Estrin's scheme), is in plain
// float64. The double-double products and the division use fused
// multiply-adds, as SLEEF's dd.h does under ENABLE_FMA_DP.
//
// Special cases are:
//
//	SleefLog(+Inf) = +Inf
//	SleefLog(±0) = -Inf
//	SleefLog(1) = +0
//	SleefLog(x < 0) = NaN
//	SleefLog(-Inf) = NaN
//	SleefLog(NaN) = NaN
//
// Every NaN result is the positive quiet NaN 0x7ff8000000000000, whatever
// the input. Subnormal x gives its true logarithm (SleefLog(2^-1074) =
// -744.4400719213812); subnormals are not flushed.
func SleefLog(x float64) float64 {
	switch {
	case x != x || x < 0:
		return math.Float64frombits(sleefNaN64)
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	const dblMin = 0x1p-1022
	sub := x < dblMin
	if sub {
		x = float64(x * 0x1p64)
	}
	e := ilogb2k(float64(x * (1.0 / 0.75)))
	m := ldexp3(x, -e)
	if sub {
		e -= 64
	}

	r := ddAdd2(-1, m).div(ddAdd2(1, m))
	r2 := float64(r.hi * r.hi)
	r4 := float64(r2 * r2)
	r8 := float64(r4 * r4)
	// POLY7 of SLEEF's estrin.h in r²: log m = 2r + r³·t(r²), where t's
	// coefficients are minimax adjustments of 2/15, 2/13, ..., 2/5, 2/3.
	t := FMA(r8,
		FMA(r4, 0.1532076988502701353e+0, FMA(r2, 0.1525629051003428716e+0, 0.1818605932937785996e+0)),
		FMA(r4,
			FMA(r2, 0.2222214519839380009e+0, 0.2857142932794299317e+0),
			FMA(r2, 0.3999999999635251990e+0, 0.6666666666667333541e+0)))

	s := dd64{0.693147180559945286226764, 2.319046813846299558417771e-17}.mulF(float64(e))
	s = s.add(r.scale(2))
	s = s.addF(float64(float64(r2*r.hi) * t))
	return s.hi + s.lo
}

// ldexp2f returns u·2^q as SLEEF's vldexp2_vf_vf_vi2 does: two multiplications
// by 2^(q>>1) and 2^(q−q>>1), each a power of two built from its exponent
// bits, so |q| up to about 252 works and a subnormal result is rounded once.
func ldexp2f(u float32, q int32) float32 {
	h := q >> 1
	u = float32(u * pow2if(h))
	return float32(u * pow2if(q-h))
}

// pow2if returns 2^q for q in [-126, 127] by writing the exponent field.
func pow2if(q int32) float32 {
	return math.Float32frombits(uint32(q+0x7f) << 23)
}

// ilogb2kf returns the unbiased exponent field of x (vilogb2k_vi2_vf): no
// special handling of zero, subnormals, Inf or NaN, which callers exclude.
func ilogb2kf(x float32) int32 {
	return int32(math.Float32bits(x)>>23&0xff) - 0x7f
}

// ldexp3f returns x·2^q by adding q to the exponent field (vldexp3_vf_vf_vi2),
// which is exact as long as the result stays normal.
func ldexp3f(x float32, q int32) float32 {
	return math.Float32frombits(math.Float32bits(x) + uint32(q)<<23)
}

// ldexp2 is ldexp2f for float64 (vldexp2_vd_vd_vi).
func ldexp2(u float64, q int32) float64 {
	h := q >> 1
	u = float64(u * pow2i(h))
	return float64(u * pow2i(q-h))
}

// pow2i returns 2^q for q in [-1022, 1023] (vpow2i_vd_vi).
func pow2i(q int32) float64 {
	return math.Float64frombits(uint64(q+0x3ff) << 52)
}

// ilogb2k is ilogb2kf for float64 (vilogb2k_vi_vd).
func ilogb2k(x float64) int32 {
	return int32(math.Float64bits(x)>>52&0x7ff) - 0x3ff
}

// ldexp3 is ldexp3f for float64 (vldexp3_vd_vd_vi).
func ldexp3(x float64, q int32) float64 {
	return math.Float64frombits(math.Float64bits(x) + uint64(q)<<52)
}

// df32 is an unevaluated sum hi + lo of two float32s (SLEEF's vfloat2), with
// |lo| at most half an ulp of hi after normalisation. The methods are the
// FMA_SP versions of SLEEF's df.h helpers named in their comments.
type df32 struct{ hi, lo float32 }

// dfAdd2 returns a + b exactly as a pair, for any magnitudes (Knuth's
// TwoSum; dfadd2_vf2_vf_vf).
func dfAdd2(a, b float32) df32 {
	s := a + b
	v := s - a
	return df32{s, (a - (s - v)) + (b - v)}
}

// scale returns x·k for a power of two k (dfscale_vf2_vf2_vf).
func (x df32) scale(k float32) df32 {
	return df32{float32(x.hi * k), float32(x.lo * k)}
}

// add returns x + y for |x| ≥ |y| (dfadd_vf2_vf2_vf2).
func (x df32) add(y df32) df32 {
	s := x.hi + y.hi
	return df32{s, x.hi - s + y.hi + x.lo + y.lo}
}

// addF returns x + y for |x.hi| ≥ |y| (dfadd_vf2_vf2_vf).
func (x df32) addF(y float32) df32 {
	s := x.hi + y
	return df32{s, x.hi - s + y + x.lo}
}

// mulF returns x·y; the rounding error of x.hi·y comes from one fused
// multiply-subtract (dfmul_vf2_vf2_vf).
func (x df32) mulF(y float32) df32 {
	s := float32(x.hi * y)
	return df32{s, FMA32(x.lo, y, FMA32(x.hi, y, -s))}
}

// div returns n/d from one float32 division and fused corrections
// (dfdiv_vf2_vf2_vf2).
func (n df32) div(d df32) df32 {
	t := 1 / d.hi
	s := float32(n.hi * t)
	u := FMA32(t, n.hi, -s)
	v := FMA32(-d.lo, t, FMA32(-d.hi, t, 1))
	return df32{s, FMA32(s, v, FMA32(n.lo, t, u))}
}

// dd64 is df32 for float64 (SLEEF's vdouble2 and the FMA_DP helpers of dd.h).
type dd64 struct{ hi, lo float64 }

// ddAdd2 is dfAdd2 for float64 (ddadd2_vd2_vd_vd).
func ddAdd2(a, b float64) dd64 {
	s := a + b
	v := s - a
	return dd64{s, (a - (s - v)) + (b - v)}
}

// scale is df32.scale for float64 (ddscale_vd2_vd2_vd).
func (x dd64) scale(k float64) dd64 {
	return dd64{float64(x.hi * k), float64(x.lo * k)}
}

// add is df32.add for float64 (ddadd_vd2_vd2_vd2).
func (x dd64) add(y dd64) dd64 {
	s := x.hi + y.hi
	return dd64{s, x.hi - s + y.hi + x.lo + y.lo}
}

// addF is df32.addF for float64 (ddadd_vd2_vd2_vd).
func (x dd64) addF(y float64) dd64 {
	s := x.hi + y
	return dd64{s, x.hi - s + y + x.lo}
}

// mulF is df32.mulF for float64 (ddmul_vd2_vd2_vd).
func (x dd64) mulF(y float64) dd64 {
	s := float64(x.hi * y)
	return dd64{s, FMA(x.lo, y, prodErr(x.hi, y, s))}
}

// div is df32.div for float64 (dddiv_vd2_vd2_vd2).
func (n dd64) div(d dd64) dd64 {
	t := 1 / d.hi
	s := float64(n.hi * t)
	u := prodErr(t, n.hi, s)
	// fma(−d.hi, t, 1): d.hi·t is within an ulp of 1, so 1 − fl(d.hi·t)
	// is exact and subtracting the product's error rounds once.
	p := float64(d.hi * t)
	v := FMA(-d.lo, t, (1-p)-prodErr(d.hi, t, p))
	return dd64{s, FMA(s, v, FMA(n.lo, t, u))}
}
