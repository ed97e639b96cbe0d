//go:build !js

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// compressible are the extensions that get .br and .gz siblings.
var compressible = map[string]bool{
	".wasm": true, ".js": true, ".css": true, ".html": true, ".webmanifest": true, ".svg": true,
}

type compressionStats struct {
	Written, Skipped     int
	WasmBrotli, WasmGzip time.Duration // time spent on app.*.wasm
	Total                time.Duration
}

// siblingCodecs says how the .br and .gz siblings are made. Brotli: at
// Quality (0-11), by the
// C brotli tool at Cmd when set, else by the pure-Go encoder. Both write
// standard brotli; the C tool is about 4× faster at quality 11 (22 s
// against 88 s for the 10 MB wasm on one core), which is what keeps
// make test and make static short. The output of either depends only on
// the input, so builds stay reproducible on a given machine. Gzip: at
// GzipLevel (1-9; 0 means 9), which make run lowers to 1: -9 took 1.4 s
// of the wasm's 1.8 s of compression at brotli quality 5.
type siblingCodecs struct {
	Quality   int
	Cmd       string
	GzipLevel int
}

// compressSite writes name.br (brotli, see siblingCodecs) and name.gz (gzip,
// no name or time in the header, so the bytes only depend on the
// input) next to every compressible file of dir, and only keeps a sibling
// that is smaller than the file. Jobs run in parallel; the brotli of
// app.wasm is by far the longest.
func compressSite(ctx context.Context, dir string, br siblingCodecs) (compressionStats, error) {
	start := time.Now()
	files, err := listFiles(dir)
	if err != nil {
		return compressionStats{}, err
	}
	type job struct {
		rel string
		enc string // "br" or "gz"
	}
	var jobs []job
	for _, rel := range files {
		if compressible[path.Ext(rel)] {
			// The big files first, so that they start early.
			if path.Ext(rel) == ".wasm" {
				jobs = append([]job{{rel, "br"}, {rel, "gz"}}, jobs...)
			} else {
				jobs = append(jobs, job{rel, "br"}, job{rel, "gz"})
			}
		}
	}

	var (
		mu    sync.Mutex
		stats compressionStats
		first error
		wg    sync.WaitGroup
		sem   = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			t := time.Now()
			written, err := compressFileWith(ctx, filepath.Join(dir, filepath.FromSlash(j.rel)), j.enc, br)
			d := time.Since(t)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				if first == nil {
					first = err
				}
			case written:
				stats.Written++
			default:
				stats.Skipped++
			}
			if path.Ext(j.rel) == ".wasm" {
				if j.enc == "br" {
					stats.WasmBrotli += d
				} else {
					stats.WasmGzip += d
				}
			}
		}()
	}
	wg.Wait()
	stats.Total = time.Since(start)
	if first == nil {
		first = ctx.Err()
	}
	return stats, first
}

// compressFile writes name.br (pure-Go brotli at brotliQuality) or name.gz
// and reports whether it kept it.
func compressFile(name, enc string, brotliQuality int) (bool, error) {
	return compressFileWith(context.Background(), name, enc, siblingCodecs{Quality: brotliQuality})
}

// compressFileWith is compressFile with the brotli codec given.
func compressFileWith(ctx context.Context, name, enc string, br siblingCodecs) (bool, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return false, err
	}
	var b bytes.Buffer
	if enc == "br" && br.Cmd != "" {
		cmd := exec.CommandContext(ctx, br.Cmd, "-q", strconv.Itoa(br.Quality), "-c")
		cmd.Stdin = bytes.NewReader(data)
		cmd.Stdout = &b
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return false, fmt.Errorf("%s -q %d %s: %v: %s", br.Cmd, br.Quality, name, err, bytes.TrimSpace(stderr.Bytes()))
		}
	} else {
		var w io.WriteCloser
		switch enc {
		case "br":
			w = brotli.NewWriterLevel(&b, br.Quality)
		case "gz":
			level := br.GzipLevel
			if level == 0 {
				level = gzip.BestCompression
			}
			var err error
			if w, err = gzip.NewWriterLevel(&b, level); err != nil {
				return false, err
			}
		}
		if _, err := w.Write(data); err != nil {
			return false, err
		}
		if err := w.Close(); err != nil {
			return false, err
		}
	}
	if b.Len() >= len(data) {
		return false, nil
	}
	return true, os.WriteFile(name+"."+enc, b.Bytes(), 0o644)
}
