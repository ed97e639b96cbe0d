//go:build !js

package main

import (
	"fmt"
	"strings"
)

// normalizeBase turns a base path such as "kl", "/kl" or "/kl/" into the
// form "/kl/" ("/" for the root). A base is a list of plain path segments:
// letters, digits and "-._~", with no "." or ".." segment, so that it can be
// put into HTML, JavaScript and JSON without escaping.
func normalizeBase(base string) (string, error) {
	trimmed := strings.Trim(base, "/")
	if trimmed == "" {
		return "/", nil
	}
	for _, seg := range strings.Split(trimmed, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", fmt.Errorf("base path %q: empty, \".\" or \"..\" segment", base)
		}
		for _, r := range seg {
			if !isBaseRune(r) {
				return "", fmt.Errorf("base path %q: character %q not allowed (use letters, digits, - . _ ~)", base, r)
			}
		}
	}
	return "/" + trimmed + "/", nil
}

func isBaseRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
		r == '-' || r == '.' || r == '_' || r == '~'
}

// prefix returns the base without its trailing slash, as go-app wants it for
// a ResourceProvider: "" for the root, "/kl" for "/kl/".
func prefix(base string) string { return strings.TrimSuffix(base, "/") }

// siteFile maps a URL path under base to the slash-separated path of a file
// in the site folder, without a leading slash: base itself is
// "index.html". It reports false for paths outside base. It does not check
// that the file exists or that the path is well formed; the server validates
// request paths before calling it.
func siteFile(base, urlPath string) (string, bool) {
	rel, ok := strings.CutPrefix(urlPath, base)
	if !ok {
		return "", false
	}
	if rel == "" {
		return "index.html", true
	}
	return rel, true
}
