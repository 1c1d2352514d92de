package approvalsui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
)

//go:embed templates/*.html static/*
var assets embed.FS

// pageNames are the templates; each is parsed once with the layout.
var pageNames = []string{"login", "totp", "enrol", "list", "detail", "admin_users", "settings", "error", "done", "password", "decide", "delayed", "audit"}

type pages struct{ t map[string]*template.Template }

func parsePages() (*pages, error) {
	p := &pages{t: map[string]*template.Template{}}
	for _, n := range pageNames {
		t, err := template.New(n).ParseFS(assets, "templates/layout.html", "templates/"+n+".html")
		if err != nil {
			return nil, fmt.Errorf("approvals ui: template %s: %w", n, err)
		}
		p.t[n] = t
	}
	return p, nil
}

// Base is what every page shows: language, the signed-in person, the
// CSRF token for forms.
type Base struct {
	Lang  string
	User  *principal
	CSRF  string
	Title string
	Path  string
}

// T translates key into the page's language.
func (b *Base) T(key string) string { return tr(b.Lang, key) }

// OtherLang is the language the toggle switches to.
func (b *Base) OtherLang() string {
	if b.Lang == "en" {
		return "ja"
	}
	return "en"
}

func (s *Server) base(r *http.Request, p *principal, titleKeyOrText string) Base {
	b := Base{Lang: s.lang(r), User: p, Path: r.URL.RequestURI()}
	b.Title = tr(b.Lang, titleKeyOrText)
	if p != nil && p.se != nil {
		b.CSRF = p.se.CSRF
	}
	return b
}

// render executes a page into a buffer first, so a template error never
// sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages.t[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("ui: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

type errorPage struct {
	Base
	Code    int
	Message string
}

type donePage struct {
	Base
	Message string
	Back    string
}
