package approvalsui

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/okuri/okuri/directory"
)

// principal is the signed-in person and their roles, computed from the
// configuration at each request (so a reload takes effect at once).
type principal struct {
	Addr    string
	Name    string
	Admin   bool
	Auditor bool
	Groups  []string // groups whose held mail they approve
	// Fallback approvers (directory.fallback_approvers) approve messages
	// without a group (senders in no group, or in one without approvers).
	Fallback bool
	user     *directory.User
	se       *session
	expired  bool // password must be changed before anything else
}

// Approver reports whether p approves for at least one group, or as a
// fallback approver.
func (p *principal) Approver() bool { return len(p.Groups) > 0 || p.Fallback }

// needsTOTP reports whether two factors are mandatory for p (No.111:
// everyone who sees other people's mail; senders when configured).
func (p *principal) needsTOTP(senderTOTP bool) bool {
	return p.Admin || p.Auditor || p.Approver() || senderTOTP
}

type ctxKey struct{}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// principalFor builds the roles of addr from the configuration.
func (s *Server) principalFor(u *directory.User) *principal {
	addr := lower(u.Address)
	d := s.conf().Dir
	has := func(l []string) bool {
		return slices.ContainsFunc(l, func(x string) bool { return lower(x) == addr })
	}
	p := &principal{Addr: addr, Name: u.Name, Admin: has(d.Admins), Auditor: has(d.Auditors),
		Fallback: has(d.FallbackApprovers), user: u}
	for _, g := range d.Groups {
		if has(g.Approvers) {
			p.Groups = append(p.Groups, g.Name)
		}
	}
	return p
}

// secure sets the security headers on every response.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// auth is the default-deny gate: a full session, a known user, and for
// unsafe methods the CSRF token. Anything else goes to the login page (or
// 401 for the API).
func (s *Server) auth(h func(http.ResponseWriter, *http.Request, *principal)) http.HandlerFunc {
	return s.authExpired(false, h)
}

// authExpired is auth; with allowExpired the handler also serves a user
// whose password expired (the change-password page and sign-out). Every
// other route sends them to /account/password until they changed it.
func (s *Server) authExpired(allowExpired bool, h func(http.ResponseWriter, *http.Request, *principal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		api := strings.HasPrefix(r.URL.Path, "/api/")
		se := s.loadSession(r)
		var u *directory.User
		if se != nil && se.Stage == stageFull {
			u, _ = s.lookupUser(r.Context(), se.User)
		}
		if u == nil {
			if api {
				writeJSON(w, http.StatusUnauthorized, apiError{"unauthenticated"})
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "sign in required", http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !csrfOK(r, se) {
			s.fail(w, r, http.StatusForbidden, "csrf")
			return
		}
		p := s.principalFor(u)
		p.se = se
		p.expired = s.passwordExpired(u)
		if p.expired && !allowExpired {
			switch {
			case api:
				writeJSON(w, http.StatusForbidden, apiError{"password expired: change it at /account/password in a browser"})
			case r.Method == http.MethodGet:
				http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			default:
				s.fail(w, r, http.StatusForbidden, "password.expired")
			}
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p)), p)
	}
}

// partial gates the second login step: a session past the password.
func (s *Server) partial(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		se := s.loadSession(r)
		if se == nil || se.Stage == stageFull {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !csrfOK(r, se) {
			s.fail(w, r, http.StatusForbidden, "csrf")
			return
		}
		h(w, r, se)
	}
}

// clientIP is the remote address of the TCP connection. The UI is served
// directly over TLS, so no forwarded header is trusted.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// safeNext keeps a post-login redirect on this site: next must be a
// local path ("/holds?tab=all"), else "/". Browsers strip tabs and
// newlines from a Location and read a backslash as a slash, so
// "/\t/evil.example" or "/\\evil.example" would leave the site; the
// checks run on the raw text and again on the decoded path, so encoded
// forms (%09, %5C, %2F%2F) are refused too.
func safeNext(next string) string {
	if !localPath(next) {
		return "/"
	}
	return next
}

func localPath(next string) bool {
	if len(next) > 2048 || !strings.HasPrefix(next, "/") || !utf8.ValidString(next) || strings.ContainsFunc(next, unsafeInURL) {
		return false
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	return strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(u.Path, "//") &&
		utf8.ValidString(u.Path) && !strings.ContainsFunc(u.Path, unsafeInURL)
}

// unsafeInURL reports characters a browser ignores or reinterprets in a
// redirect target (controls, spaces, backslash) or that hide the target
// from a person (bidi controls).
func unsafeInURL(r rune) bool {
	return r < 0x20 || r == 0x7f || r == '\\' || unicode.IsSpace(r) || unicode.Is(unicode.Bidi_Control, r) ||
		(r >= 0x80 && r <= 0x9f)
}

// fail answers an error page (or JSON for the API) with a generic text.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, what string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, code, apiError{what})
		return
	}
	lang := s.lang(r)
	msg := tr(lang, "err."+what)
	if msg == "err."+what {
		msg = http.StatusText(code)
	}
	w.WriteHeader(code)
	s.render(w, r, "error", &errorPage{Base: s.base(r, nil, msg), Code: code, Message: msg})
}
