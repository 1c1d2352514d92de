package auditcli

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// defaultZone is the time zone tail, export and report print in:
// $OKURI_TZ, else Asia/Tokyo (okuri's users are Japanese agencies, and
// one zone across all evidence avoids a report and an export that
// disagree about which day a message was held).
func defaultZone() string {
	if z := os.Getenv("OKURI_TZ"); z != "" {
		return z
	}
	return "Asia/Tokyo"
}

// zoneLabel names loc for people at time at: "JST (UTC+09:00)", or
// "UTC+09:00" for a zone without an abbreviation.
func zoneLabel(loc *time.Location, at time.Time) string {
	name, off := at.In(loc).Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	utc := fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off%3600/60)
	if name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
		return utc
	}
	return name + " (" + utc + ")"
}
