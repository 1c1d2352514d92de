package approvalsui

import (
	"net/http"
	"strings"
)

// messages is every word the UI shows, Japanese first (GLOSSARY.md).
var messages = map[string][2]string{
	"app":                    {"okuri 送信確認", "okuri approvals"},
	"login":                  {"ログイン", "Sign in"},
	"logout":                 {"ログアウト", "Sign out"},
	"logout.all":             {"すべての端末からログアウト", "Sign out everywhere"},
	"address":                {"メールアドレス", "Email address"},
	"password":               {"パスワード", "Password"},
	"totp":                   {"二要素認証", "Two-factor authentication"},
	"totp.code":              {"確認コード（6桁）またはリカバリーコード", "Verification code (6 digits) or recovery code"},
	"totp.enrol":             {"二要素認証の登録", "Set up two-factor authentication"},
	"totp.enrol.help":        {"認証アプリ（Google Authenticator など）で QR コードを読み取るか次のキーを登録し、表示された確認コードを入力してください。", "Scan the QR code with your authenticator app (e.g. Google Authenticator) or add the key below, then enter the code it shows."},
	"totp.qr":                {"認証アプリで読み取ってください", "Scan with your authenticator app"},
	"totp.key":               {"セットアップキー", "Setup key"},
	"totp.uri":               {"otpauth URI", "otpauth URI"},
	"recovery":               {"リカバリーコード", "Recovery codes"},
	"recovery.help":          {"認証アプリを使えないときのためのコードです。今だけ表示されます。安全な場所に保管してください。各コードは1回だけ使えます。", "Use these if you lose your authenticator. They are shown only now; keep them somewhere safe. Each works once."},
	"continue":               {"続ける", "Continue"},
	"submit":                 {"送信", "Submit"},
	"holds":                  {"保留メール", "Held messages"},
	"tab.mine":               {"自分の保留メール", "My held messages"},
	"tab.approve":            {"承認待ち", "Awaiting approval"},
	"tab.all":                {"隔離・全保留メール", "Quarantine and all held mail"},
	"admin":                  {"管理者", "Administrator"},
	"admin.users":            {"ユーザー", "Users"},
	"admin.settings":         {"設定", "Settings"},
	"state":                  {"状態", "State"},
	"sender":                 {"送信者", "Sender"},
	"group":                  {"グループ", "Group"},
	"subject":                {"件名", "Subject"},
	"from":                   {"差出人", "From"},
	"received":               {"送信日時", "Sent"},
	"deadline":               {"期限", "Deadline"},
	"timeleft":               {"残り時間", "Time left"},
	"reason":                 {"保留理由", "Reason"},
	"search":                 {"検索", "Search"},
	"text":                   {"件名・宛先で検索", "Subject or address"},
	"since":                  {"この日から", "From"},
	"until":                  {"この日まで", "Until"},
	"all":                    {"すべて", "All"},
	"next":                   {"次へ", "Next"},
	"none":                   {"該当するメールはありません。", "No messages match."},
	"recipients":             {"宛先", "Recipients"},
	"recipient":              {"宛先", "Recipient"},
	"external":               {"社外", "external"},
	"internal":               {"社内", "internal"},
	"domain":                 {"ドメイン", "Domain"},
	"firsttime":              {"初めての送信先", "first-time recipient"},
	"lookalike":              {"類似ドメイン", "look-alike domain"},
	"rewrite":                {"送信時の宛先表示（BCC変換・分割送信）", "How recipients will see it (forced BCC / split)"},
	"rewrite.none":           {"宛先の書き換えはありません。", "No recipient rewrite."},
	"rewrite.delivery":       {"配送", "Delivery"},
	"rewrite.visible":        {"見える宛先（To/Cc）", "Visible To/Cc"},
	"attachments":            {"添付ファイル", "Attachments"},
	"findings":               {"検出された個人情報", "Personal data found"},
	"kind":                   {"種類", "Kind"},
	"count":                  {"件数", "Count"},
	"where":                  {"場所", "Where"},
	"samples":                {"例（マスク済み）", "Samples (masked)"},
	"preview":                {"本文（テキスト表示）", "Body (plain text)"},
	"decision":               {"保留の判定", "Why it was held"},
	"history":                {"履歴", "History"},
	"headers":                {"ヘッダー", "Headers"},
	"envelope":               {"送信情報（エンベロープ）", "Envelope (SMTP)"},
	"size":                   {"サイズ", "Size"},
	"comment":                {"コメント", "Comment"},
	"selfcheck":              {"送信者確認（セルフチェック）", "Self-check"},
	"selfcheck.help":         {"宛先（特に社外の宛先）と添付ファイルをひとつずつ確認し、すべてにチェックを入れてから送信してください。", "Check every recipient (especially external ones) and every attachment, tick each box, then send."},
	"selfcheck.rcpt":         {"宛先を確認しました", "I checked this recipient"},
	"selfcheck.att":          {"添付ファイルを確認しました", "I checked this attachment"},
	"selfcheck.send":         {"確認して送信する", "Confirm and send"},
	"cancel":                 {"送信を取り消す", "Cancel"},
	"sendnow":                {"今すぐ送信", "Send now"},
	"approve":                {"承認する", "Approve"},
	"reject":                 {"却下する", "Reject"},
	"release":                {"解放する（送信する）", "Release"},
	"delete":                 {"削除する", "Delete"},
	"download":               {"元のメール（.eml）をダウンロード", "Download original (.eml)"},
	"bulk":                   {"選択したメールを", "Selected messages:"},
	"unlock":                 {"ロック解除", "Unlock"},
	"reset2fa":               {"二要素認証をリセット", "Reset 2FA"},
	"resetpw":                {"パスワードを再設定", "Reset password"},
	"newpassword":            {"新しいパスワード", "New password"},
	"roles":                  {"役割", "Roles"},
	"role.sender":            {"送信者", "sender"},
	"role.approver":          {"承認者", "approver"},
	"role.auditor":           {"セキュリティ担当（監査担当）", "security team / auditor"},
	"role.admin":             {"管理者", "administrator"},
	"enrolled":               {"登録済み", "enrolled"},
	"notenrolled":            {"未登録", "not enrolled"},
	"lockedstate":            {"ロック中", "locked"},
	"settings.readonly":      {"設定は設定ファイルで管理されています（読み取り専用）。", "Settings are managed in the configuration file (read-only)."},
	"done":                   {"ユーザーの設定を変更しました。", "The user's settings were changed."},
	"done.selfcheck":         {"確認が完了しました。メールを送信します。", "Self-check complete. The message is being sent."},
	"badge.pii":              {"個人情報", "personal data"},
	"badge.encrypted":        {"暗号化ファイル", "encrypted file"},
	"badge.unscannable":      {"検査できないファイル", "cannot be scanned"},
	"badge.bcc":              {"複数の顧客宛（BCC変換）", "several customers (forced BCC)"},
	"badge.firsttime":        {"初めての送信先", "first-time recipient"},
	"badge.lookalike":        {"類似ドメイン", "look-alike domain"},
	"expired":                {"期限切れ", "past the deadline"},
	"st.queued":              {"送信処理中", "sending"},
	"st.delivered":           {"送信済み", "delivered"},
	"st.failed":              {"送信失敗", "failed"},
	"st.held_delay":          {"一時保留（送信待ち）", "delayed send"},
	"st.held_selfcheck":      {"送信者確認待ち", "awaiting self-check"},
	"st.held_approval":       {"承認待ち", "awaiting approval"},
	"st.quarantined":         {"隔離", "quarantined"},
	"st.cancelled":           {"取り消し済み", "cancelled"},
	"st.expired":             {"期限切れ（未送信）", "expired (not sent)"},
	"st.rejected":            {"却下", "rejected"},
	"st.deleted":             {"削除済み", "deleted"},
	"err.csrf":               {"フォームの有効期限が切れました。ページを再読み込みしてください。", "The form expired. Reload the page and try again."},
	"err.notfound":           {"メールが見つかりません。削除されたか、表示する権限がありません。", "Message not found: it was deleted, or you may not see it."},
	"err.forbidden":          {"この操作は許可されていません。", "You may not do this."},
	"err.deadline":           {"期限を過ぎたため送信できません（期限切れ）。", "The deadline has passed; this message can no longer be sent."},
	"err.conflict":           {"このメールはすでに別の人が操作したか、状態が変わっています。ページを再読み込みしてください。", "Someone else acted on this message or its state changed. Reload the page."},
	"err.unchecked":          {"すべての宛先と添付ファイルにチェックを入れてください。", "Tick every recipient and every attachment."},
	"err.login":              {"メールアドレスまたはパスワードが正しくありません。", "Wrong address or password."},
	"err.locked":             {"ログインに続けて失敗したため、一時的にロックしています。しばらく待ってからもう一度お試しいただくか、管理者に連絡してください。", "Too many failed sign-ins: this account is locked for a while. Wait and try again, or ask an administrator."},
	"err.code":               {"確認コードが正しくありません。", "Wrong verification code."},
	"err.link":               {"このリンクは無効か、使用済みか、期限切れです。ログインしてください。", "This link is invalid, used or expired. Please sign in."},
	"err.password":           {"パスワードは10文字以上で、英大文字・英小文字・数字・記号のうち3種類以上を含めてください。", "Passwords need 10+ characters from three of: upper case, lower case, digits, symbols."},
	"err.password.mismatch":  {"新しいパスワードと確認用の入力が一致しません。", "The new password and its confirmation differ."},
	"err.password.current":   {"現在のパスワードが正しくありません。", "The current password is wrong."},
	"err.password.reused":    {"過去5回以内に使用したパスワードは使えません。", "You may not reuse any of your last 5 passwords."},
	"err.password.weak":      {"パスワードは10文字以上で、英大文字・英小文字・数字・記号のうち3種類以上を含めてください。", "Passwords need 10+ characters from three of: upper case, lower case, digits, symbols."},
	"err.password.expired":   {"パスワードの有効期限が切れています。先にパスワードを変更してください。", "Your password expired. Change it first."},
	"lockedips":              {"ロック中の接続元 IP", "Locked client IPs"},
	"lockeduntil":            {"ロック解除予定", "Locked until"},
	"password.change":        {"パスワード変更", "Change password"},
	"password.expired":       {"パスワードの有効期限が切れたか、管理者によってリセットされました。続けるには新しいパスワードを設定してください。", "Your password expired or was reset by an administrator. Choose a new one to continue."},
	"password.current":       {"現在のパスワード", "Current password"},
	"password.new":           {"新しいパスワード", "New password"},
	"password.confirm":       {"新しいパスワード（確認）", "New password (again)"},
	"password.rules":         {"10文字以上、英大文字・英小文字・数字・記号のうち3種類以上。過去5回以内のパスワードは使えません。", "10+ characters from three of: upper case, lower case, digits, symbols. None of your last 5 passwords."},
	"password.done":          {"パスワードを変更しました。他の端末のセッションはログアウトされました。", "Password changed. Your sessions on other devices were signed out."},
	"err.comment":            {"却下するにはコメントを入力してください。", "A comment is required to reject."},
	"err.internal":           {"サーバーでエラーが発生しました。しばらくしてからもう一度お試しください。続く場合は管理者に連絡してください。", "Something went wrong on the server. Try again in a while; if it keeps happening, tell your administrator."},
	"ev.message.held":        {"保留されました", "Held"},
	"ev.message.queued":      {"送信処理に入りました", "Queued for sending"},
	"ev.message.selfchecked": {"送信者が確認しました", "Checked by the sender"},
	"ev.message.approved":    {"承認されました", "Approved"},
	"ev.message.rejected":    {"却下されました", "Rejected"},
	"ev.message.released":    {"解放されました（送信）", "Released (sent)"},
	"ev.message.cancelled":   {"送信が取り消されました", "Sending cancelled"},
	"ev.message.expired":     {"期限切れ（未送信）になりました", "Expired (not sent)"},
	"ev.message.deleted":     {"削除されました", "Deleted"},
	"ev.message.delivered":   {"送信しました", "Delivered"},
	"ev.message.failed":      {"送信に失敗しました", "Delivery failed"},
	"kind.my_number":         {"マイナンバー（個人番号）", "My Number"},
	"kind.phone":             {"電話番号", "phone"},
	"kind.email":             {"メールアドレス", "email address"},
	"kind.postal_address":    {"住所", "address"},
	"kind.birth_date":        {"生年月日", "date of birth"},
	"kind.name":              {"氏名", "name"},
	"kind.credit_card":       {"クレジットカード番号", "card number"},
	"kind.bank_account":      {"口座番号", "bank account"},
	"kind.policy_number":     {"証券番号", "policy number"},
	"kind.drivers_license":   {"運転免許証番号", "driver's licence"},
	"kind.passport":          {"旅券番号", "passport"},
	"kind.health_insurance":  {"健康保険証番号", "health insurance"},
	"kind.pension_number":    {"基礎年金番号", "pension number"},
	"lang.toggle":            {"English", "日本語"},
}

// tr returns the text of key in lang ("ja" or "en"); the key itself when
// unknown, so a missing word is visible rather than blank.
func tr(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		if m, ok = pageWords[key]; !ok {
			return key
		}
	}
	if lang == "en" {
		return m[1]
	}
	return m[0]
}

// lang picks the language: the toggle cookie, then Accept-Language (the
// first of ja/en named), then ui.language.
func (s *Server) lang(r *http.Request) string {
	if c, err := r.Cookie("okuri_lang"); err == nil && (c.Value == "ja" || c.Value == "en") {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := lower(strings.SplitN(part, ";", 2)[0])
		switch {
		case strings.HasPrefix(tag, "ja"):
			return "ja"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return s.conf().UI.Lang()
}

// langSet is the toggle: it remembers the choice and goes back home.
func (s *Server) langSet(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if l != "ja" && l != "en" {
		l = "ja"
	}
	http.SetCookie(w, &http.Cookie{Name: "okuri_lang", Value: l, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}
