// Package tensorfile reads and writes the files in which machine-learning
// code dumps tensors: NumPy's .npy and .npz, and Hugging Face's
// .safetensors. It is pure Go with the standard library only, so that the
// calculator can decode a dropped file inside the browser, and it never
// trusts a size that a file states about itself.
//
// Every value is widened exactly to float64: the bits of a float16,
// bfloat16 or float32 come back as the float64 of the same value, NaN
// payloads, infinities, subnormals and negative zero included. Integers
// and booleans, which people save as counts, are read as well; a 64-bit
// integer whose magnitude exceeds 2^53 is refused, since float64 could not
// tell it from its neighbours.
//
// # .npy
//
// A .npy file is a self-describing dump of one array:
//
//	offset 0   6 bytes   "\x93NUMPY"
//	offset 6   1 byte    major version: 1, 2 or 3
//	offset 7   1 byte    minor version: 0
//	offset 8   2 bytes   header length H, little-endian (version 1)
//	           4 bytes   header length H, little-endian (versions 2 and 3)
//	then       H bytes   the header: a Python dict literal, padded with
//	                     spaces and ended by a newline
//	then                 the elements, back to back, to the end of the file
//
// The header names the element type ("descr", such as '<f4': byte order,
// kind and size), whether the elements are stored column-major
// ("fortran_order") and the shape as a tuple, e.g.
//
//	{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//
// Versions 1 and 2 differ only in the width of H; version 3 allows UTF-8
// in the header where the older ones are Latin-1. NumPy pads the prefix
// and header to a multiple of 64 bytes, but readers must not rely on it.
// The header is parsed here as the small subset of Python literals that
// the format needs (strings, integers, booleans, tuples and the dict),
// which is what NumPy's own reader accepts in practice; column-major data
// is reordered to row-major.
//
// # .npz
//
// A .npz file is a zip archive, stored or deflated, whose members are .npy
// files. np.savez names them after its keyword arguments ("logits.npy"),
// or arr_0.npy, arr_1.npy for positional ones; the tensor's name is the
// member's name without ".npy".
//
// # .safetensors
//
//	offset 0   8 bytes   header length N, little-endian unsigned
//	offset 8   N bytes   a UTF-8 JSON object, possibly padded with spaces
//	offset 8+N           the byte buffer, to the end of the file
//
// Each key of the JSON object names a tensor and maps to its dtype
// ("F32", "BF16", ...), its shape and data_offsets [begin, end), byte
// offsets relative to the start of the buffer; the optional key
// "__metadata__" maps to an object of strings. Elements are little-endian
// and row-major. A valid file leaves no byte of the buffer unaccounted
// for: taken in the order of their offsets, the tensors tile the buffer
// exactly, with no gaps and no overlaps, which is what stops a file from
// hiding a second payload.
//
// # Limits
//
// A file is untrusted input, and sizes in it may lie. Before anything is
// allocated for a tensor, its header is checked against the bytes that
// are actually there and against [Limits]:
//
//   - an .npy header longer than 10 000 characters is refused, the limit
//     NumPy's own reader applies (max_header_size), since NumPy would not
//     load such a file either;
//   - a safetensors header longer than 100 000 000 bytes, or longer than
//     the file, is refused, as the reference Rust reader does;
//   - the total number of values across all tensors may not exceed
//     [Limits.MaxValues]; each costs 8 bytes of float64, and a 100-byte
//     file can claim a shape of 10^18 elements;
//   - a .npz member is inflated no further than the size that its own .npy
//     header implies, so that a small archive cannot expand into gigabytes.
//
// Shape products are computed with overflow checks and negative
// dimensions are refused. No input makes a reader panic.
//
// # Errors
//
// Every failure is an [*Error] whose [ErrorCode] says what is wrong, with
// the tensor or member it concerns and the byte offset where it was found;
// the caller turns the code into words. errors.Is(err, ErrTruncated) and
// the like test for a code.
package tensorfile
