package detect

import (
	"fmt"
	"strings"
	"testing"
)

// withCheck appends the My Number check digit to 11 digits.
func withCheck(base string) string {
	w := [11]int{6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	s := 0
	for i := 0; i < 11; i++ {
		s += int(base[i]-'0') * w[i]
	}
	r := s % 11
	c := 0
	if r > 1 {
		c = 11 - r
	}
	return base + string(rune('0'+c))
}

func newEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func scanText(e *Engine, s string, chunk int) *Report {
	r := e.NewReport()
	tx := r.Text(Location{Part: "1"})
	b := []byte(s)
	if chunk <= 0 {
		chunk = len(b) + 1
	}
	for len(b) > 0 {
		n := min(chunk, len(b))
		tx.Write(b[:n])
		b = b[n:]
	}
	tx.Close()
	return r
}

func scanTable(e *Engine, csv string) *Report {
	r := e.NewReport()
	tb := r.Table(Location{Part: "2", Path: "list.csv"})
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n") {
		var cells [][]byte
		for _, c := range strings.Split(line, ",") {
			cells = append(cells, []byte(c))
		}
		tb.Row(cells)
	}
	tb.Close()
	return r
}

var mn = withCheck("12345678901")

var textCases = []struct {
	name     string
	in       string
	personal bool
	kinds    []string // kinds that must be found
}{
	{"labelled record", "お客様情報\n氏名：山田 花子\n生年月日：昭和55年3月4日\n住所：〒150-0001 東京都渋谷区神宮前1-2-3\n電話：090-1234-5678\n証券番号：AB1234567\n", true,
		[]string{"name", "birth_date", "postal_address", "phone", "policy_number"}},
	{"my number with keyword", "個人番号：" + mn[:4] + "-" + mn[4:8] + "-" + mn[8:] + "\n", true, []string{"my_number"}},
	{"my number full-width", "マイナンバー　" + toFull(mn) + "\n", true, []string{"my_number"}},
	{"card grouped", "カード番号 4111-1111-1111-1111 有効期限 12/28\n", true, []string{"credit_card"}},
	{"jcb card keyword", "クレジットカード：3530111333300000\n", true, []string{"credit_card"}},
	{"letter address and 様", "〒150-0001\n東京都渋谷区神宮前1-2-3\n山田 花子 様\n", true, []string{"name", "postal_address"}},
	{"full-width phone and name", "氏名：山田花子　電話：０９０－１２３４－５６７８\n", true, []string{"name", "phone"}},
	{"era short birth date", "生年月日 S55.3.4 携帯 090-1234-5678\n", true, []string{"birth_date", "phone"}},
	{"gannen", "被保険者 鈴木 一郎 生年月日 平成元年5月1日\n", true, []string{"birth_date", "name"}},
	{"passport", "旅券番号 TK1234567\n", true, []string{"passport"}},
	{"driver's licence", "運転免許証番号：459803358720\n", true, []string{"drivers_license"}},
	{"licence number failing its check", "運転免許証番号：459803358730\n", false, nil},
	{"pension", "基礎年金番号 1234-567890\n", true, []string{"pension_number"}},
	{"bank account with name", "口座名義 ヤマダ ハナコ 様\n口座番号 普通 1234567\n", true, []string{"bank_account", "name"}},
	{"pasted csv", "以下のリストです。\n\n氏名,生年月日,電話番号,住所\n山田 花子,1980/03/04,090-1234-5678,東京都渋谷区神宮前1-2-3\n鈴木 一郎,1975/11/30,080-2345-6789,大阪府大阪市北区梅田1-1-1\n\nよろしくお願いします。\n", true,
		[]string{"name", "birth_date", "phone", "postal_address"}},
	{"tab list", "氏名\t電話\tメール\n山田 花子\t090-1234-5678\thanako@docomo.ne.jp\n", true, []string{"name", "phone", "email"}},
	{"old docomo email", "お名前：山田 花子\nメール：hanako..yamada.@docomo.ne.jp\n", true, []string{"email", "name"}},

	{"pdf list lines", "pos_noheader\nPage 1\n早乙女 大輔 080-5359-8694\n長谷川 さくら 090-2569-2315\n田中 翔太 090-8640-3079\n", true, []string{"name", "phone"}},
	{"pdf form spaced date", "氏名 竹中 浩二\nフリガナ タケナカ コウジ\n生年月日 1996 年 3 月 22 日\n", true, []string{"name", "birth_date"}},

	{"one list-like line", "営業担当 山田 太郎 090-1234-5678\n", false, nil},
	{"name line in signature", "山田 太郎 090-1234-5678\n株式会社オクリ\n", false, nil},
	{"signature", "山田 太郎\n株式会社オクリ保険代理店 営業部\n〒100-0001 東京都千代田区千代田1-1\nTEL: 03-1234-5678 FAX: 03-1234-5679\n携帯: 090-1234-5678\nEmail: yamada@okuri-agency.co.jp\n", false, nil},
	{"greeting and signature", "山田様\n\nいつもお世話になっております。\n資料をお送りします。\n\n--\n佐藤 次郎\n株式会社エックス\nTEL 03-1111-2222\nsato@x.co.jp\n", false, nil},
	{"12 digits without keyword", "注文番号 " + mn + " の件\n", false, nil},
	{"jan codes", "4901234567894 商品A 1,200円\n4902345678901 商品B 980円\n", false, nil},
	{"free dial", "お問い合わせ フリーダイヤル 0120-123-456 (平日9:00-17:00)\n", false, nil},
	{"log", "2024-11-23 10:15:32 INFO user=42 ip=192.168.1.10 took 123ms\n2024-11-23 10:15:33 WARN retry id=4111111111111111 code=09012345678x\n", false, nil},
	{"source", "func main() {\n\tx := 1234567\n\tphone := lookup(x)\n\tfmt.Println(phone, 0x1F3A)\n}\n", false, nil},
	{"invoice", "請求書\n株式会社ABC 御中\n注文番号: 20241123-0001\nお振込先: 三井住友銀行 新宿支店 普通 1234567\n合計 ¥12,345\nTEL 03-1234-5678\n", false, nil},
	{"minutes", "議事録 2024年11月23日\n参加者: 山田、佐藤、鈴木\n次回 12月5日 14:00 会議室A\n", false, nil},
	{"birth date without keyword", "契約日 1980/03/04 山田様\n", false, nil},
}

