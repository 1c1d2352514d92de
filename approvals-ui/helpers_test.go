package approvalsui

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/internal/testenv"
	"github.com/okuri/okuri/quarantine"
)

// Test users. Everyone's password is testPassword.
const (
	testPassword = "Correct-horse-9"
	uAlice       = "alice@agency.test" // sender, group sales
	uBob         = "bob@agency.test"   // sender, group support
	uCarol       = "carol@agency.test" // approver of sales (and a sales member)
	uDave        = "dave@agency.test"  // approver of support, fallback approver
	uEve         = "eve@agency.test"   // auditor
	uAdam        = "adam@agency.test"  // admin
	testSecret   = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

var allUsers = []string{uAlice, uBob, uCarol, uDave, uEve, uAdam}

// recorder collects audit events emitted by the UI.
type recorder struct {
	mu  sync.Mutex
	evs []audit.Event
}

func (r *recorder) Emit(_ context.Context, evs ...audit.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, evs...)
	return nil
}

func (r *recorder) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var l []string
	for _, e := range r.evs {
		l = append(l, e.Type)
	}
	return l
}

type fixture struct {
	t     *testing.T
	s     *Server
	st    quarantine.Store
	rec   *recorder
	cfg   *config.Config
	clock *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// usersOnce caches the hashed users file: argon2id is slow on purpose.
var (
	usersOnce sync.Once
	usersData []byte
)

func writeUsers(t *testing.T, path string) {
	t.Helper()
	usersOnce.Do(func() {
		dir := t.TempDir()
		p := filepath.Join(dir, "users.yaml")
		for _, u := range allUsers {
			if err := directory.SetPassword(p, u, strings.Split(u, "@")[0], nil, testPassword, true); err != nil {
				t.Fatal(err)
			}
			if u != uAlice && u != uBob {
				if err := directory.SetTOTP(p, u, testSecret, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		var err error
		if usersData, err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
	})
	if err := os.WriteFile(path, usersData, 0o600); err != nil {
		t.Fatal(err)
	}
}

func testConfig(dir string) *config.Config {
	cfg := config.Default()
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.SMTP.Hostname = "okuri.test"
	cfg.Domains.Internal = []string{"agency.test"}
	cfg.Dir.UsersFile = filepath.Join(dir, "users.yaml")
	cfg.Dir.Groups = []config.Group{
		{Name: "sales", Members: []string{uAlice, uCarol}, Approvers: []string{uCarol}},
		{Name: "support", Members: []string{uBob}, Approvers: []string{uDave}},
	}
	cfg.Dir.FallbackApprovers = []string{uDave}
	cfg.Dir.Auditors = []string{uEve}
	cfg.Dir.Admins = []string{uAdam}
	cfg.UI.Listen = "127.0.0.1:0"
	cfg.UI.BaseURL = "https://ui.test"
	return cfg
}

// newFixture returns a server on an embedded store (or Redis with
// backend "redis").
func newFixture(t *testing.T, backend string) *fixture {
	t.Helper()
	dir := t.TempDir()
	cfg := testConfig(dir)
	writeUsers(t, cfg.Dir.UsersFile)
	clk := &clock{t: time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)}
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	var st quarantine.Store
	switch backend {
	case "redis":
		addr := testenv.RedisAddr(t)
		prefix := testenv.UniqueName(t, "ui")
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		r, err := quarantine.OpenRedis(context.Background(), quarantine.RedisOptions{Client: rdb, Prefix: prefix, Now: clk.Now, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			r.Close()
			ctx := context.Background()
			iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
			for iter.Next(ctx) {
				rdb.Del(ctx, iter.Val())
			}
			rdb.Close()
		})
		st = r
	default:
		e, err := quarantine.OpenEmbedded(quarantine.EmbeddedOptions{Dir: filepath.Join(dir, "store"), NoSync: true, Now: clk.Now, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		st = e
	}
	srvTLS, _, err := certs.ForTest()
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	s, err := New(Options{Config: cfg, Store: st, Audit: rec, TLS: srvTLS, Clock: clk.Now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, s: s, st: st, rec: rec, cfg: cfg, clock: clk}
}

// session signs user in directly (both factors assumed) and returns the
// cookie and CSRF token.
func (f *fixture) session(user string) (*http.Cookie, string) {
	f.t.Helper()
	w := httptest.NewRecorder()
	se, err := f.s.newSession(context.Background(), w, user, stageFull)
	if err != nil {
		f.t.Fatal(err)
	}
	return w.Result().Cookies()[0], se.CSRF
}

// do sends a request through the whole handler chain.
func (f *fixture) do(method, path string, c *http.Cookie, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	r := httptest.NewRequest(method, "https://ui.test"+path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return f.serve(r, c)
}

func (f *fixture) serve(r *http.Request, c *http.Cookie) *httptest.ResponseRecorder {
	if c != nil {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	f.s.Handler().ServeHTTP(w, r)
	return w
}

const testBody = "From: Alice <alice@agency.test>\r\nTo: a@customer-one.test, b@customer-two.test\r\nCc: carol@agency.test\r\n" +
	"Subject: =?UTF-8?B?6aGn5a6i44Oq44K544OI?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n" +
	"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n顧客リストを送ります。\r\n" +
	"--XX\r\nContent-Type: text/csv; name=list.csv\r\nContent-Disposition: attachment; filename=list.csv\r\n\r\n氏名,電話\r\n山田太郎,090-1234-5678\r\n--XX--\r\n"

// put stores a message from sender (group) in state.
func (f *fixture) put(sender, group string, state quarantine.State) *quarantine.Message {
	f.t.Helper()
	m := &quarantine.Message{
		From: sender, AuthUser: sender, To: []string{"a@customer-one.test", "b@customer-two.test", "carol@agency.test"},
		Headers:  quarantine.Headers{From: sender, To: "a@customer-one.test, b@customer-two.test", Subject: "顧客リスト"},
		Group:    group,
		Decision: quarantine.Decision{Action: "hold", Rule: "pii-external", Verdict: "personal_data", Findings: []quarantine.Finding{{Kind: "phone", Count: 1, Samples: []string{"090-****-5678"}, Where: "attachment list.csv"}}},
		// The scanner's parts and text of testBody, as the gateway records them.
		Parts: []quarantine.Part{{Path: "1", Type: "text/plain", Size: 35, Verdict: "clean"},
			{Path: "2", Name: "list.csv", Type: "text/csv", Size: 41, Attachment: true, Verdict: "personal_data"}},
		Preview: "顧客リストを送ります。",
		State:   state,
	}
	if state.Held() {
		m.HoldUntil = f.clock.Now().Add(24 * time.Hour)
	}
	if err := f.st.Put(context.Background(), m, strings.NewReader(testBody)); err != nil {
		f.t.Fatal(err)
	}
	return m
}

func (f *fixture) state(id string) quarantine.State {
	f.t.Helper()
	m, err := f.st.Get(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return m.State
}
