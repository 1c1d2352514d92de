package detect

import (
	"fmt"
	"testing"
)

func dump(t *testing.T, r *Report) {
	for _, f := range r.Findings() {
		t.Logf("%+v", f)
	}
	t.Logf("%+v", r.Summary())
}

func TestQuick(t *testing.T) {
	e, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	r := e.NewReport()
	tx := r.Text(Location{Part: "1"})
	fmt.Fprint(tx, "お客様情報\n氏名：山田 花子\n生年月日：昭和55年3月4日\n住所：〒150-0001 東京都渋谷区神宮前1-2-3\n電話：090-1234-5678\n証券番号：AB1234567\n")
	tx.Close()
	dump(t, r)
	r = e.NewReport()
	tx = r.Text(Location{Part: "1"})
	fmt.Fprint(tx, "山田 太郎\n株式会社オクリ保険代理店 営業部\n〒100-0001 東京都千代田区千代田1-1\nTEL: 03-1234-5678 FAX: 03-1234-5679\n携帯: 090-1234-5678\nEmail: yamada@okuri-agency.co.jp\n")
	tx.Close()
	dump(t, r)
	r = e.NewReport()
	tb := r.Table(Location{Part: "2", Path: "list.csv"})
	tb.Row([][]byte{[]byte("氏名"), []byte("フリガナ"), []byte("生年月日"), []byte("電話番号"), []byte("メール"), []byte("住所")})
	tb.Row([][]byte{[]byte("山田 花子"), []byte("ヤマダ ハナコ"), []byte("1980/03/04"), []byte("090-1234-5678"), []byte("hanako@docomo.ne.jp"), []byte("東京都渋谷区神宮前1-2-3")})
	tb.Close()
	dump(t, r)
}
