package approvalsui

import (
	"fmt"
	"html/template"
	"strings"

	"rsc.io/qr"
)

// qrSVG draws text as a QR code in inline SVG: one path of unit squares
// with a four-module quiet zone. Inline markup (not a PNG data: URL) keeps
// the Content-Security-Policy at img-src 'self', and the path carries no
// style attribute, so style-src stays 'self' too.
func qrSVG(text string) (template.HTML, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", fmt.Errorf("ui: qr encode: %w", err)
	}
	const quiet = 4
	n := code.Size + 2*quiet
	var d strings.Builder
	for y := range code.Size {
		for x := range code.Size {
			if code.Black(x, y) {
				fmt.Fprintf(&d, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" id="totp-qr" role="img" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`, n, n, n*5, n*5, n, n, d.String())
	// Only digits and fixed markup above: nothing from text reaches the
	// output except as black and white squares.
	return template.HTML(svg), nil
}
