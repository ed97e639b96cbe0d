package tensorfile

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrorCode says what is wrong with a file. Codes are stable identifiers
// for the caller to translate; they carry no prose. An ErrorCode is
// itself an error, so that errors.Is(err, ErrTruncated) reports whether
// err is an [*Error] with that code.
type ErrorCode int

const (
	// ErrUnknownFormat: the bytes are none of .npy, .npz and .safetensors.
	ErrUnknownFormat ErrorCode = iota + 1
	// ErrEmpty: the input has no bytes, or a well-formed container holds
	// no tensor at all.
	ErrEmpty
	// ErrBadMagic: the file or .npz member does not start with "\x93NUMPY".
	ErrBadMagic
	// ErrVersion: an .npy format version other than 1.0, 2.0 and 3.0;
	// Detail holds it, e.g. "4.0".
	ErrVersion
	// ErrHeaderTooLarge: the header is longer than the format's limit.
	ErrHeaderTooLarge
	// ErrHeaderSyntax: the header is not a well-formed dict literal (.npy)
	// or JSON object (.safetensors), is not valid text in its encoding, or
	// lacks or has unexpected keys; Detail holds the key or token.
	ErrHeaderSyntax
	// ErrDType: an element type this package does not read (complex,
	// structured, string, float8, ...); Detail holds it as written.
	ErrDType
	// ErrShape: a dimension that is negative, not an integer, too large,
	// or whose product with the others overflows; or, when writing, Data
	// whose length is not the product of Shape.
	ErrShape
	// ErrTruncated: the file ends before the data its header describes.
	ErrTruncated
	// ErrTrailingBytes: bytes follow the data that the header describes.
	ErrTrailingBytes
	// ErrOffsets: a safetensors tensor whose data_offsets end before they
	// begin, or are not a pair.
	ErrOffsets
	// ErrGap: bytes of the safetensors buffer that no tensor covers,
	// between the previous tensor's end and this tensor's begin.
	ErrGap
	// ErrOverlap: a safetensors tensor that begins before the previous
	// tensor (in offset order) ends.
	ErrOverlap
	// ErrSize: a safetensors tensor whose byte range is not its number of
	// elements times the element size.
	ErrSize
	// ErrDuplicateName: two tensors (or metadata keys, or .npz members)
	// with the same name.
	ErrDuplicateName
	// ErrTooManyValues: the tensors hold more values than Limits.MaxValues;
	// Detail holds the count claimed so far.
	ErrTooManyValues
	// ErrNotExact: a value that float64 cannot hold exactly (a 64-bit
	// integer beyond ±2^53), or, when writing, a value that the integer
	// or boolean dtype cannot hold; Detail holds the value.
	ErrNotExact
	// ErrZip: the .npz archive is malformed, encrypted, or compressed with
	// a method other than store and deflate; Err holds archive/zip's error.
	ErrZip
	// ErrName: a tensor name the format cannot hold when writing: not
	// UTF-8 or "__metadata__" for safetensors, empty for .npz.
	ErrName
)

var codeNames = [...]string{
	ErrUnknownFormat:  "unknown-format",
	ErrEmpty:          "empty",
	ErrBadMagic:       "bad-magic",
	ErrVersion:        "version",
	ErrHeaderTooLarge: "header-too-large",
	ErrHeaderSyntax:   "header-syntax",
	ErrDType:          "dtype",
	ErrShape:          "shape",
	ErrTruncated:      "truncated",
	ErrTrailingBytes:  "trailing-bytes",
	ErrOffsets:        "offsets",
	ErrGap:            "gap",
	ErrOverlap:        "overlap",
	ErrSize:           "size",
	ErrDuplicateName:  "duplicate-name",
	ErrTooManyValues:  "too-many-values",
	ErrNotExact:       "not-exact",
	ErrZip:            "zip",
	ErrName:           "name",
}

// String returns the code's stable identifier, e.g. "truncated".
func (c ErrorCode) String() string {
	if c > 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return "ErrorCode(" + strconv.Itoa(int(c)) + ")"
}

// Error makes a code usable as a target of errors.Is; it returns
// c.String(), so that a code prints the same either way.
func (c ErrorCode) Error() string { return c.String() }

// Error is the error every function of this package returns.
type Error struct {
	Code ErrorCode
	// Tensor is the tensor's name or the .npz member's, "" if none.
	Tensor string
	// Offset is the byte offset at which the problem was found: in the
	// file, or, for an .npz member, in the member's inflated bytes; -1 if
	// there is no such place.
	Offset int64
	// Detail is raw data from the file, such as the dtype seen, the
	// offending key or the value; "" if none.
	Detail string
	// Err is the underlying cause, such as archive/zip's error, or nil.
	Err error
}

// maxDetail bounds Detail, so that a megabyte-long dtype string in a
// hostile header does not end up in a message.
const maxDetail = 64

func newError(code ErrorCode, tensor string, offset int64, detail string) *Error {
	if len(detail) > maxDetail {
		detail = detail[:maxDetail] + "..."
	}
	return &Error{Code: code, Tensor: tensor, Offset: offset, Detail: detail}
}

// Error returns a one-line message for developers, such as
//
//	tensorfile: truncated (tensor "w") at byte 120: 96
func (e *Error) Error() string {
	s := "tensorfile: " + e.Code.String()
	if e.Tensor != "" {
		s += fmt.Sprintf(" (tensor %q)", e.Tensor)
	}
	if e.Offset >= 0 {
		s += " at byte " + strconv.FormatInt(e.Offset, 10)
	}
	if e.Detail != "" {
		s += ": " + strconv.Quote(e.Detail)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause, or nil.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's ErrorCode.
func (e *Error) Is(target error) bool {
	c, ok := target.(ErrorCode)
	return ok && c == e.Code
}

// Code returns the ErrorCode of err, or 0 if err is nil or not from this
// package.
func Code(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}
