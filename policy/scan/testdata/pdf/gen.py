#!/usr/bin/env python3
"""Writes the invented source documents of the PDF fixtures (see README.md).

Everything is made up: names are common surnames and given names combined
at random, addresses are plausible but not checked, My Numbers only pass
the check digit. Output goes to the directory given as the only argument.
"""
import random, sys, os, html

out = sys.argv[1]
rnd = random.Random(118)
SUR = [("山田","ヤマダ","Yamada"),("佐藤","サトウ","Sato"),("鈴木","スズキ","Suzuki"),("高橋","タカハシ","Takahashi"),("田中","タナカ","Tanaka"),("伊藤","イトウ","Ito"),("渡辺","ワタナベ","Watanabe"),("中村","ナカムラ","Nakamura"),("小林","コバヤシ","Kobayashi"),("加藤","カトウ","Kato"),("吉田","ヨシダ","Yoshida"),("松本","マツモト","Matsumoto")]
GIV = [("太郎","タロウ","Taro"),("花子","ハナコ","Hanako"),("一郎","イチロウ","Ichiro"),("美咲","ミサキ","Misaki"),("健太","ケンタ","Kenta"),("陽子","ヨウコ","Yoko"),("直樹","ナオキ","Naoki"),("由美","ユミ","Yumi"),("翔","ショウ","Sho"),("恵子","ケイコ","Keiko")]
PLACES = [("東京都世田谷区三軒茶屋","Sangenjaya, Setagaya-ku, Tokyo"),("神奈川県横浜市港北区日吉","Hiyoshi, Kohoku-ku, Yokohama"),("大阪府豊中市本町","Honmachi, Toyonaka, Osaka"),("埼玉県さいたま市浦和区高砂","Takasago, Urawa-ku, Saitama"),("愛知県名古屋市千種区今池","Imaike, Chikusa-ku, Nagoya"),("福岡県福岡市中央区天神","Tenjin, Chuo-ku, Fukuoka"),("北海道札幌市北区北十条西","Kita-jujo-nishi, Kita-ku, Sapporo")]
BANKS = ["三菱UFJ銀行","みずほ銀行","三井住友銀行","ゆうちょ銀行","横浜銀行","りそな銀行"]
BRANCH = ["渋谷支店","新宿支店","本店営業部","梅田支店","横浜駅前支店"]
MAIL = ["gmail.com","yahoo.co.jp","docomo.ne.jp","ezweb.ne.jp","icloud.com","outlook.jp"]

def mynumber():
    d = [rnd.randint(0, 9) for _ in range(11)]
    w = [6,5,4,3,2,7,6,5,4,3,2]
    r = sum(a*b for a, b in zip(d, w)) % 11
    d.append(0 if r <= 1 else 11 - r)
    s = "".join(map(str, d))
    return s[:4] + " " + s[4:8] + " " + s[8:]

def person(i):
    s, g = rnd.choice(SUR), rnd.choice(GIV)
    y, m, dd = rnd.randint(1945, 2000), rnd.randint(1, 12), rnd.randint(1, 28)
    pl = rnd.choice(PLACES)
    n1, n2, n3 = rnd.randint(1, 5), rnd.randint(1, 30), rnd.randint(1, 20)
    return dict(
        name=s[0] + " " + g[0], kana=s[1] + " " + g[1], roman=g[2] + " " + s[2],
        birth="%d/%02d/%02d" % (y, m, dd), birth_us="%02d/%02d/%d" % (m, dd, y),
        addr="%s%d-%d-%d" % (pl[0], n1, n2, n3), addr_en="%d-%d-%d %s" % (n1, n2, n3, pl[1]),
        phone="0%d0-%04d-%04d" % (rnd.choice([7, 8, 9]), rnd.randint(1000, 9999), rnd.randint(0, 9999)),
        mail="%s.%s%02d@%s" % (g[2].lower(), s[2].lower(), i % 100, rnd.choice(MAIL)),
        policy="P%d-%07d" % (rnd.randint(10, 99), rnd.randint(0, 9999999)),
        bank="%s %s 普通 %07d" % (rnd.choice(BANKS), rnd.choice(BRANCH), rnd.randint(0, 9999999)),
        mynum=mynumber())

