package approvalsui

import (
	"io/fs"
	"net/http"
	"strings"
)

// routes is every route of the UI and the API in one place. Default deny:
// everything except the allow-listed public routes goes through s.auth,
// which needs a fully signed-in session; role checks happen in the
// handlers' store queries and in access.go.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")

	// Public: login steps, assets, the language toggle and signed links.
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles(static)))
	mux.HandleFunc("GET /login", s.loginShow)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("GET /login/totp", s.partial(s.totpShow))
	mux.HandleFunc("POST /login/totp", s.partial(s.totpSubmit))
	mux.HandleFunc("GET /totp/enrol", s.partial(s.enrolShow))
	mux.HandleFunc("POST /totp/enrol", s.partial(s.enrolSubmit))
	mux.HandleFunc("GET /lang/{lang}", s.langSet)
	mux.HandleFunc("GET /link/{token}", s.linkShow)
	mux.HandleFunc("POST /link/{token}", s.linkSubmit)
	mux.HandleFunc("GET /decide/{token}", s.decideShow)
	mux.HandleFunc("POST /decide/{token}", s.decideSubmit)
	mux.HandleFunc("POST /api/v1/login", s.apiLogin)

	// Signed in.
	mux.HandleFunc("GET /{$}", s.auth(s.home))
	mux.HandleFunc("POST /logout", s.authExpired(true, s.logout))
	mux.HandleFunc("GET /account/password", s.authExpired(true, s.passwordShow))
	mux.HandleFunc("POST /account/password", s.authExpired(true, s.passwordSubmit))
	mux.HandleFunc("POST /logout/all", s.auth(s.logoutAll))
	mux.HandleFunc("GET /holds", s.auth(s.holdList))
	mux.HandleFunc("GET /delayed", s.auth(s.delayedList))
	mux.HandleFunc("GET /audit", s.auth(s.auditTrail))
	mux.HandleFunc("GET /holds/{id}", s.auth(s.holdShow))
	mux.HandleFunc("GET /holds/{id}/eml", s.auth(s.holdDownload))
	mux.HandleFunc("POST /holds/{id}/{action}", s.auth(s.holdAction))
	mux.HandleFunc("POST /holds/bulk", s.auth(s.holdBulk))
	mux.HandleFunc("GET /admin/users", s.auth(s.adminUsers))
	mux.HandleFunc("POST /admin/users/{action}", s.auth(s.adminUserAction))
	mux.HandleFunc("POST /admin/ips/unlock", s.auth(s.adminIPUnlock))
	mux.HandleFunc("GET /admin/settings", s.auth(s.adminSettings))

	mux.HandleFunc("GET /api/v1/me", s.auth(s.apiMe))
	mux.HandleFunc("GET /api/v1/holds", s.auth(s.apiHoldList))
	mux.HandleFunc("GET /api/v1/holds/{id}", s.auth(s.apiHoldShow))
	mux.HandleFunc("GET /api/v1/holds/{id}/eml", s.auth(s.holdDownload))
	mux.HandleFunc("POST /api/v1/holds/{id}/{action}", s.auth(s.apiHoldAction))
	mux.HandleFunc("POST /api/v1/logout", s.auth(s.logout))

	return s.secure(http.NewCrossOriginProtection().Handler(mux))
}

// staticFiles serves the embedded assets, files only: a directory (the
// bare /static/ too) is 404, not a listing.
func staticFiles(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(r.URL.Path, "/")
		if fi, err := fs.Stat(fsys, name); name == "" || err != nil || fi.IsDir() {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}
