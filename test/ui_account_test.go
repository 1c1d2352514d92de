package test

import (
	"bytes"
	"context"
	"image/png"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	zqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/quarantine"
)

// TestUIBrowserEnrolAndPasswordChange: an admin reset the supervisor's
// password and 2FA. Signing in with the temporary password leads to
// enrolment, where the QR code as Chromium draws it is scanned (decoded
// from a screenshot) to get the secret; then the UI insists on a new
// password before showing any held mail.
func TestUIBrowserEnrolAndPasswordChange(t *testing.T) {
	e := startUI(t)
	const temp, fresh = "Temporary-Pass-1", "Supervisor-Own-26"
	if err := directory.SetTOTP(e.Users, uiApprover, "", nil); err != nil {
		t.Fatal(err)
	}
	if err := directory.ResetPassword(e.Users, uiApprover, temp, time.Now()); err != nil {
		t.Fatal(err)
	}
	usersBefore, _ := os.ReadFile(e.Users)
	ctx := browser(t)
	if err := chromedp.Do(ctx,
		e.passwordStep(uiApprover, temp),
		chromedp.WaitVisible(chromedp.CSS(`#totp-qr`)),
	); err != nil {
		t.Fatalf("to enrolment: %v", err)
	}
	qrPNG, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`#totp-qr`), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("screenshot of the QR code: %v", err)
	}
	shot(t, ctx, "enrol")
	secret := scanQR(t, qrPNG)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#enrol-form input[name=code]`), totpNow(secret, time.Now())),
		chromedp.Submit(chromedp.CSS(`#enrol-form`)),
		chromedp.WaitVisible(chromedp.CSS(`#recovery-codes`)),
		chromedp.Click(chromedp.CSS(`#enrol-continue`)),
		chromedp.WaitVisible(chromedp.CSS(`#password-expired`)),
	); err != nil {
		t.Fatalf("enrol, then the forced change: %v", err)
	}
	shot(t, ctx, "password")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=current]`), temp),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), fresh),
		chromedp.SendKeys(chromedp.CSS(`input[name=confirm]`), fresh),
		chromedp.Submit(chromedp.CSS(`#password-form`)),
		chromedp.WaitVisible(chromedp.CSS(`#password-done`)),
		chromedp.Navigate(e.URL+"/holds?tab=approve"),
		chromedp.WaitVisible(chromedp.CSS(`nav.tabs`)),
	); err != nil {
		t.Fatalf("change password: %v", err)
	}
	// Sign-in state is in the shared store; the users file is left as the
	// operator wrote it.
	acc, err := directory.NewAccounts(directory.AccountsOptions{KV: e.Store, NotFound: quarantine.ErrNotFound,
		Users: directory.NewFileSource(e.Users, nil).Current, Limits: func() directory.Limits {
			return directory.Limits{MaxFailures: 5, Window: time.Minute, Duration: time.Minute}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if u, ok, err := acc.Authenticate(context.Background(), uiApprover, fresh); !ok || err != nil || u.TOTP != secret || u.MustChangePassword {
		t.Errorf("account state after enrolment and change: ok %v, totp matches %v, err %v", ok, ok && u.TOTP == secret, err)
	}
	if after, _ := os.ReadFile(e.Users); string(after) != string(usersBefore) {
		t.Error("the UI rewrote the users file")
	}
	for _, typ := range []string{"ui.totp_enrolled", "ui.password_changed"} {
		if !e.Audit.has(typ, uiApprover) {
			t.Errorf("%s not audited", typ)
		}
	}
}

// scanQR decodes a screenshot of the enrolment QR code and returns the
// secret of the otpauth URI in it.
func scanQR(t *testing.T, pngData []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		t.Fatalf("qr screenshot: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR code Chromium shows does not scan: %v", err)
	}
	u, err := url.Parse(res.GetText())
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("QR holds %q, not an otpauth://totp URI", res.GetText())
	}
	secret := u.Query().Get("secret")
	if secret == "" {
		t.Fatalf("QR URI without a secret: %q", res.GetText())
	}
	return secret
}
