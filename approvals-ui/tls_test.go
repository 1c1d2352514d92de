package approvalsui

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/directory"
)

// TestHTTPSOnly: the server speaks TLS 1.2+ only; plain HTTP and TLS 1.1
// get no page.
func TestHTTPSOnly(t *testing.T) {
	f := newFixture(t, "embedded")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.s.o.Listener = ln
	if err := f.s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.s.Shutdown(t.Context()) })
	addr := f.s.Addr().String()
	insecure := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := insecure.Get("https://" + addr + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("https: %d %+v", resp.StatusCode, resp.TLS)
	}
	if resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/login"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP served the login page")
		}
	}
	old := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS11}}}
	if resp, err := old.Get("https://" + addr + "/login"); err == nil {
		resp.Body.Close()
		t.Error("TLS 1.1 accepted")
	}
}

// TestClientCertificateRequired: with ui.client_ca_file set, a client
// without a certificate from that CA cannot connect.
func TestClientCertificateRequired(t *testing.T) {
	f := newFixture(t, "embedded")
	caPEM, _, err := certs.SelfSigned([]string{"client.test"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, caPEM, 0o600)
	f.cfg.UI.ClientCAFile = ca
	tc, err := f.s.tlsConfig()
	if err != nil {
		t.Fatal(err)
	}
	if tc.ClientAuth != tls.RequireAndVerifyClientCert || tc.ClientCAs == nil {
		t.Fatalf("client auth %v", tc.ClientAuth)
	}
	f.s.http.TLSConfig = tc
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	f.s.o.Listener = ln
	f.s.Start()
	t.Cleanup(func() { f.s.Shutdown(t.Context()) })
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if resp, err := c.Get("https://" + ln.Addr().String() + "/login"); err == nil {
		resp.Body.Close()
		t.Error("connection without a client certificate accepted")
	}
}

// TestEnrolment: an approver without 2FA must enrol right after the
// password; the confirmed secret and hashed recovery codes land in the
// users file; a recovery code then works once as the second factor.
func TestEnrolment(t *testing.T) {
	f := newFixture(t, "embedded")
	if err := directory.SetTOTP(f.cfg.Dir.UsersFile, uDave, "", nil); err != nil {
		t.Fatal(err)
	}
	w := f.do("POST", "/login", nil, url.Values{"address": {uDave}, "password": {testPassword}})
	if w.Header().Get("Location") != "/totp/enrol" {
		t.Fatalf("no enrolment: %s", w.Header().Get("Location"))
	}
	c := cookieOf(w)
	if w := f.do("GET", "/holds", c, nil); w.Code != http.StatusSeeOther {
		t.Errorf("unenrolled approver reached /holds: %d", w.Code)
	}
	page := f.do("GET", "/totp/enrol", c, nil).Body.String()
	secret := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(page)
	if secret == nil {
		t.Fatalf("no secret on the page")
	}
	w = f.do("POST", "/totp/enrol", c, url.Values{"csrf": {csrfFrom(page)}, "code": {totpCode(secret[1], f.clock.Now())}})
	codes := regexp.MustCompile(`<code>([a-z0-9]{5}-[a-z0-9]{5})</code>`).FindAllStringSubmatch(w.Body.String(), -1)
	if w.Code != 200 || len(codes) != 10 {
		t.Fatalf("enrol: %d, %d codes", w.Code, len(codes))
	}
	u, _ := f.s.lookupUser(t.Context(), uDave)
	if u.TOTP != secret[1] || len(u.RecoveryCodes) != 10 || strings.Contains(strings.Join(u.RecoveryCodes, ""), codes[0][1]) {
		t.Fatalf("users file: totp %q, %d hashes", u.TOTP, len(u.RecoveryCodes))
	}
	full := cookieOf(w)
	if w := f.do("GET", "/holds?tab=approve", full, nil); w.Code != 200 {
		t.Errorf("after enrolment: %d", w.Code)
	}
	for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
		w := f.do("POST", "/login", nil, url.Values{"address": {uDave}, "password": {testPassword}})
		c := cookieOf(w)
		csrf := csrfFrom(f.do("GET", "/login/totp", c, nil).Body.String())
		if w := f.do("POST", "/login/totp", c, url.Values{"csrf": {csrf}, "code": {codes[0][1]}}); w.Code != want {
			t.Errorf("recovery code use %d: %d, want %d", i+1, w.Code, want)
		}
	}
}
