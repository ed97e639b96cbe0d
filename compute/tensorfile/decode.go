package tensorfile

import (
	"encoding/binary"
	"math"
	"strconv"
)

// maxExact is 2^53: every integer of at most this magnitude is a float64,
// and above it float64 skips integers.
const maxExact = 1 << 53

// decode widens the elements in src, of type dt and byte order bo, into
// dst (len(dst) × dt.Size() == len(src)). base is src's offset in the
// file, for the position of an integer that is not exact.
func decode(dst []float64, src []byte, dt DType, bo binary.ByteOrder, tensor string, base int64) error {
	switch dt {
	case Float16:
		for i := range dst {
			dst[i] = Float16ToFloat64(bo.Uint16(src[2*i:]))
		}
	case BFloat16:
		for i := range dst {
			dst[i] = BFloat16ToFloat64(bo.Uint16(src[2*i:]))
		}
	case Float32:
		// The little-endian loop is the hot path (every safetensors file);
		// indexing by a concrete type lets the compiler inline it.
		if bo == binary.LittleEndian {
			src = src[:4*len(dst)]
			for i := range dst {
				dst[i] = Float32ToFloat64(binary.LittleEndian.Uint32(src[4*i:]))
			}
		} else {
			for i := range dst {
				dst[i] = Float32ToFloat64(bo.Uint32(src[4*i:]))
			}
		}
	case Float64:
		// Float64frombits is a reinterpretation: NaN payloads survive.
		for i := range dst {
			dst[i] = math.Float64frombits(bo.Uint64(src[8*i:]))
		}
	case Int8:
		for i := range dst {
			dst[i] = float64(int8(src[i]))
		}
	case Uint8:
		for i := range dst {
			dst[i] = float64(src[i])
		}
	case Bool:
		// Any non-zero byte is true, as for NumPy's and PyTorch's bool.
		for i := range dst {
			if src[i] != 0 {
				dst[i] = 1
			} else {
				dst[i] = 0
			}
		}
	case Int16:
		for i := range dst {
			dst[i] = float64(int16(bo.Uint16(src[2*i:])))
		}
	case Uint16:
		for i := range dst {
			dst[i] = float64(bo.Uint16(src[2*i:]))
		}
	case Int32:
		for i := range dst {
			dst[i] = float64(int32(bo.Uint32(src[4*i:])))
		}
	case Uint32:
		for i := range dst {
			dst[i] = float64(bo.Uint32(src[4*i:]))
		}
	case Int64:
		for i := range dst {
			v := int64(bo.Uint64(src[8*i:]))
			if v > maxExact || v < -maxExact {
				return newError(ErrNotExact, tensor, base+int64(8*i), strconv.FormatInt(v, 10))
			}
			dst[i] = float64(v)
		}
	case Uint64:
		for i := range dst {
			v := bo.Uint64(src[8*i:])
			if v > maxExact {
				return newError(ErrNotExact, tensor, base+int64(8*i), strconv.FormatUint(v, 10))
			}
			dst[i] = float64(v)
		}
	}
	return nil
}

// encode appends the values of src, stored as dt in byte order bo, to dst.
// Floats are rounded to nearest, ties to even; an integer or bool dtype
// takes only the values it holds exactly (and, for 64-bit integers, only
// those within ±2^53, which read back without ambiguity).
func encode(dst []byte, src []float64, dt DType, bo binary.AppendByteOrder, tensor string) ([]byte, error) {
	switch dt {
	case Float16:
		for _, v := range src {
			dst = bo.AppendUint16(dst, Float64ToFloat16(v))
		}
		return dst, nil
	case BFloat16:
		for _, v := range src {
			dst = bo.AppendUint16(dst, Float64ToBFloat16(v))
		}
		return dst, nil
	case Float32:
		for _, v := range src {
			dst = bo.AppendUint32(dst, Float64ToFloat32(v))
		}
		return dst, nil
	case Float64:
		for _, v := range src {
			dst = bo.AppendUint64(dst, math.Float64bits(v))
		}
		return dst, nil
	}
	lo, hi := intRange(dt)
	for _, v := range src {
		if !holds(v, lo, hi) {
			return dst, newError(ErrNotExact, tensor, -1, strconv.FormatFloat(v, 'g', -1, 64))
		}
		switch dt.Size() {
		case 1:
			dst = append(dst, byte(int64(v)))
		case 2:
			dst = bo.AppendUint16(dst, uint16(int64(v)))
		case 4:
			dst = bo.AppendUint32(dst, uint32(int64(v)))
		case 8:
			dst = bo.AppendUint64(dst, uint64(int64(v)))
		}
	}
	return dst, nil
}

// holds reports whether v is an integer in [lo, hi]; NaN is not.
func holds(v, lo, hi float64) bool { return v >= lo && v <= hi && v == math.Trunc(v) }

// intRange returns the least and greatest value that an integer or bool
// dtype stores for the writers.
func intRange(dt DType) (lo, hi float64) {
	switch dt {
	case Bool:
		return 0, 1
	case Int8:
		return math.MinInt8, math.MaxInt8
	case Int16:
		return math.MinInt16, math.MaxInt16
	case Int32:
		return math.MinInt32, math.MaxInt32
	case Int64:
		return -maxExact, maxExact
	case Uint8:
		return 0, math.MaxUint8
	case Uint16:
		return 0, math.MaxUint16
	case Uint32:
		return 0, math.MaxUint32
	case Uint64:
		return 0, maxExact
	}
	return 1, 0 // nothing
}

// fortranToC returns the column-major values f of an array of the given
// shape in row-major order.
func fortranToC(f []float64, shape []int) []float64 {
	c := make([]float64, len(f))
	if len(f) == 0 {
		return c
	}
	nd := len(shape)
	stride := make([]int, nd) // column-major strides, in elements
	s := 1
	for k, d := range shape {
		stride[k] = s
		s *= d
	}
	idx := make([]int, nd)
	off := 0
	for i := range c {
		c[i] = f[off]
		// Step the row-major index, last axis fastest, and keep the
		// column-major offset in step with it.
		for k := nd - 1; k >= 0; k-- {
			idx[k]++
			off += stride[k]
			if idx[k] < shape[k] {
				break
			}
			off -= stride[k] * shape[k]
			idx[k] = 0
		}
	}
	return c
}
