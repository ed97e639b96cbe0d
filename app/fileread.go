package app

import (
	"fmt"
	"path"
	"strings"

	"github.com/klcalc/klcalc/compute/tensorfile"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// maxFileSize bounds text files read into the page (20 MB of text is
// already about two million values).
const maxFileSize = 20 << 20

// maxTensorFileSize bounds binary tensor files: their values are 2 to 8
// bytes each, and the cap on values (maxFileCells) applies as well.
const maxTensorFileSize = 256 << 20

// tensorExts are the names of the binary formats compute/tensorfile reads.
var tensorExts = map[string]bool{".npy": true, ".npz": true, ".safetensors": true}

// isTensorFile tells a tensor file from text by its first bytes (the
// name alone could lie either way), or by a tensor format's name, so that
// a damaged .npy is reported as a damaged .npy and not as bad text.
func isTensorFile(name string, b []byte) bool {
	return tensorExts[strings.ToLower(path.Ext(name))] || tensorfile.Sniff(b) != 0
}

// fileHandlers are what readFile calls with what it read, on the UI
// goroutine: text, or a tensor file's bytes, or why it could not read.
type fileHandlers struct {
	text   func(ctx app.Context, text string)
	tensor func(ctx app.Context, name string, data []byte)
	fail   func(ctx app.Context, msg string)
}

// readFile reads a picked or dropped File and passes it on as text or as
// a tensor file; a file too large for either is refused at once, before
// it is read. A tensor file of more than headFirst bytes has its header
// read and checked first (tensorfile.Check): bytes read into the page
// stay in its WebAssembly memory for good, and a 160 MB checkpoint
// dropped by mistake, refused only once read and decoded, left the tab
// 277 MB larger.
func readFile(ctx app.Context, file app.Value, l lang, h fileHandlers) {
	if !file.Truthy() {
		return
	}
	t := texts(l)
	name, size := file.Get("name").String(), file.Get("size").Int()
	tooBig := func(limit int) string {
		return fmt.Sprintf(t.FileTooBig, name, float64(size)/(1<<20), limit>>20)
	}
	limit := maxFileSize
	if h.tensor != nil {
		limit = maxTensorFileSize
	}
	if size > limit {
		h.fail(ctx, tooBig(limit))
		return
	}
	unreadable := func(ctx app.Context) { h.fail(ctx, fmt.Sprintf(t.FileUnreadable, name)) }
	whole := func(ctx app.Context) {
		readBytes(ctx, file, func(ctx app.Context, b []byte) {
			switch {
			case h.tensor != nil && isTensorFile(name, b):
				h.tensor(ctx, name, b)
			case len(b) > maxFileSize:
				h.fail(ctx, tooBig(maxFileSize))
			default:
				// As File.text() would: UTF-8 without its byte-order mark.
				h.text(ctx, strings.TrimPrefix(string(b), "\uFEFF"))
			}
		}, unreadable)
	}
	if h.tensor == nil || size <= headFirst {
		whole(ctx)
		return
	}
	var head func(ctx app.Context, n int)
	head = func(ctx app.Context, n int) {
		readBytes(ctx, file.Call("slice", 0, n), func(ctx app.Context, b []byte) {
			if !tensorExts[strings.ToLower(path.Ext(name))] && tensorfile.SniffHead(b, int64(size)) == 0 {
				if size > maxFileSize {
					h.fail(ctx, tooBig(maxFileSize)) // text, and too long for it
					return
				}
				whole(ctx)
				return
			}
			switch need, err := tensorfile.Check(b, int64(size), fileLimits()); {
			case err != nil:
				h.fail(ctx, t.Files.fileError(name, err))
			case need > headMost:
				whole(ctx) // a header this long: read it with the rest, once
			case need > int64(len(b)):
				head(ctx, int(need)) // a longer header: Check never asks past the end
			default:
				whole(ctx)
			}
		}, unreadable)
	}
	head(ctx, headProbe)
}

// headFirst is the size of a tensor file from which its header is checked
// before the file is read (readFile); headProbe is how much of it is read
// first, the whole header of nearly every file.
// A header longer than headMost is read with the file, not twice.
const (
	headFirst = 1 << 20
	headProbe = 64 << 10
	headMost  = 1 << 20
)

// fileLimits bounds what a tensor file may hold: as many values as the two
// sides.
func fileLimits() tensorfile.Limits { return tensorfile.Limits{MaxValues: 2 * maxFileCells} }

// readBytes reads a Blob (a File, or a slice of one) and passes its bytes
// to done, on the UI goroutine, or calls fail.
func readBytes(ctx app.Context, blob app.Value, done func(app.Context, []byte), fail func(app.Context)) {
	var onData, onErr app.Func
	release := func() {
		onData.Release()
		onErr.Release()
	}
	onData = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer recoverTo(ctx)
		defer release()
		u8 := app.Window().Get("Uint8Array").New(args[0])
		b := make([]byte, u8.Length())
		app.CopyBytesToGo(b, u8)
		ctx.Dispatch(func(ctx app.Context) {
			defer recoverTo(ctx)
			done(ctx, b)
		})
		return nil
	})
	onErr = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer recoverTo(ctx)
		defer release()
		ctx.Dispatch(func(ctx app.Context) {
			defer recoverTo(ctx)
			fail(ctx)
		})
		return nil
	})
	blob.Call("arrayBuffer").Call("then", onData, onErr)
}
