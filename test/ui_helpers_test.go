package test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	approvalsui "github.com/okuri/okuri/approvals-ui"
	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/gateway"
	"github.com/okuri/okuri/internal/smtpsink"
	"github.com/okuri/okuri/internal/testenv"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/relay"
)

// The browser tests run the approvals UI in-process on a real embedded
// store, with the real delivery worker sending to a real SMTP sink, and
// drive it with headless Chromium. (The okuri binary wires the same
// pieces; these tests do not need the gateway to hold mail, they store
// held messages directly.)

const (
	uiPassword = "Browser-Pass-42"
	uiSecret   = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	uiSender   = "alice@agency.test"
	uiApprover = "carol@agency.test"
	uiAuditor  = "eve@agency.test"
)

// uiAudit records UI audit events for the assertions.
type uiAudit struct {
	mu  sync.Mutex
	evs []audit.Event
}

func (a *uiAudit) Emit(_ context.Context, evs ...audit.Event) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.evs = append(a.evs, evs...)
	return nil
}

func (a *uiAudit) has(typ, user string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, e := range a.evs {
		if e.Type == typ && (user == "" || e.Actor.User == user) {
			return true
		}
	}
	return false
}

// uiEnv is one running UI with its store, worker and sink.
type uiEnv struct {
	t     *testing.T
	URL   string
	Store quarantine.Store
	Sink  *smtpsink.Sink
	UI    *approvalsui.Server
	Audit *uiAudit
	Users string // the users file
}

func totpNow(secret string, t time.Time) string {
	key, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[off:off+4])&0x7fffffff)%1000000)
}

