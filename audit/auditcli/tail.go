package auditcli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/okuri/okuri/audit"
)

// labels are the words people read for each event type (GLOSSARY.md).
var labels = map[string][2]string{
	audit.TypeMessageReceived:     {"受信", "received"},
	audit.TypeMessageDecided:      {"判定", "decided"},
	audit.TypeMessageRewritten:    {"BCC変換", "forced BCC"},
	audit.TypeMessageHeld:         {"保留", "held"},
	audit.TypeMessageSelfChecked:  {"送信者確認", "self-check"},
	audit.TypeMessageApproved:     {"承認", "approved"},
	audit.TypeMessageRejected:     {"却下", "rejected"},
	audit.TypeMessageReleased:     {"解放", "released"},
	audit.TypeMessageCancelled:    {"送信取消", "cancelled"},
	audit.TypeMessageExpired:      {"期限切れ（未送信）", "expired (not sent)"},
	audit.TypeMessageQueued:       {"送信待ち", "queued"},
	audit.TypeMessageDelivered:    {"送信完了", "delivered"},
	audit.TypeMessageFailed:       {"送信失敗", "failed"},
	audit.TypeMessageDSNSent:      {"エラー通知送信", "DSN sent"},
	audit.TypeMessageDeleted:      {"削除", "deleted"},
	audit.TypeMessageViewed:       {"閲覧", "viewed"},
	audit.TypeMessageDownloaded:   {"ダウンロード", "downloaded"},
	audit.TypeMessagePurged:       {"保存期間満了", "purged"},
	audit.TypeUILogin:             {"ログイン", "sign in"},
	audit.TypeUILoginFailed:       {"ログイン失敗", "sign-in failed"},
	audit.TypeUILogout:            {"ログアウト", "sign out"},
	audit.TypeUITOTPEnrolled:      {"二要素認証登録", "2FA enrolled"},
	audit.TypeUIPasswordChanged:   {"パスワード変更", "password changed"},
	audit.TypeUIViewed:            {"閲覧", "viewed"},
	audit.TypeUIDownloaded:        {"ダウンロード", "downloaded"},
	audit.TypeConfigReloaded:      {"設定再読込", "config reloaded"},
	audit.TypeGatewayStarted:      {"起動", "gateway started"},
	audit.TypeGatewayStopped:      {"停止", "gateway stopped"},
	audit.TypeAuditEventsLost:     {"監査ログ欠落", "audit events lost"},
	audit.TypeAuditChainRestarted: {"監査チェーン開始", "audit chain started"},

	// Written before a message is handed to the upstream.
	audit.TypeMessageDeliveryAttempted: {"送信開始", "delivery attempted"},
}

// EventLabel is Label, telling apart the three ways a held message is let
// go, which share the type message.released.
func EventLabel(ev audit.Event) string {
	switch releaseKind(ev) {
	case "release":
		return "解放（隔離から送信） / released from quarantine"
	case "send_now":
		return "今すぐ送信 / send now"
	case "delay_elapsed":
		return "一時保留の期限で送信 / delayed send sent at its time"
	}
	return Label(ev.Type)
}

// Label returns "日本語 / English" for an event type.
func Label(typ string) string {
	if l, ok := labels[typ]; ok {
		return l[0] + " / " + l[1]
	}
	if strings.HasPrefix(typ, audit.TypeAdminPrefix) {
		return "管理操作 / admin: " + strings.TrimPrefix(typ, audit.TypeAdminPrefix)
	}
	return typ
}

