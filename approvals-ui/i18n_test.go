package approvalsui

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLanguage: Accept-Language picks Japanese or English, the toggle
// cookie overrides it, and ui.language is the fallback.
func TestLanguage(t *testing.T) {
	f := newFixture(t, "embedded")
	get := func(accept, cookie string) string {
		r := httptest.NewRequest("GET", "https://ui.test/login", nil)
		if accept != "" {
			r.Header.Set("Accept-Language", accept)
		}
		if cookie != "" {
			r.Header.Set("Cookie", "okuri_lang="+cookie)
		}
		return f.serve(r, nil).Body.String()
	}
	for _, c := range []struct{ accept, cookie, want string }{
		{"en-US,en;q=0.9", "", "Sign in"},
		{"ja,en;q=0.8", "", "ログイン"},
		{"fr-FR", "", "ログイン"},
		{"en-US", "ja", "ログイン"},
		{"ja", "en", "Sign in"},
	} {
		if body := get(c.accept, c.cookie); !strings.Contains(body, c.want) {
			t.Errorf("Accept-Language %q cookie %q: want %q", c.accept, c.cookie, c.want)
		}
	}
	w := f.do("GET", "/lang/en?next=//evil.test/", nil, nil)
	if loc := w.Header().Get("Location"); loc != "/" || !strings.Contains(w.Header().Get("Set-Cookie"), "okuri_lang=en") {
		t.Errorf("toggle: %q %q", loc, w.Header().Get("Set-Cookie"))
	}
}