func toFull(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r += 0xFF10 - '0'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func TestText(t *testing.T) {
	e := newEngine(t)
	for _, tt := range textCases {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunk := range []int{0, 1, 7} {
				r := scanText(e, tt.in, chunk)
				s := r.Summary()
				if s.PersonalData != tt.personal {
					t.Errorf("chunk %d: personal = %v, want %v; %+v %+v", chunk, s.PersonalData, tt.personal, s, r.Findings())
				}
				for _, k := range tt.kinds {
					if s.Kinds[k] == 0 {
						t.Errorf("chunk %d: kind %s not found; %+v", chunk, k, r.Findings())
					}
				}
				for _, f := range r.Findings() {
					for _, smp := range f.Samples {
						if strings.Contains(tt.in, smp) && len(smp) > 8 && f.Kind != "email" {
							t.Errorf("sample %q of %s is not masked", smp, f.Kind)
						}
					}
				}
			}
		})
	}
}

var tableCases = []struct {
	name     string
	csv      string
	personal bool
	records  int
}{
	{"headed list", "氏名,フリガナ,生年月日,電話番号,メール,住所\n山田 花子,ヤマダ ハナコ,1980/03/04,090-1234-5678,hanako@docomo.ne.jp,東京都渋谷区神宮前1-2-3\n鈴木 一郎,スズキ イチロウ,S50.4.12,03-1234-5678,ichiro@example.com,大阪府大阪市北区梅田1-1-1\n", true, 2},
	{"title row then header", "顧客一覧 2024年11月,,\n契約者名,証券番号,連絡先\n山田 花子,AB1234567,090-1234-5678\n", true, 1},
	{"headerless", "山田 花子,090-1234-5678,東京都渋谷区神宮前1-2-3\n鈴木 一郎,080-2345-6789,大阪府大阪市北区梅田1-1-1\n佐藤 次郎,070-3456-7890,北海道札幌市中央区北1条西2-3\n", true, 3},
	{"excel serial dob", "氏名,生年月日\n山田 花子,29284\n鈴木 一郎,27500.0\n", true, 2},
	{"my number column", "番号,個人番号\n1," + mn + "\n", true, 1},
	{"headerless my numbers", withCheck("11111111111") + "\n" + withCheck("22222222222") + "\n" + withCheck("33333333333") + "\n", true, 3},
	{"kv form", "氏名,山田 花子\n生年月日,昭和55年3月4日\n住所,東京都渋谷区神宮前1-2-3\n", true, 1},
	{"full-width phones", "名前,携帯\n山田 花子,０９０－１２３４－５６７８\n", true, 1},

	{"branch list", "支店名,住所,電話番号,FAX\n新宿支店,東京都新宿区西新宿1-1-1,03-1234-5678,03-1234-5679\n梅田支店,大阪府大阪市北区梅田2-2-2,06-1234-5678,06-1234-5679\n", false, 0},
	{"branch list headerless", "新宿支店,東京都新宿区西新宿1-1-1,03-1234-5678\n梅田支店,大阪府大阪市北区梅田2-2-2,06-1234-5678\n", false, 0},
	{"price list", "商品コード,商品名,価格\n4901234567894,ボールペン,120\n123456789012,ノート,250\n" + withCheck("98765432109") + ",消しゴム,80\n", false, 0},
	{"invoice lines", "注文番号,品名,数量,単価,金額\n20241123-0001,用紙,10,500,5000\n20241123-0002,トナー,1,12000,12000\n", false, 0},
	{"company contacts", "会社名,法人番号,電話番号\n株式会社エー,7000012050002,03-1234-5678\n", false, 0},
}

