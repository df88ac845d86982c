package figureimage

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
)

// TraceBlue is plotly.js's colour for a figure's first trace (#1f77b4).
var TraceBlue = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}

// CountColor decodes a PNG and counts its pixels within 16 of c in each channel (a drawn line's
// pixels, anti-aliasing aside): the tests' way to tell a picture with its trace drawn from a
// blank one. It returns the picture's size too.
func CountColor(pngBytes []byte, c color.RGBA) (width, height, n int, err error) {
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		return 0, 0, 0, fmt.Errorf("figureimage: decoding the PNG: %w", err)
	}
	b := img.Bounds()
	near := func(a uint32, b uint8) bool {
		d := int(a>>8) - int(b)
		return d > -16 && d < 16
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, c.R) && near(g, c.G) && near(bl, c.B) {
				n++
			}
		}
	}
	return b.Dx(), b.Dy(), n, nil
}
