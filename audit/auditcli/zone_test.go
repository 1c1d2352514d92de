package auditcli

import (
	"testing"
	"time"
)

func TestZoneLabel(t *testing.T) {
	jan := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	jul := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		loc  *time.Location
		at   time.Time
		want string
	}{
		{mustZone(t, "Asia/Tokyo"), jan, "JST (UTC+09:00)"},
		{mustZone(t, "America/New_York"), jan, "EST (UTC-05:00)"},
		{mustZone(t, "America/New_York"), jul, "EDT (UTC-04:00)"},
		{mustZone(t, "Asia/Kolkata"), jan, "IST (UTC+05:30)"},
		{time.FixedZone("", -(3*3600 + 30*60)), jan, "UTC-03:30"},
		{mustZone(t, "Asia/Ho_Chi_Minh"), jan, "UTC+07:00"}, // tzdata names it "+07"
	} {
		if got := zoneLabel(tc.loc, tc.at); got != tc.want {
			t.Errorf("zoneLabel(%s, %s) = %q, want %q", tc.loc, tc.at.Format("Jan"), got, tc.want)
		}
	}
}

func TestDefaultZone(t *testing.T) {
	t.Setenv("OKURI_TZ", "")
	if z := defaultZone(); z != "Asia/Tokyo" {
		t.Errorf("default zone %q", z)
	}
	t.Setenv("OKURI_TZ", "UTC")
	if z := defaultZone(); z != "UTC" {
		t.Errorf("OKURI_TZ=UTC gave %q", z)
	}
}
