//go:build !js

package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// readTree reads every regular file below dir into memory, keyed by its
// slash-separated path relative to dir. Dotfiles and dot-folders are
// skipped, symlinks are not followed, and so is whatever skip reports
// (a folder it skips is not entered).
func readTree(dir string, skip func(p string, d fs.DirEntry) bool) (map[string][]byte, error) {
	files := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && (strings.HasPrefix(d.Name(), ".") || skip(p, d)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	return files, err
}
