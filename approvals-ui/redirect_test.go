package approvalsui

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestSafeNext: only a local path survives; everything a browser could
// turn into another site becomes "/".
func TestSafeNext(t *testing.T) {
	keep := []string{
		"/",
		"/holds",
		"/holds?tab=all&q=%E9%A1%A7%E5%AE%A2",
		"/holds/01JD8Z6Y9Q3T5W7X",
		"/admin/users#top",
	}
	for _, n := range keep {
		if got := safeNext(n); got != n {
			t.Errorf("safeNext(%q) = %q, want it kept", n, got)
		}
	}
	refuse := []string{
		"",
		"holds",
		"https://evil.example/",
		"//evil.example",
		"///evil.example",
		"/\\evil.example",
		"/\\/evil.example",
		"\\\\evil.example",
		"/\t/evil.example",    // the reported bypass: ?next=/%09/evil.example
		"/\n/evil.example",    // newline, stripped by browsers
		"/\r\n//evil.example", // CR LF
		"/ /evil.example",
		"/%2F/evil.example",    // decodes to //evil.example
		"/%2f%2fevil.example",  // lower-case escapes
		"/%5Cevil.example",     // encoded backslash
		"/%09/evil.example",    // still encoded (double-encoded in the query)
		"/%0d%0aSet-Cookie:x",  // header splitting attempt
		"/\u202e/elpmaxe.live", // bidi override
		"/\x7f/evil.example",
		"/\xff/evil.example", // invalid UTF-8
		"/javascript:alert(1)//%0a",
		"/" + strings.Repeat("a", 3000),
	}
	for _, n := range refuse {
		if got := safeNext(n); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", n, got)
		}
	}
}

// TestRedirectStaysOnSite: over real HTTPS, /lang/* and POST /login send
// a browser back to this site only, whatever next says.
func TestRedirectStaysOnSite(t *testing.T) {
	f := newFixture(t, "embedded")
	base := f.startHTTPS(t)
	client := noFollowClient()
	for _, next := range []string{"/%09/evil.example", "/%0A/evil.example", "/%5Cevil.example", "//evil.example", "/%2F/evil.example"} {
		resp, err := client.Get(base + "/lang/en?next=" + next)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("/lang/en?next=%s: %d Location %q, want 303 /", next, resp.StatusCode, loc)
		}
	}
	// A sender without 2FA is fully signed in by the password step, so
	// the login answer itself is the redirect.
	form := url.Values{"address": {uAlice}, "password": {testPassword}, "next": {"/\t/evil.example"}}
	resp, err := client.PostForm(base+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
		t.Errorf("POST /login next=tab: %d Location %q, want 303 /", resp.StatusCode, loc)
	}
	form.Set("next", "/holds?tab=mine")
	resp, err = client.PostForm(base+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "/holds?tab=mine" {
		t.Errorf("POST /login with a local next: Location %q", loc)
	}
}

// startHTTPS serves the fixture's server on a real TLS listener and
// returns its base URL.
func (f *fixture) startHTTPS(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.s.o.Listener = ln
	if err := f.s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.s.Shutdown(t.Context()) })
	return "https://" + f.s.Addr().String()
}

// noFollowClient trusts the test certificate and returns redirects as
// answers.
func noFollowClient() *http.Client {
	return &http.Client{
		Timeout:       10 * time.Second,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// FuzzSafeNext: whatever next is, the result is "/" or next itself, and
// a kept next stays on this site once a browser has read it (tabs and
// newlines stripped, backslashes as slashes, percent-escapes decoded).
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/holds?tab=all", "/%09/evil.example", "//evil", "/\\evil", "/%2F/evil", "/\t/x", "https://a/", "/%5c%5cevil", "/\u202e/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got == "/" {
			return
		}
		if got != next {
			t.Fatalf("safeNext(%q) = %q: neither kept nor /", next, got)
		}
		seen := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(next)
		if dec, err := url.PathUnescape(seen); err == nil {
			seen = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(dec)
		}
		if strings.HasPrefix(seen, "//") {
			t.Fatalf("safeNext kept %q, which a browser reads as %q", next, seen)
		}
		if u, err := url.Parse(seen); err == nil && (u.Host != "" || u.Scheme != "") {
			t.Fatalf("safeNext kept %q, which a browser reads as %q (host %q)", next, seen, u.Host)
		}
	})
}
