package tensorfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ReadNPZ reads an .npz file: a zip archive of .npy members, stored or
// deflated, as np.savez and np.savez_compressed write. Each tensor is
// named after its member, without the ".npy" suffix; members are read in
// the order of the archive's directory, and directory entries are
// skipped. Error offsets are within the member's inflated bytes.
//
// A member is never inflated beyond the size its .npy header implies, and
// its values are charged to lim before its data is read, so a small
// archive cannot expand into gigabytes.
//
// Special cases are:
//
//	ReadNPZ(an archive without members) = ErrEmpty
//	ReadNPZ(a member that is not an .npy file) = ErrBadMagic
//	ReadNPZ(members "a" and "a.npy") = ErrDuplicateName
//	ReadNPZ(damaged, encrypted, or neither stored nor deflated) = ErrZip
func ReadNPZ(data []byte, lim Limits) (File, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// Names such as "../x.npy" are harmless here: nothing is written
		// to a file system.
		return File{}, &Error{Code: ErrZip, Offset: -1, Err: err}
	}
	b := newBudget(lim)
	f := File{Format: FormatNPZ}
	seen := map[string]bool{}
	for _, m := range zr.File {
		if strings.HasSuffix(m.Name, "/") && m.UncompressedSize64 == 0 {
			continue
		}
		name := strings.TrimSuffix(m.Name, ".npy")
		if seen[name] {
			return File{}, newError(ErrDuplicateName, name, -1, m.Name)
		}
		seen[name] = true
		t, err := readMember(m, name, &b)
		if err != nil {
			return File{}, err
		}
		f.Tensors = append(f.Tensors, t)
	}
	if len(f.Tensors) == 0 {
		return File{}, newError(ErrEmpty, "", -1, "")
	}
	return f, nil
}

// readMember reads one .npy member of an archive.
func readMember(m *zip.File, name string, b *budget) (Tensor, error) {
	if m.Method != zip.Store && m.Method != zip.Deflate {
		return Tensor{}, &Error{Code: ErrZip, Tensor: name, Offset: -1, Detail: "method " + strconv.Itoa(int(m.Method)), Err: zip.ErrAlgorithm}
	}
	rc, err := m.Open()
	if err != nil {
		return Tensor{}, &Error{Code: ErrZip, Tensor: name, Offset: -1, Err: err}
	}
	defer rc.Close()
	r := &memberReader{r: rc, name: name}

	var prefix [12]byte
	if err := r.full(prefix[:8]); err != nil {
		if Code(err) == ErrTruncated && !bytes.HasPrefix(npyMagic, prefix[:min(r.n, 6)]) {
			return Tensor{}, newError(ErrBadMagic, name, 0, "")
		}
		return Tensor{}, err
	}
	w, utf, err := npyPrefix(prefix[:8], name)
	if err != nil {
		return Tensor{}, err
	}
	if err := r.full(prefix[8 : 8+w]); err != nil {
		return Tensor{}, err
	}
	hlen, err := npyHeaderLen(prefix[8:8+w], utf, name)
	if err != nil {
		return Tensor{}, err
	}
	hdr := make([]byte, hlen)
	if err := r.full(hdr); err != nil {
		return Tensor{}, err
	}
	start := 8 + w + hlen
	h, err := parseNPYHeader(hdr, utf, name, int64(8+w))
	if err != nil {
		return Tensor{}, err
	}
	if err := b.take(max(h.n, 1), name, 8); err != nil {
		return Tensor{}, err
	}
	// archive/zip fails a member whose inflated size differs from the size
	// in the directory, but only once it is read: check it first.
	switch want := uint64(start) + uint64(h.nbytes); {
	case m.UncompressedSize64 < want:
		return Tensor{}, newError(ErrTruncated, name, int64(m.UncompressedSize64), "")
	case m.UncompressedSize64 > want:
		return Tensor{}, newError(ErrTrailingBytes, name, int64(want), "")
	}
	// Grow the buffer as data arrives rather than trusting nbytes, so that
	// a member cut short costs no more memory than it holds.
	raw := make([]byte, 0, min(h.nbytes, 1<<20))
	for len(raw) < h.nbytes {
		k := min(h.nbytes-len(raw), 1<<20)
		raw = slices.Grow(raw, k)
		if err := r.full(raw[len(raw) : len(raw)+k]); err != nil {
			return Tensor{}, err
		}
		raw = raw[:len(raw)+k]
		if err := b.pace.tick(); err != nil {
			return Tensor{}, err
		}
	}
	// One more byte: there must be none, and reading to the end makes
	// archive/zip check the size and CRC.
	var one [1]byte
	switch k, err := io.ReadFull(rc, one[:]); {
	case k > 0:
		return Tensor{}, newError(ErrTrailingBytes, name, int64(r.n), "")
	case errors.Is(err, zip.ErrFormat):
		// archive/zip's answer to a member that inflates beyond the size
		// in the directory, which was checked to be the header's.
		return Tensor{}, &Error{Code: ErrTrailingBytes, Tensor: name, Offset: int64(r.n), Err: err}
	case err != io.EOF:
		return Tensor{}, &Error{Code: ErrZip, Tensor: name, Offset: int64(r.n), Err: err}
	}
	return h.decode(raw, name, int64(start), b.pace)
}

// memberReader reads an archive member, counting bytes for error offsets.
type memberReader struct {
	r    io.Reader
	name string
	n    int
}

// full fills p, reporting a member that ends early as ErrTruncated and
// any other failure (bad deflate data, a CRC mismatch) as ErrZip.
func (r *memberReader) full(p []byte) error {
	k, err := io.ReadFull(r.r, p)
	r.n += k
	switch {
	case err == nil:
		return nil
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return newError(ErrTruncated, r.name, int64(r.n), "")
	}
	return &Error{Code: ErrZip, Tensor: r.name, Offset: int64(r.n), Err: err}
}

// npzTime is the modification time WriteNPZ gives every member, so that
// its output depends on nothing but the tensors: the earliest time a zip
// file can hold.
var npzTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteNPZ writes tensors as an .npz file, as np.savez would: a zip
// archive of stored members named after the tensors plus ".npy", each
// written by [WriteNPY], in the order given, with a fixed modification
// time so that the same tensors give the same bytes.
//
// Special cases are:
//
//	WriteNPZ(w, a tensor named "") = ErrName
//	WriteNPZ(w, two tensors of one name) = ErrDuplicateName
func WriteNPZ(w io.Writer, tensors []Tensor) error {
	seen := map[string]bool{}
	for i := range tensors {
		t := &tensors[i]
		if t.Name == "" {
			return newError(ErrName, "", -1, "")
		}
		if seen[t.Name] {
			return newError(ErrDuplicateName, t.Name, -1, "")
		}
		seen[t.Name] = true
		if err := checkTensor(t); err != nil {
			return err
		}
		if _, err := npyHeaderBytes(t); err != nil {
			return err
		}
		if err := checkValues(t); err != nil {
			return err
		}
	}
	zw := zip.NewWriter(w)
	for _, t := range tensors {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: t.Name + ".npy", Method: zip.Store, Modified: npzTime})
		if err != nil {
			return err
		}
		if err := WriteNPY(fw, t); err != nil {
			return err
		}
	}
	return zw.Close()
}
