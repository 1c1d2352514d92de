package approvalsui

import (
	"image"
	"image/color"
	"regexp"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zqr "github.com/makiuchi-d/gozxing/qrcode"
)

// TestQRSVGDecodes rasterises the SVG path and reads it back with an
// independent decoder (gozxing): the code an authenticator app scans must
// hold exactly the otpauth URI.
func TestQRSVGDecodes(t *testing.T) {
	uri := otpauthURI("okuri", "山田.taro@agency.example.jp", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	svg, err := qrSVG(uri)
	if err != nil {
		t.Fatal(err)
	}
	img := rasterise(t, string(svg), 6)
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if res.GetText() != uri {
		t.Fatalf("decoded %q, want %q", res.GetText(), uri)
	}
}

var (
	viewBoxRE = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	squareRE  = regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`)
)

// rasterise draws the unit squares of the SVG path at scale pixels each.
func rasterise(t *testing.T, svg string, scale int) image.Image {
	t.Helper()
	m := viewBoxRE.FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no viewBox in %.80s", svg)
	}
	n, _ := strconv.Atoi(m[1])
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	sq := squareRE.FindAllStringSubmatch(svg, -1)
	if len(sq) < 50 {
		t.Fatalf("only %d dark modules", len(sq))
	}
	for _, s := range sq {
		x, _ := strconv.Atoi(s[1])
		y, _ := strconv.Atoi(s[2])
		for dy := range scale {
			for dx := range scale {
				img.SetGray(x*scale+dx, y*scale+dy, color.Gray{})
			}
		}
	}
	return img
}