people = [person(i) for i in range(50)]

def w(name, text):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(text)

# 1. A CRM export opened in Calc: one row per customer, nine columns.
hdr = ["氏名", "フリガナ", "生年月日", "住所", "電話番号", "メールアドレス", "証券番号", "振込口座", "個人番号"]
keys = ["name", "kana", "birth", "addr", "phone", "mail", "policy", "bank", "mynum"]
w("customers50.csv", "\n".join([",".join(hdr)] + [",".join(p[k] for k in keys) for p in people]) + "\n")

# 2. The same kind of list in English, typeset by groff tbl (another
#    producer: ghostscript's pdfwrite merges a line's text into TJ arrays).
rows = ["Name\tDate of birth\tAddress\tMobile\tE-mail"] + ["\t".join([p["roman"], p["birth_us"], p["addr_en"], p["phone"], p["mail"]]) for p in people[:30]]
w("clients30.tbl", ".fam H\n.ps 8\n.vs 10\n.ll 7.5i\n.po 0.5i\n.ce\n\\fBClient list (renewals due)\\fP\n.sp\n.TS\ntab(\t);\nl l l l l.\n" + "\n".join(rows) + "\n.TE\n")

# 3. A one-record bank-transfer request form, filled in (Writer).
p = people[7]
form = [("お名前", p["name"] + " 様"), ("フリガナ", p["kana"]), ("生年月日", p["birth"]), ("ご住所", "〒154-0024 " + p["addr"]),
        ("電話番号", p["phone"]), ("証券番号", p["policy"]), ("お振込先", p["bank"]), ("口座名義", p["kana"])]
rows = "".join("<tr><td>%s</td><td>%s</td></tr>" % (html.escape(a), html.escape(b)) for a, b in form)
w("transfer.html", "<html><head><meta charset='utf-8'></head><body><h2>保険金お振込先ご指定書</h2><p>下記口座へのお振込みを依頼します。</p><table border='1'>%s</table><p>令和7年4月1日</p></body></html>" % rows)

# 4. A product price list (Calc): JAN codes, names, prices. No people.
prods = ["ボールペン 黒 0.5mm", "A4コピー用紙 500枚", "クリアファイル 10枚入", "ホチキス針 No.10", "付箋 75x75 黄", "封筒 長3 100枚", "修正テープ 5mm", "ファイルボックス A4"]
lines = ["商品コード,JANコード,商品名,単価(円),在庫数"]
for i in range(40):
    jan = "49%010d" % rnd.randint(0, 9999999999)
    s = sum(int(c) * (3 if k % 2 else 1) for k, c in enumerate(jan))
    jan += str((10 - s % 10) % 10)
    lines.append("SKU-%05d,%s,%s,%d,%d" % (1000 + i, jan, rnd.choice(prods), rnd.randint(80, 4800), rnd.randint(0, 900)))
w("pricelist.csv", "\n".join(lines) + "\n")

# 5. An invoice from one company to another (Writer): company address,
#    phone and the seller's bank account for payment. No private person.
items = "".join("<tr><td>%s</td><td align='right'>%d</td><td align='right'>%s</td></tr>" % (html.escape(n), q, format(u * q, ",")) for n, q, u in [("A4コピー用紙 500枚", 20, 480), ("トナーカートリッジ", 2, 12800), ("保守サービス(4月分)", 1, 15000)])
w("invoice.html", "<html><head><meta charset='utf-8'></head><body><h2>請求書</h2><p>株式会社みなと保険サービス 御中</p><p>請求番号 INV-2025-0412　発行日 2025年4月30日</p>"
  "<table border='1'><tr><th>品名</th><th>数量</th><th>金額(円)</th></tr>%s<tr><td>合計(税込)</td><td></td><td align='right'>53,460</td></tr></table>"
  "<p>お振込先：三井住友銀行 新宿支店 普通 7654321 カ）オフィスサプライ</p><p>株式会社オフィスサプライ 〒160-0023 東京都新宿区西新宿2-8-1 TEL 03-5321-1111</p></body></html>" % items)
