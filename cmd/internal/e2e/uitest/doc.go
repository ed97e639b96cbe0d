//go:build !js

// Package uitest holds the browser tests of the calculator's UI: what the
// page shows in headless Chromium for share links, typing, hostile input,
// the PyTorch oracle, a sub-path, the service worker offline and across
// updates, and that nothing leaves the page's origin.
//
// They run against the real server, the klcalc binary ($KLCALC_BIN) run as
// "klcalc serve" over the built site ($KLCALC_E2E_SITE), and only when
// KLCALC_E2E_SITE is set; make test-e2e sets both after make site:
//
//	make site
//	KLCALC_E2E_SITE=$PWD/build/site KLCALC_BIN=$PWD/build/klcalc go test -count=1 ./cmd/internal/e2e/uitest
//
// The tests of the server and of the site builder themselves (HTTP
// behaviour, headers, compression, the site's files, load) are in
// cmd/klcalc. The package has no API: this file only documents it.
package uitest
