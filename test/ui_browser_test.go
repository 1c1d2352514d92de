package test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okuri/okuri/quarantine"
)

// waitState polls the store until message id is in state want.
func (e *uiEnv) waitState(id string, want quarantine.State) {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var got quarantine.State
	for time.Now().Before(deadline) {
		m, err := e.Store.Get(context.Background(), id)
		if err == nil {
			got = m.State
			if got == want {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.t.Fatalf("message %s: state %s, want %s", id, got, want)
}

// TestUIBrowserSelfCheck: the sender gets the held notice at the sink,
// signs in with password + TOTP, sees the held list (Japanese), opens the
// message, finds "send" disabled until every recipient and attachment is
// ticked, sends, and the message arrives at the sink with forced BCC.
func TestUIBrowserSelfCheck(t *testing.T) {
	e := startUI(t)
	ctx := browser(t)
	m := e.holdMessage(quarantine.StateHeldSelfCheck)
	notice := e.waitSink(uiSender, "Auto-Submitted: auto-generated")
	if !reUILink.Match(qpDecode(notice.Data)) {
		t.Fatalf("held notice without a self-check link:\n%s", notice.Data)
	}
	if err := e.login(ctx, uiSender); err != nil {
		t.Fatalf("login: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(e.URL+"/holds?tab=mine"), chromedp.WaitVisible(chromedp.CSS(`table.list`))); err != nil {
		t.Fatal(err)
	}
	list, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`table.list`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"顧客リストを送ります", "個人情報 1名分", "複数の顧客宛（BCC変換）", "初めての送信先", "類似ドメイン", "送信者確認待ち"} {
		if !strings.Contains(list, want) {
			t.Errorf("held list lacks %q:\n%s", want, list)
		}
	}
	shot(t, ctx, "list")
	boxes := []string{`input[value="yamada@customer-one.test"]`, `input[value="sato@customer-two.test"]`, `input[value="carol@agency.test"]`, `input[name=att][value="0"]`}
	if err := chromedp.Do(ctx, chromedp.Navigate(e.URL+"/holds/"+m.ID), chromedp.WaitVisible(chromedp.CSS(`#selfcheck-form`))); err != nil {
		t.Fatal(err)
	}
	preview, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`pre.preview`)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(preview, "<script") || !strings.Contains(preview, "顧客リストを添付します") {
		t.Errorf("body preview is not safe text: %q", preview)
	}
	shot(t, ctx, "detail")
	for i, b := range boxes {
		disabled, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("selfcheck-send").disabled`))
		if err != nil {
			t.Fatal(err)
		}
		if !disabled {
			t.Fatalf("send enabled with %d of %d boxes ticked", i, len(boxes))
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(b))); err != nil {
			t.Fatal(err)
		}
	}
	if disabled, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("selfcheck-send").disabled`)); err != nil || disabled {
		t.Fatalf("send still disabled with every box ticked (err %v)", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#selfcheck-send`)), chromedp.WaitVisible(chromedp.CSS(`span.state`))); err != nil {
		t.Fatal(err)
	}
	got := e.waitSink("yamada@customer-one.test", "Message-ID: <e2e@agency.test>")
	if strings.Contains(headerOf(got.Data), "sato@customer-two.test") {
		t.Errorf("forced BCC not applied: the other customer is visible:\n%s", headerOf(got.Data))
	}
	e.waitState(m.ID, quarantine.StateDelivered)
	if !e.Audit.has("ui.login", uiSender) || !e.Audit.has("message.viewed", uiSender) {
		t.Error("login or view not audited")
	}
}

// TestUIBrowserApproveReject: the supervisor gets the approval notice,
// signs in, approves one message and rejects another with a comment; the
// approved one arrives, the sender is told about both.
func TestUIBrowserApproveReject(t *testing.T) {
	e := startUI(t)
	ctx := browser(t)
	ok := e.holdMessage(quarantine.StateHeldApproval)
	no := e.holdMessage(quarantine.StateHeldApproval)
	n := e.waitSink(uiApprover, "/holds/"+ok.ID)
	if !strings.Contains(string(qpDecode(n.Data)), e.URL+"/holds/"+ok.ID) {
		t.Errorf("approver notice link missing")
	}
	if err := e.login(ctx, uiApprover); err != nil {
		t.Fatalf("login: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.URL+"/holds/"+ok.ID), chromedp.WaitVisible(chromedp.CSS(`#approve-form`)),
		chromedp.SendKeys(chromedp.CSS(`#comment`), "確認しました"),
		chromedp.Click(chromedp.CSS(`#approve`)), chromedp.WaitVisible(chromedp.CSS(`span.state`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.waitSink("yamada@customer-one.test", "Message-ID: <e2e@agency.test>")
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.URL+"/holds/"+no.ID), chromedp.WaitVisible(chromedp.CSS(`#approve-form`)),
		chromedp.SendKeys(chromedp.CSS(`#comment`), "宛先が違います"),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "approval")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#reject`)), chromedp.WaitVisible(chromedp.CSS(`span.state`))); err != nil {
		t.Fatal(err)
	}
	e.waitState(no.ID, quarantine.StateRejected)
	e.waitSink(uiSender, "rejected")
	e.waitSink(uiSender, "approved")
}

// TestUIBrowserQuarantineRelease: the security team selects a quarantined
// message in the list and releases it; it arrives at the sink.
func TestUIBrowserQuarantineRelease(t *testing.T) {
	e := startUI(t)
	ctx := browser(t)
	m := e.holdMessage(quarantine.StateQuarantined)
	if err := e.login(ctx, uiAuditor); err != nil {
		t.Fatalf("login: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.URL+"/holds?tab=all&state=quarantined"), chromedp.WaitVisible(chromedp.CSS(`#bulk-form`)),
		chromedp.Click(chromedp.CSS(`input.pick[value="`+m.ID+`"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "quarantine")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[value=release]`)), chromedp.WaitVisible(chromedp.CSS(`#done`))); err != nil {
		t.Fatal(err)
	}
	e.waitSink("sato@customer-two.test", "Message-ID: <e2e@agency.test>")
	e.waitState(m.ID, quarantine.StateDelivered)
}

// TestUIBrowserSelfCheckLink: the link in the held notice opens that one
// self-check without a login and works once.
func TestUIBrowserSelfCheckLink(t *testing.T) {
	e := startUI(t)
	ctx := browser(t)
	m := e.holdMessage(quarantine.StateHeldSelfCheck)
	notice := e.waitSink(uiSender, "Auto-Submitted: auto-generated")
	link := reUILink.FindString(string(qpDecode(notice.Data)))
	err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#selfcheck-form`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{`input[value="yamada@customer-one.test"]`, `input[value="sato@customer-two.test"]`, `input[value="carol@agency.test"]`, `input[name=att][value="0"]`} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(b))); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#selfcheck-send`)), chromedp.WaitVisible(chromedp.CSS(`#done`))); err != nil {
		t.Fatal(err)
	}
	e.waitSink("yamada@customer-one.test", "Message-ID: <e2e@agency.test>")
	if err := chromedp.Do(ctx, chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "無効") {
		t.Errorf("second use of the link: %q", body)
	}
	e.waitState(m.ID, quarantine.StateDelivered)
	if !e.Audit.has("message.viewed", uiSender) {
		t.Error("link view not audited")
	}
}

func headerOf(b []byte) string {
	s := string(b)
	if i := strings.Index(s, "\r\n\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// qpDecode undoes quoted-printable soft breaks and =3D well enough to find
// links in a notice.
func qpDecode(b []byte) []byte {
	s := strings.ReplaceAll(string(b), "=\r\n", "")
	return []byte(strings.ReplaceAll(s, "=3D", "="))
}