func TestTable(t *testing.T) {
	e := newEngine(t)
	for _, tt := range tableCases {
		t.Run(tt.name, func(t *testing.T) {
			r := scanTable(e, tt.csv)
			s := r.Summary()
			if s.PersonalData != tt.personal || s.Records != tt.records {
				t.Errorf("personal=%v records=%d, want %v %d; %+v", s.PersonalData, s.Records, tt.personal, tt.records, r.Findings())
			}
		})
	}
}

func TestAllowLists(t *testing.T) {
	cfg := DefaultConfig()
	cfg.OwnDomains = []string{"okuri-agency.co.jp"}
	cfg.OwnPhones = []string{"090-1234-5678"}
	cfg.OwnAddresses = []string{"千代田区千代田1-1"}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := scanText(e, "氏名：山田 太郎\n携帯：０９０－１２３４－５６７８\nメール：yamada@okuri-agency.co.jp\n住所：東京都千代田区千代田１－１\n", 0)
	if s := r.Summary(); s.PersonalData {
		t.Errorf("own contact details counted: %+v %+v", s, r.Findings())
	}
}

func TestConfigErrors(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ColumnShare = 2
	cfg.Keywords = map[string][]string{"nope": {"x"}}
	cfg.PolicyPatterns = []PolicyPattern{{Insurer: "x", Pattern: "9"}}
	_, err := New(cfg)
	if err == nil {
		t.Fatal("want error")
	}
	for _, want := range []string{"column_share", "unknown kind", "policy_patterns[0]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestPolicyPattern(t *testing.T) {
	cfg := DefaultConfig()
	cfg.PolicyPatterns = []PolicyPattern{{Insurer: "A生命", Pattern: "AB-9999999"}}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := scanText(e, "お客様 山田 花子 様 ご契約 ＡＢ－１２３４５６７ について\n", 0)
	if s := r.Summary(); s.Kinds["policy_number"] != 1 || !s.PersonalData {
		t.Errorf("pattern policy not found: %+v %+v", s, r.Findings())
	}
}

func TestFindingsDeterministic(t *testing.T) {
	e := newEngine(t)
	a := fmt.Sprint(scanTable(e, tableCases[0].csv).Findings())
	for i := 0; i < 5; i++ {
		if b := fmt.Sprint(scanTable(e, tableCases[0].csv).Findings()); a != b {
			t.Fatalf("findings differ:\n%s\n%s", a, b)
		}
	}
}
