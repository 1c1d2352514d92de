package detect

import "testing"

func TestProbe(t *testing.T) {
	e := newEngine(t)
	for _, s := range []string{
		"振込依頼書\n\n振込先金融機関：三菱UFJ銀行 渋谷支店\n口座番号：1234567\n口座名義：ヤマダ タロウ\n",
		"お振込先\n三井住友銀行 丸の内支店 普通 1234567\n口座名義 サクラホケンサービス(カ\n",
		"お振込先\n三井住友銀行 丸の内支店 普通 1234567\n口座名義 株式会社さくら保険サービス\n",
	} {
		r := scanText(e, s, 0)
		t.Logf("%q\n  %+v\n  %+v", s, r.Summary(), r.Findings())
	}
}
