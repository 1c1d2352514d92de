package approvalsui

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// customerList is a CRM export with n customers and 7 columns, as Excel
// saves it (CRLF, quoted address with a comma).
func customerList(n int) string {
	var b strings.Builder
	b.WriteString("顧客番号,氏名,フリガナ,生年月日,電話番号,住所,証券番号\r\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "C%04d,山田 太郎%d,ヤマダ タロウ,1975/04/%02d,090-12%02d-56%02d,\"東京都千代田区丸の内1-%d-1, 丸の内ビル\",AB%08d\r\n",
			i, i, i%28+1, i, i, i, 12345600+i)
	}
	return b.String()
}

// putCustomerList stores what the gateway stores for a 20-customer list
// to one first-time external domain, held for approval: one finding per
// column, each covering the 20 records.
func (f *fixture) putCustomerList(n int) *quarantine.Message {
	f.t.Helper()
	return f.putCustomerListIn(n, quarantine.StateHeldApproval)
}

// putCustomerListIn is putCustomerList in another state.
func (f *fixture) putCustomerListIn(n int, state quarantine.State) *quarantine.Message {
	f.t.Helper()
	att := customerList(n)
	body := "From: Alice <alice@agency.test>\r\nTo: tanaka@example.com\r\nSubject: =?UTF-8?B?5aWR57SE6ICF5LiA6Kan?=\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"ご確認ください。\r\n--XX\r\nContent-Type: text/csv; name=\"customers_2026-11.csv\"\r\nContent-Disposition: attachment; filename=\"customers_2026-11.csv\"\r\n\r\n" +
		att + "\r\n--XX--\r\n"
	cols := []struct{ kind, col string }{{"name", "氏名"}, {"birth_date", "生年月日"}, {"phone", "電話番号"},
		{"postal_address", "住所"}, {"policy_number", "証券番号"}, {"name", "フリガナ"}, {"policy_number", "顧客番号"}}
	var fs []quarantine.Finding
	kinds := map[string]int{}
	for _, c := range cols {
		fs = append(fs, quarantine.Finding{Kind: c.kind, Count: n, Records: n, Column: c.col, Where: "customers_2026-11.csv", Samples: []string{"***"}})
		kinds[c.kind] += n
	}
	// What the gateway records (quarantine.Explain v1) for this decision.
	d := &quarantine.Explain{V: 1, ReasonJA: "個人情報（個人データ）が含まれるため", ReasonEN: "contains personal data",
		Kinds: kinds, Records: n, Approvers: []string{uCarol},
		External: 1, ExternalDomains: []string{"example.com"}, FirstTimeDomains: []string{"example.com"},
		Rules: []quarantine.RuleResult{{Index: 1, Name: "pii-external", Action: "hold_approval", ActionJA: "上長承認", ActionEN: "supervisor approval",
			Matched: true, Effect: "applied",
			Conds: []quarantine.Condition{{Key: "external", Want: "yes", Got: "yes", OK: true},
				{Key: "content", Want: "personal_data", Got: "personal_data", OK: true},
				{Key: "min_records", Want: "≥ 5", Got: fmt.Sprint(n), OK: true}}}}}
	m := &quarantine.Message{From: uAlice, AuthUser: uAlice, Group: "sales", To: []string{"tanaka@example.com"},
		Headers: quarantine.Headers{From: "Alice <alice@agency.test>", To: "tanaka@example.com", Subject: "契約者一覧"},
		Decision: quarantine.Decision{Action: "approval", Rule: "pii-external", Verdict: "personal_data", Findings: fs, Explain: d,
			Explanation: "hold_approval by rule pii-external"},
		Parts: []quarantine.Part{{Path: "1", Type: "text/plain", Size: int64(len("ご確認ください。\r\n")), Verdict: "clean"},
			{Path: "2", Name: "customers_2026-11.csv", Type: "text/csv", Size: int64(len(att)), Attachment: true, Verdict: "personal_data"}},
		Preview:   "ご確認ください。",
		State:     state,
		Received:  f.clock.Now(),
		HoldUntil: f.clock.Now().Add(24 * time.Hour),
	}
	if err := f.st.Put(context.Background(), m, strings.NewReader(body)); err != nil {
		f.t.Fatal(err)
	}
	return m
}

// TestApprovalPageHeadline: the supervisor's page opens with one line to
// decide from — customers counted as people, kinds named, the domain
// marked first-time — then the buttons, then the evidence; the rule
// explanation is Japanese and collapsed; dates JST, sizes in KB.
func TestApprovalPageHeadline(t *testing.T) {
	f := newFixture(t, "embedded")
	m := f.putCustomerList(20)
	c, _ := f.session(uCarol)
	w := f.do("GET", "/holds/"+m.ID, c, nil)
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	page := html.UnescapeString(w.Body.String())
	head := "顧客20名分（氏名・生年月日・電話番号・住所・証券番号）→ example.com（初めての送信先）"
	for _, want := range []string{head, "個人情報 20名分", "列: 電話番号", "列: 生年月日", `<details id="rules">`,
		"検査結果 — 条件: 個人情報 / このメール: 個人情報", "2026-11-24 10:00", " KB)"} {
		if !strings.Contains(page, want) {
			t.Errorf("approval page lacks %q", want)
		}
	}
	if strings.Contains(page, "個人情報 140") {
		t.Error("badge counts cells (140), not people")
	}
	hi, bi, ei := strings.Index(page, head), strings.Index(page, `id="approve"`), strings.Index(page, `class="evidence"`)
	if hi < 0 || bi < 0 || ei < 0 || !(hi < bi && bi < ei) {
		t.Errorf("order: headline %d, approve button %d, evidence %d; want headline, buttons, evidence", hi, bi, ei)
	}

	r := httptest.NewRequest("GET", "https://ui.test/holds/"+m.ID, nil)
	r.AddCookie(&http.Cookie{Name: "okuri_lang", Value: "en"})
	page = html.UnescapeString(f.serve(r, c).Body.String())
	if want := "20 customers (name, date of birth, phone, address, policy number) → example.com (first-time recipient)"; !strings.Contains(page, want) {
		t.Errorf("English page lacks %q", want)
	}
}
