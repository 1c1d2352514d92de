package approvalsui

import (
	"io"
	"net/http"

	"github.com/okuri/okuri/audit"
)

// holdDownload sends the original .eml to an auditor; each download is an
// audit event, written before the first byte leaves.
func (s *Server) holdDownload(w http.ResponseWriter, r *http.Request, p *principal) {
	m, err := s.load(r.Context(), p, r.PathValue("id"))
	if err == nil && !p.Auditor {
		err = errForbidden
	}
	if err != nil {
		code, key := status(err)
		s.fail(w, r, code, key)
		return
	}
	rc, err := s.st.Open(r.Context(), m.ID)
	if err != nil {
		s.fail(w, r, http.StatusGone, "notfound")
		return
	}
	defer rc.Close()
	s.emit(r.Context(), r, audit.TypeMessageDownloaded, p.Addr, audit.Event{MessageID: m.ID, State: string(m.State), Size: m.Size})
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", `attachment; filename="`+m.ID+`.eml"`)
	io.Copy(w, rc)
}
