package test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/quarantine"
)

// Long names as offices write them: a customer's address on a long
// domain, an Excel file named after its contents, a long subject.
const (
	longRcpt    = "yamada.taro.keiyakusha.tantou@very-long-customer-domain-name-for-testing.example.co.jp"
	longFile    = "顧客一覧_2026年11月分_自動車保険_更新対象者_営業部第二課_最終版(確認済み).csv"
	longSubject = "【至急・要確認】2026年11月更新分の自動車保険契約者一覧（営業部第二課・山田担当分）をお送りします"
)

var longMail = "From: Alice <alice@agency.test>\r\nTo: " + longRcpt + ", sato@customer-two.test\r\nCc: carol@agency.test\r\n" +
	"Subject: =?UTF-8?B?44CQ6Iez5oCl44O76KaB56K66KqN44CR?=\r\nDate: Tue, 24 Nov 2026 10:00:00 +0900\r\nMessage-ID: <long@agency.test>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
	"いつもお世話になっております。https://very-long-customer-domain-name-for-testing.example.co.jp/path/to/a/very/long/page/that/does/not/wrap/at/all\r\n" +
	"--XX\r\nContent-Type: text/csv; name*=UTF-8''" + pctEncode(longFile) + "\r\nContent-Disposition: attachment; filename*=UTF-8''" + pctEncode(longFile) + "\r\n\r\n" +
	"氏名,生年月日,電話番号\r\n山田太郎,1975/04/12,090-1234-5678\r\n--XX--\r\n"

func pctEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// holdLong stores a held message with long names (20 customers found)
// and calls the notifier as the gateway does.
func (e *uiEnv) holdLong(state quarantine.State) *quarantine.Message {
	e.t.Helper()
	action := map[quarantine.State]policy.Action{quarantine.StateHeldSelfCheck: policy.HoldSelfCheck, quarantine.StateHeldDelay: policy.Delay,
		quarantine.StateHeldApproval: policy.HoldApproval, quarantine.StateQuarantined: policy.Quarantine}[state]
	dom := "very-long-customer-domain-name-for-testing.example.co.jp"
	// What the gateway records (quarantine.Explain v1) for this decision.
	d := &quarantine.Explain{V: 1, ReasonJA: "個人情報（個人データ）が含まれるため", ReasonEN: "contains personal data",
		Kinds: map[string]int{"name": 20, "birth_date": 20, "phone": 20}, Records: 20, Approvers: []string{uiApprover},
		External: 2, ExternalDomains: []string{dom, "customer-two.test"}, FirstTimeDomains: []string{dom}, Keywords: []string{"社外秘"},
		Rules: []quarantine.RuleResult{{Index: 1, Name: "pii-external", Action: string(action), Matched: true, Effect: "applied",
			Conds: []quarantine.Condition{{Key: "content", Want: "personal_data", Got: "personal_data", OK: true},
				{Key: "min_records", Want: "≥ 5", Got: "20", OK: true}}}}}
	var fs []quarantine.Finding
	for _, c := range []struct{ k, col string }{{"name", "氏名"}, {"birth_date", "生年月日"}, {"phone", "電話番号"}} {
		fs = append(fs, quarantine.Finding{Kind: c.k, Count: 20, Records: 20, Column: c.col, Where: longFile, Samples: []string{"***"}})
	}
	now := time.Now()
	m := &quarantine.Message{Received: now, From: uiSender, AuthUser: uiSender, Group: "sales", State: state,
		To:      []string{longRcpt, "sato@customer-two.test", "carol@agency.test"},
		Headers: quarantine.Headers{From: "Alice <alice@agency.test>", To: longRcpt + ", sato@customer-two.test", Cc: "carol@agency.test", Subject: longSubject},
		Decision: quarantine.Decision{Action: string(action), Rule: "pii-external", Verdict: "personal_data", Explanation: "held by rule pii-external", Explain: d,
			Rewrite: &quarantine.RewritePlan{V: 1, ForceBCC: true, Internal: []string{"agency.test"}}, Findings: fs},
		Parts: []quarantine.Part{{Path: "1", Type: "text/plain", Size: 150, Verdict: "clean"},
			{Path: "2", Name: longFile, Type: "text/csv", Size: 70, Attachment: true, Verdict: "personal_data"}},
		Preview: "いつもお世話になっております。https://very-long-customer-domain-name-for-testing.example.co.jp/path/to/a/very/long/page/that/does/not/wrap/at/all"}
	if state.Held() {
		m.HoldUntil = now.Add(24 * time.Hour)
	}
	if err := e.Store.Put(context.Background(), m, strings.NewReader(longMail)); err != nil {
		e.t.Fatal(err)
	}
	e.UI.Held(context.Background(), m)
	return m
}

