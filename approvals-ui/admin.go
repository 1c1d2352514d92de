package approvalsui

import (
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/directory"
)

type userRow struct {
	Addr, Name string
	Roles      []string
	Enrolled   bool
	Locked     bool
}

type adminUsersPage struct {
	Base
	Users   []userRow
	IPs     []lockedIP // client IPs locked after too many failures
	Message string
}

// adminMessages are the banner messages /admin/users?m= may name.
var adminMessages = map[string]bool{"done": true}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, p *principal) {
	if !p.Admin {
		s.fail(w, r, http.StatusForbidden, "forbidden")
		return
	}
	page := &adminUsersPage{Base: s.base(r, p, "admin.users")}
	// The banner shows a known message only: a link with ?m=<any text>
	// must not put words of somebody else's choosing on the admin page.
	if m := r.URL.Query().Get("m"); adminMessages[m] {
		page.Message = page.T(m)
	}
	users, err := s.accounts.Users(r.Context())
	if err != nil {
		s.log.Error("ui: admin users", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	for _, u := range users {
		up := s.principalFor(&u)
		row := userRow{Addr: u.Address, Name: u.Name, Enrolled: u.TOTP != "", Locked: s.accountLocked(r.Context(), u.Address)}
		row.Roles = append(row.Roles, page.T("role.sender"))
		if up.Approver() {
			row.Roles = append(row.Roles, page.T("role.approver")+" ("+strings.Join(up.Groups, ", ")+")")
		}
		if up.Auditor {
			row.Roles = append(row.Roles, page.T("role.auditor"))
		}
		if up.Admin {
			row.Roles = append(row.Roles, page.T("role.admin"))
		}
		page.Users = append(page.Users, row)
	}
	page.IPs = s.lockedIPs(r.Context())
	s.emit(r.Context(), r, audit.TypeUIViewed, p.Addr, audit.Event{Attrs: map[string]string{"page": "admin_users"}})
	s.render(w, r, "admin_users", page)
}

// adminUserAction: unlock, reset2fa, resetpw. A reset ends the user's
// sessions everywhere. Each is an admin.* audit event.
func (s *Server) adminUserAction(w http.ResponseWriter, r *http.Request, p *principal) {
	if !p.Admin {
		s.fail(w, r, http.StatusForbidden, "forbidden")
		return
	}
	ctx := r.Context()
	target := lower(r.PostFormValue("user"))
	if _, ok := s.lookupUser(ctx, target); !ok {
		s.fail(w, r, http.StatusNotFound, "notfound")
		return
	}
	var err error
	typ := ""
	switch r.PathValue("action") {
	case "unlock":
		err = s.accounts.Unlock(ctx, target)
		typ = audit.TypeAdminUserUnlocked
	case "reset2fa":
		err = s.accounts.ResetTOTP(ctx, target)
		s.endAllSessions(ctx, target)
		typ = audit.TypeAdminTOTPReset
	case "resetpw":
		err = s.accounts.ResetPassword(ctx, target, r.PostFormValue("password"), s.now())
		switch {
		case directory.IsWeakPassword(err):
			s.fail(w, r, http.StatusBadRequest, "password")
			return
		case errors.Is(err, directory.ErrPasswordReused):
			s.fail(w, r, http.StatusBadRequest, "password.reused")
			return
		}
		s.endAllSessions(ctx, target)
		typ = audit.TypeAdminPasswordReset
	default:
		s.fail(w, r, http.StatusNotFound, "notfound")
		return
	}
	if err != nil {
		s.log.Error("ui: admin", "action", typ, "err", err)
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.emit(ctx, r, typ, p.Addr, audit.Event{Attrs: map[string]string{"user": target}})
	http.Redirect(w, r, "/admin/users?m=done", http.StatusSeeOther)
}

// adminIPUnlock lifts the lock of a client IP (admin.ip_unlocked).
func (s *Server) adminIPUnlock(w http.ResponseWriter, r *http.Request, p *principal) {
	if !p.Admin {
		s.fail(w, r, http.StatusForbidden, "forbidden")
		return
	}
	ip := r.PostFormValue("ip")
	if net.ParseIP(ip) == nil {
		s.fail(w, r, http.StatusBadRequest, "notfound")
		return
	}
	s.unlockIP(r.Context(), ip)
	s.emit(r.Context(), r, audit.TypeAdminIPUnlocked, p.Addr, audit.Event{Attrs: map[string]string{"ip": ip}})
	http.Redirect(w, r, "/admin/users?m=done", http.StatusSeeOther)
}

type settingsPage struct {
	Base
	UI     config.UI
	Groups []config.Group
	Dir    config.Directory
	Idle   string
	Abs    string
}

func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request, p *principal) {
	if !p.Admin {
		s.fail(w, r, http.StatusForbidden, "forbidden")
		return
	}
	s.emit(r.Context(), r, audit.TypeUIViewed, p.Addr, audit.Event{Attrs: map[string]string{"page": "admin_settings"}})
	s.render(w, r, "settings", &settingsPage{Base: s.base(r, p, "admin.settings"), UI: s.conf().UI, Groups: s.conf().Dir.Groups,
		Dir: s.conf().Dir, Idle: s.conf().UI.IdleTimeout().String(), Abs: s.conf().UI.AbsoluteTimeout().String()})
}
