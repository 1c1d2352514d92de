package approvalsui

import (
	"fmt"
	"net/http"
	"strconv"
)

// formInput reads an action's fields from a form.
func formInput(r *http.Request) actionInput {
	r.ParseForm()
	in := actionInput{Comment: r.PostFormValue("comment"), Recipients: r.PostForm["rcpt"], via: "ui"}
	for _, a := range r.PostForm["att"] {
		if n, err := strconv.Atoi(a); err == nil {
			in.Attachments = append(in.Attachments, n)
		}
	}
	return in
}

// holdAction is every button on the message page: parse, perform (which
// authorizes), redirect back.
func (s *Server) holdAction(w http.ResponseWriter, r *http.Request, p *principal) {
	id := r.PathValue("id")
	if _, err := s.perform(r.Context(), r, p, id, r.PathValue("action"), formInput(r)); err != nil {
		code, key := status(err)
		s.fail(w, r, code, key)
		return
	}
	next := "/holds/" + id
	if n := r.PostFormValue("next"); n != "" {
		next = safeNext(n) // the delayed-send page returns to itself
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// holdBulk releases or deletes several quarantined messages (auditors).
// Each is its own compare-and-set; the page reports how many succeeded.
func (s *Server) holdBulk(w http.ResponseWriter, r *http.Request, p *principal) {
	r.ParseForm()
	action := r.PostFormValue("action")
	if !p.Auditor || (action != "release" && action != "delete") {
		s.fail(w, r, http.StatusForbidden, "forbidden")
		return
	}
	ok, failed := 0, 0
	for _, id := range r.PostForm["id"] {
		if _, err := s.perform(r.Context(), r, p, id, action, actionInput{Comment: r.PostFormValue("comment"), via: "ui-bulk"}); err != nil {
			failed++
			continue
		}
		ok++
	}
	b := s.base(r, p, "holds")
	msg := fmt.Sprintf(b.T("done."+action+".n"), ok)
	if failed > 0 {
		msg += " " + fmt.Sprintf(b.T("done.failed.n"), failed)
	}
	s.render(w, r, "done", &donePage{Base: b, Message: msg, Back: "/holds?tab=all"})
}