// page opens url and checks what a person sees there: every text in
// want, and nothing wider than the window (no sideways scrolling).
func (e *uiEnv) page(ctx context.Context, width int, name, url, wait string, want ...string) {
	e.t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(wait))); err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
	sw, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		e.t.Fatal(err)
	}
	if sw > width {
		e.t.Errorf("%s at %d px: page is %d px wide", name, width, sw)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`body`)))
	if err != nil {
		e.t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			e.t.Errorf("%s at %d px lacks %q", name, width, w)
		}
	}
	shot(e.t, ctx, fmt.Sprintf("%s-%d", name, width))
	docShot(e.t, ctx, fmt.Sprintf("%s-%d", name, width))
}

// docShot saves what the screen shows (not the whole page) into
// $OKURI_UI_DOCS, for docs/img (make ui-shots).
func docShot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("OKURI_UI_DOCS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
}

var reUIDecide = regexp.MustCompile(`https://[0-9.:]+/decide/[A-Za-z0-9_\-.]+`)

// TestUIBrowserPeopleFirst walks every page a person meets — sign-in,
// the self-check link, the approval mail's confirmation, the sender's,
// approver's and security team's lists and messages, the delayed-send
// page, the admin pages — at desktop (1280 px) and phone (390 px) width,
// and checks what is on screen: the one-line summary, the buttons, the
// reason, and that nothing makes the page scroll sideways.
func TestUIBrowserPeopleFirst(t *testing.T) {
	for _, width := range []int{1280, 390} {
		t.Run(fmt.Sprint(width), func(t *testing.T) { peopleFirst(t, width) })
	}
}

