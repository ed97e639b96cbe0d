// Command iconsgen draws the calculator's icon and writes it to web/ as an
// SVG and as 192 and 512 pixel PNGs (PWA manifest, favicon, apple-touch-icon,
// go-app loader). The outputs are committed; run it again only to change the
// drawing:
//
//	go run ./cmd/iconsgen -out web
//
// The icon is two small histograms side by side, P (teal) and Q (orange), on
// a dark-blue rounded square: the two distributions that KL(P‖Q) compares.
// The SVG and the PNGs come from the same list of shapes, so they match.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
)

// The drawing is defined on a 512×512 canvas.
const canvas = 512

// rect is an axis-aligned rectangle in canvas units with rounded corners.
type rect struct {
	x, y, w, h, r float64
	fill          color.NRGBA
}

func (s rect) contains(px, py float64) bool {
	if px < s.x || px >= s.x+s.w || py < s.y || py >= s.y+s.h {
		return false
	}
	// Distance to the nearest corner centre, when inside a corner box.
	cx := min(max(px, s.x+s.r), s.x+s.w-s.r)
	cy := min(max(py, s.y+s.r), s.y+s.h-s.r)
	dx, dy := px-cx, py-cy
	return dx*dx+dy*dy <= s.r*s.r
}

func shapes() []rect {
	var (
		background = color.NRGBA{0x1f, 0x3a, 0x5f, 0xff}
		axis       = color.NRGBA{0xe2, 0xe8, 0xf0, 0xff}
		colorP     = color.NRGBA{0x5e, 0xea, 0xd4, 0xff}
		colorQ     = color.NRGBA{0xfb, 0x92, 0x3c, 0xff}
	)
	s := []rect{{x: 0, y: 0, w: canvas, h: canvas, r: 112, fill: background}}
	// Bar heights of P and Q, as fractions of the plot height.
	p := []float64{0.30, 0.62, 1.00, 0.48, 0.22}
	q := []float64{0.50, 0.70, 0.55, 0.66, 0.40}
	const (
		left, base, plotH = 80.0, 400.0, 272.0
		barW, step        = 32.0, 72.0 // a P bar and a Q bar touch; pairs are 8 apart
	)
	for i := range p {
		x := left + float64(i)*step
		hp, hq := p[i]*plotH, q[i]*plotH
		s = append(s,
			rect{x: x, y: base - hp, w: barW, h: hp, r: 6, fill: colorP},
			rect{x: x + barW, y: base - hq, w: barW, h: hq, r: 6, fill: colorQ},
		)
	}
	s = append(s, rect{x: 64, y: base, w: canvas - 128, h: 16, r: 8, fill: axis})
	return s
}

// svg renders the shapes as an SVG document.
func svg(s []rect) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d">`+"\n", canvas, canvas, canvas, canvas)
	b.WriteString("<title>KL divergence calculator</title>\n")
	for _, r := range s {
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" rx="%g" fill="#%02x%02x%02x"/>`+"\n",
			r.x, r.y, r.w, r.h, r.r, r.fill.R, r.fill.G, r.fill.B)
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

// raster renders the shapes at size×size pixels with 4×4 supersampling.
func raster(s []rect, size int) *image.NRGBA {
	const ss = 4
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := float64(canvas) / float64(size)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, bl, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) * scale
					y := (float64(py) + (float64(sy)+0.5)/ss) * scale
					// The topmost shape that contains the sample wins.
					for i := len(s) - 1; i >= 0; i-- {
						if s[i].contains(x, y) {
							c := s[i].fill
							r += float64(c.R)
							g += float64(c.G)
							bl += float64(c.B)
							a++
							break
						}
					}
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(r/a + 0.5), G: uint8(g/a + 0.5), B: uint8(bl/a + 0.5),
				A: uint8(a*255/(ss*ss) + 0.5),
			})
		}
	}
	return img
}

func main() {
	out := flag.String("out", "web", "output directory")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "iconsgen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	s := shapes()
	if err := os.WriteFile(filepath.Join(out, "icon.svg"), svg(s), 0o644); err != nil {
		return err
	}
	for _, size := range []int{192, 512} {
		var b bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&b, raster(s, size)); err != nil {
			return err
		}
		name := filepath.Join(out, fmt.Sprintf("icon-%d.png", size))
		if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