func startUI(t *testing.T) *uiEnv {
	t.Helper()
	dir := t.TempDir()
	users := filepath.Join(dir, "users.yaml")
	for _, u := range []string{uiSender, uiApprover, uiAuditor} {
		if err := directory.SetPassword(users, u, strings.Split(u, "@")[0], nil, uiPassword, true); err != nil {
			t.Fatal(err)
		}
		if err := directory.SetTOTP(users, u, uiSecret, nil); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Default()
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.SMTP.Hostname = "okuri.e2e.test"
	cfg.Domains.Internal = []string{"agency.test"}
	cfg.Dir.UsersFile = users
	cfg.Dir.Groups = []config.Group{{Name: "sales", Members: []string{uiSender}, Approvers: []string{uiApprover}}}
	cfg.Dir.Auditors = []string{uiAuditor}
	cfg.Dir.Admins = []string{uiAuditor} // the admin pages are walked too
	quiet := slog.New(slog.DiscardHandler)
	st, err := quarantine.OpenEmbedded(quarantine.EmbeddedOptions{Dir: filepath.Join(dir, "store"), NoSync: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sink := smtpsink.Start(t, smtpsink.Options{})
	rc, err := relay.NewClient(relay.Options{Upstream: "smtp://" + sink.Addr, StartTLSOpportunistic: true, Helo: "okuri.e2e.test", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w, err := quarantine.NewWorker(quarantine.WorkerOptions{Store: st, Sender: rc, Poll: 200 * time.Millisecond, Prepare: gateway.Prepare, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; rc.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.UI.Listen = ln.Addr().String()
	cfg.UI.BaseURL = "https://" + ln.Addr().String()
	srvTLS, _, err := certs.ForTest()
	if err != nil {
		t.Fatal(err)
	}
	rec := &uiAudit{}
	ui, err := approvalsui.New(approvalsui.Options{Config: cfg, Store: st, Audit: rec, TLS: srvTLS, Kick: w.Kick, Listener: ln, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if err := ui.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, c := context.WithTimeout(context.Background(), 5*time.Second)
		defer c()
		ui.Shutdown(sctx)
	})
	return &uiEnv{t: t, URL: cfg.UI.BaseURL, Store: st, Sink: sink, UI: ui, Audit: rec, Users: users}
}

const uiMail = "From: Alice <alice@agency.test>\r\nTo: =?UTF-8?B?5bGx55Sw?= <yamada@customer-one.test>, sato@customer-two.test\r\n" +
	"Cc: carol@agency.test\r\nSubject: =?UTF-8?B?6aGn5a6i44Oq44K544OI44KS6YCB44KK44G+44GZ?=\r\n" +
	"Date: Tue, 24 Nov 2026 10:00:00 +0900\r\nMessage-ID: <e2e@agency.test>\r\nMIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=XX\r\n\r\n" +
	"--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>いつもお世話になっております。<script>alert(1)</script></p><p>顧客リストを添付します。</p>\r\n" +
	"--XX\r\nContent-Type: text/csv; name=customers.csv\r\nContent-Disposition: attachment; filename=customers.csv\r\n\r\n" +
	"氏名,電話\r\n山田太郎,090-1234-5678\r\n--XX--\r\n"

// holdMessage stores a held message from alice with a full decision and
// calls the notifier as the gateway does.
func (e *uiEnv) holdMessage(state quarantine.State) *quarantine.Message {
	e.t.Helper()
	action := map[quarantine.State]string{quarantine.StateHeldSelfCheck: "hold_selfcheck",
		quarantine.StateHeldApproval: "hold_approval", quarantine.StateQuarantined: "quarantine"}[state]
	// What the gateway records for this decision and uiMail: the
	// explanation (quarantine.Explain v1), the scanner's parts and text.
	d := &quarantine.Explain{V: 1, ReasonJA: "個人情報（個人データ）が含まれる、初めての送信先が含まれるため",
		ReasonEN: "contains personal data, includes a first-time recipient",
		Kinds:    map[string]int{"name": 1, "phone": 1}, Records: 1, Approvers: []string{uiApprover},
		External: 2, VisibleIndividuals: 2,
		ExternalDomains: []string{"customer-one.test", "customer-two.test"}, FirstTimeDomains: []string{"customer-two.test"},
		Lookalikes: []string{"customer-two.test ~ customer-too.test"},
		Rules: []quarantine.RuleResult{{Index: 1, Name: "pii-external", Action: action, Matched: true, Effect: "applied",
			Conds: []quarantine.Condition{{Key: "content", Want: "personal_data", Got: "personal_data", OK: true},
				{Key: "first_time_domain", Want: "yes", Got: "customer-two.test", OK: true}}}},
		Deliveries: []quarantine.DeliveryPreview{{Rcpts: []string{"yamada@customer-one.test", "sato@customer-two.test", "carol@agency.test"},
			Cc: "carol@agency.test"}}}
	now := time.Now()
	m := &quarantine.Message{
		Received: now, From: uiSender, AuthUser: uiSender, Group: "sales", State: state,
		To:      []string{"yamada@customer-one.test", "sato@customer-two.test", "carol@agency.test"},
		Headers: quarantine.Headers{From: "Alice <alice@agency.test>", To: "山田 <yamada@customer-one.test>, sato@customer-two.test", Cc: "carol@agency.test", Subject: "顧客リストを送ります"},
		Decision: quarantine.Decision{Action: action, Rule: "pii-external", Verdict: "personal_data", Explanation: "held by rule pii-external", Explain: d,
			Rewrite:  &quarantine.RewritePlan{V: 1, ForceBCC: true, Internal: []string{"agency.test"}},
			Findings: []quarantine.Finding{{Kind: "name", Count: 1, Samples: []string{"山田**"}, Where: "customers.csv"}, {Kind: "phone", Count: 1, Samples: []string{"090-****-5678"}, Where: "customers.csv"}}},
		Parts: []quarantine.Part{{Path: "1", Type: "text/html", Size: 133, Verdict: "clean"},
			{Path: "2", Name: "customers.csv", Type: "text/csv", Size: 41, Attachment: true, Verdict: "personal_data"}},
		Preview: "いつもお世話になっております。\n顧客リストを添付します。",
	}
	if state.Held() {
		m.HoldUntil = now.Add(24 * time.Hour)
	}
	if err := e.Store.Put(context.Background(), m, strings.NewReader(uiMail)); err != nil {
		e.t.Fatal(err)
	}
	e.UI.Held(context.Background(), m)
	return m
}

// waitSink waits until the sink got a message for rcpt whose text
// contains want, and returns it.
func (e *uiEnv) waitSink(rcpt, want string) smtpsink.Message {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range e.Sink.Messages() {
			for _, to := range m.To {
				if strings.EqualFold(to, rcpt) && strings.Contains(string(m.Data), want) {
					return m
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.t.Fatalf("no message to %s containing %q at the sink (%d messages)", rcpt, want, len(e.Sink.Messages()))
	return smtpsink.Message{}
}

// chromiumPath finds Debian's chromium; in CI its absence fails, elsewhere
// the test is skipped loudly.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if testenv.InCI() {
		t.Fatal("chromium is not installed and CI=true (apt-get install -y chromium)")
	}
	t.Skip("SKIPPING browser test: chromium not installed (apt-get install -y chromium); in CI this test would fail")
	return ""
}

// browser starts headless Chromium for one test; on failure the current
// page is saved as a screenshot in the test's artifact directory.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("ignore-certificate-errors", true), chromedp.Flag("lang", "ja-JP"), chromedp.Flag("accept-lang", "ja-JP,ja"),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		if t.Failed() {
			shot(t, ctx, "failure")
		}
		cancelT()
		cancelC()
		cancelA()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// shot saves a full-page screenshot into the artifact directory (and into
// $OKURI_UI_SHOTS when set, for people to look at).
func shot(t *testing.T, ctx context.Context, name string) string {
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	file := strings.ReplaceAll(t.Name(), "/", "_") + "-" + name + ".png"
	p := filepath.Join(t.ArtifactDir(), file)
	os.WriteFile(p, buf, 0o644)
	if d := os.Getenv("OKURI_UI_SHOTS"); d != "" {
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, file), buf, 0o644)
	}
	t.Logf("screenshot: %s", p)
	return p
}

// login signs in through the pages: password, then the TOTP code. Codes
// are accepted once per 30 s step per user, so each user logs in once
// per test.
func (e *uiEnv) login(ctx context.Context, user string) error {
	return chromedp.Do(ctx,
		e.passwordStep(user, uiPassword),
		chromedp.WaitVisible(chromedp.CSS(`#totp-form`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=code]`), totpNow(uiSecret, time.Now())),
		chromedp.Submit(chromedp.CSS(`#totp-form`)),
		chromedp.WaitVisible(chromedp.CSS(`nav.tabs`)),
	)
}

// passwordStep opens the login page in Japanese and submits address and
// password.
func (e *uiEnv) passwordStep(user, password string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(e.URL+"/lang/ja?next=/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=address]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Submit(chromedp.CSS(`#login-form`)),
	)
}

var reUILink = regexp.MustCompile(`https://[0-9.:]+/link/[A-Za-z0-9_\-.]+`)

// The UI is the gateway's Notifier.
var _ gateway.Notifier = (*approvalsui.Server)(nil)