func peopleFirst(t *testing.T, width int) {
	e := startUI(t)
	ctx := browser(t)
	if width < 1280 {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 844, chromedp.EmulateMobile, chromedp.EmulateScale(1))); err != nil {
			t.Fatal(err)
		}
	}
	head := "顧客20名分（氏名・生年月日・電話番号）→ very-long-customer-domain-name-for-testing.example.co.jp（初めての送信先）"
	sc := e.holdLong(quarantine.StateHeldSelfCheck)
	ap := e.holdLong(quarantine.StateHeldApproval)
	ap2 := e.holdLong(quarantine.StateHeldApproval)
	q := e.holdLong(quarantine.StateQuarantined)
	e.holdLong(quarantine.StateHeldDelay)

	e.page(ctx, width, "login", e.URL+"/lang/ja?next=/login", `#login-form`, "ログイン", "パスワード")

	link := e.sinkFind(uiSender, reUILink, "")
	e.page(ctx, width, "link", link, `#selfcheck-form`, head, "送信者確認（セルフチェック）", "宛先を確認しました", longFile)

	body := e.sinkFind(uiApprover, nil, "/holds/"+ap2.ID)
	for _, want := range []string{head, longRcpt, longFile, "承認する:", "却下する:"} {
		if !strings.Contains(body, want) {
			t.Errorf("approval request mail lacks %q", want)
		}
	}
	decide := reUIDecide.FindString(body)
	e.page(ctx, width, "decide", decide, `#decide-form`, head, "承認する", longRcpt, longFile)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#comment`), "確認しました"),
		chromedp.Click(chromedp.CSS(`#decide-approve`)), chromedp.WaitVisible(chromedp.CSS(`#done`))); err != nil {
		t.Fatal(err)
	}
	if done, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#done`))); !strings.Contains(done, "承認しました") {
		t.Errorf("after approving from the mail: %q", done)
	}
	e.waitState(ap2.ID, quarantine.StateDelivered)

	if err := e.login(ctx, uiSender); err != nil {
		t.Fatalf("login: %v", err)
	}
	e.page(ctx, width, "mine", e.URL+"/holds?tab=mine", `table.list`, "個人情報 20名分", "送信者確認待ち", "個人情報（個人データ）が含まれるため")
	e.page(ctx, width, "selfcheck", e.URL+"/holds/"+sc.ID, `#selfcheck-form`, head, "確認して送信する", "列: 電話番号", "判定の詳しい説明")
	e.page(ctx, width, "delayed", e.URL+"/delayed", `#delayed`, "今すぐ送信", "送信を取り消す", longRcpt)
	e.page(ctx, width, "password", e.URL+"/account/password", `form`, "パスワード変更")
	e.logout(ctx)

	if err := e.login(ctx, uiApprover); err != nil {
		t.Fatalf("login: %v", err)
	}
	e.page(ctx, width, "approve-list", e.URL+"/holds?tab=approve", `table.list`, "承認待ち", "個人情報 20名分")
	e.page(ctx, width, "approval", e.URL+"/holds/"+ap.ID, `#approve-form`, head, "承認する", "却下する", "確認のための詳細")
	// The headline comes before the buttons, the buttons before the evidence.
	order, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){var h=document.getElementById("headline"),b=document.getElementById("approve"),ev=document.querySelector("h2.evidence");
		return h.getBoundingClientRect().top < b.getBoundingClientRect().top && b.getBoundingClientRect().top < ev.getBoundingClientRect().top;})()`))
	if err != nil || !order {
		t.Errorf("approval page order: headline, buttons, evidence (err %v)", err)
	}
	e.logout(ctx)

	if err := e.login(ctx, uiAuditor); err != nil {
		t.Fatalf("login: %v", err)
	}
	e.page(ctx, width, "all", e.URL+"/holds?tab=all", `table.list`, "隔離", "キーワード：社外秘", "種類：氏名・生年月日・電話番号")
	list, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`table.list`)))
	if strings.Contains(list, "保留メールのお知らせ") || strings.Contains(list, "承認待ちのメールがあります") {
		t.Error("the security team's list shows okuri's own notices")
	}
	e.page(ctx, width, "quarantined", e.URL+"/holds/"+q.ID, `#quarantine`, head, "解放する（送信する）", "削除する")
	e.page(ctx, width, "admin-users", e.URL+"/admin/users", `table.list`, uiSender, "二要素認証")
	e.page(ctx, width, "admin-settings", e.URL+"/admin/settings", `dl.kv`, "設定ファイル")
}

// logout signs out with the header's button.
func (e *uiEnv) logout(ctx context.Context) {
	e.t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`))); err != nil {
		e.t.Fatalf("logout: %v", err)
	}
}

// sinkFind waits for a mail to rcpt whose decoded text contains want (or
// matches re) and returns the match (or the whole text).
func (e *uiEnv) sinkFind(rcpt string, re *regexp.Regexp, want string) string {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range e.Sink.Messages() {
			if len(m.To) == 0 || !strings.EqualFold(m.To[0], rcpt) {
				continue
			}
			dec, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(m.Data)))
			if err != nil {
				dec = qpDecode(m.Data)
			}
			text := string(dec)
			if re != nil {
				if x := re.FindString(text); x != "" {
					return x
				}
				continue
			}
			if strings.Contains(text, want) {
				return text
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.t.Fatalf("no mail to %s with %v %q", rcpt, re, want)
	return ""
}