func runTail(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("okuri audit tail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src source
	src.flags(fs, true)
	follow := fs.Bool("f", false, "keep printing new events")
	typ := fs.String("type", "", "only this type, or a prefix ending in '.' or '*' (message.*)")
	since := fs.String("since", "1h", "start this far back (7d, 24h) or at this date/time")
	zone := fs.String("tz", defaultZone(), "time zone for printed times ($OKURI_TZ)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	loc, err := loadZone(*zone)
	if err != nil {
		return err
	}
	from, err := parseWhen(*since, time.Now(), loc)
	if err != nil {
		return err
	}
	match := typeMatcher(*typ)
	return src.each(ctx, from, *follow, func(_ uint64, data []byte) error {
		ev, err := audit.Unmarshal(data)
		if err != nil {
			fmt.Fprintf(stdout, "?? undecodable event (%d bytes)\n", len(data))
			return nil
		}
		if !match(ev.Type) {
			return nil
		}
		_, err = fmt.Fprintln(stdout, FormatLine(ev, loc))
		return err
	})
}

func typeMatcher(t string) func(string) bool {
	switch {
	case t == "":
		return func(string) bool { return true }
	case strings.HasSuffix(t, "*"):
		p := strings.TrimSuffix(t, "*")
		return func(s string) bool { return strings.HasPrefix(s, p) }
	case strings.HasSuffix(t, "."):
		return func(s string) bool { return strings.HasPrefix(s, t) }
	}
	return func(s string) bool { return s == t }
}

// FormatLine renders one event for people: time, label, then the fields
// that are set, in a fixed order.
func FormatLine(ev audit.Event, loc *time.Location) string {
	var b strings.Builder
	label := EventLabel(ev)
	fmt.Fprintf(&b, "%s  %s%s", ev.Time.In(loc).Format("2006-01-02 15:04:05 MST"), label,
		strings.Repeat(" ", max(0, 34-displayWidth(label))))
	kv := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, " %s=%s", k, v)
		}
	}
	kv("msg", ev.MessageID)
	if ev.Actor.Kind == audit.ActorUser {
		kv("user", ev.Actor.User)
		kv("ip", ev.Actor.IP)
	}
	kv("sender", ev.Sender)
	if len(ev.Recipients) > 0 {
		kv("rcpt", strings.Join(ev.Recipients, ","))
	}
	kv("decision", ev.Decision)
	kv("rule", ev.Rule)
	kv("reason", ev.Reason)
	if ev.PrevState != "" {
		kv("state", ev.PrevState+"→"+ev.State)
	} else {
		kv("state", ev.State)
	}
	if len(ev.Findings) > 0 {
		kv("findings", counts(ev.Findings))
	}
	if ev.Subject != nil && ev.Subject.Text != "" {
		kv("subject", fmt.Sprintf("%q", ev.Subject.Text))
	}
	if ev.Rewrite != nil {
		kv("rewrite", ev.Rewrite.Kind)
		if ev.Rewrite.Moved > 0 {
			kv("moved", fmt.Sprint(ev.Rewrite.Moved))
		}
		if ev.Rewrite.Parts > 0 {
			kv("parts", fmt.Sprint(ev.Rewrite.Parts))
		}
	}
	if ev.Upstream != nil && ev.Upstream.Code != 0 {
		kv("upstream", fmt.Sprintf("%d %s", ev.Upstream.Code, ev.Upstream.Enhanced))
	}
	if ev.Lost != nil {
		kv("lost", fmt.Sprintf("%d (%s)", ev.Lost.Count, counts(ev.Lost.ByType)))
	}
	if ev.Comment != "" {
		kv("comment", fmt.Sprintf("%q", ev.Comment))
	}
	kv("instance", fmt.Sprintf("%s#%d", ev.Instance, ev.Seq))
	return b.String()
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return strings.Join(parts, ",")
}

// displayWidth approximates the terminal width of s: East Asian wide and
// full-width characters take two columns.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r >= 0xFF61 && r <= 0xFF9F: // half-width katakana
			w++
		case r >= 0x1100 && (r <= 0x115F || (r >= 0x2E80 && r <= 0xA4CF) || (r >= 0xAC00 && r <= 0xD7A3) ||
			(r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFE30 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF60) ||
			(r >= 0xFFE0 && r <= 0xFFE6) || r >= 0x20000):
			w += 2
		default:
			w++
		}
	}
	return w
}
