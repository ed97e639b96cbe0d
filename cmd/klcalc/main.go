//go:build !js

// Command klcalc builds and serves the KL-divergence calculator's static site.
//
// Usage:
//
//	klcalc site   -wasm web/app.wasm -web web -out build/site [-base /kl/] [-version X]
//	klcalc export (same as site)
//	klcalc serve  -addr 127.0.0.1:8000 -dir build/site [-base /]
//
// site pre-renders the go-app pages with app.GenerateStaticWebsite, copies the
// web assets and a content-hashed app.wasm next to them, fixes go-app's output
// (og:url, viewport, service-worker precache list, loading progress) and
// writes brotli and gzip siblings. The folder can be put on any static host,
// at the root or under a sub-path given with -base.
//
// serve is a small HTTP server for exactly such a folder: an in-memory index
// of its files, content negotiation over the precompressed siblings, strong
// ETags, long caching only for content-hashed files, and a strict
// Content-Security-Policy.
//
// The go-app Handler lives here and never in app/ or wasm/, so that the
// browser build does not link net/http server code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "klcalc:", err)
		os.Exit(1)
	}
}

// errUsage reports a command line that could not be parsed; the flag package
// has already printed why.
var errUsage = errors.New("usage error")

const usage = `klcalc builds and serves the KL divergence calculator.

Usage:
  klcalc site   [flags]   build the static site (pre-rendered pages, hashed app.wasm, .br/.gz)
  klcalc export [flags]   same as site
  klcalc serve  [flags]   serve a built site folder over HTTP

Run "klcalc <command> -h" for the flags of a command.
`

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "site", "export":
		return runSite(ctx, args[0], args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "klcalc: unknown command %q\n\n%s", args[0], usage)
		return errUsage
	}
}

// parseFlags parses args with fs; -h is not an error.
func parseFlags(fs *flag.FlagSet, args []string) (help bool, err error) {
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return true, nil
	case err != nil:
		return false, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected arguments: %q\n", fs.Args())
		return false, errUsage
	}
	return false, nil
}
