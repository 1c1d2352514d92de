#!/bin/sh
# Regenerates the PDF fixtures (see README.md). Debian packages:
# libreoffice-calc-nogui libreoffice-writer-nogui fonts-ipafont-gothic
# fonts-ipafont-mincho groff ghostscript python3. Run from this directory.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" # a private LibreOffice profile
python3 gen.py "$tmp"
cd "$tmp"
# CSV → Calc → PDF. Landscape and "fit width to one page" come from the
# template's page style (see fods.py), as an office would set them.
for f in customers50 pricelist; do
	python3 "$OLDPWD/fods.py" "$f.csv" "$f.fods"
	soffice --headless --convert-to pdf:calc_pdf_Export "$f.fods" >/dev/null
done
# The same 50 customers as a Writer table (HTML → ODT → PDF) on portrait
# A4: nine columns do not fit, so cells wrap over several lines, as in a
# list pasted into Word.
python3 - <<'PY'
import csv, html
rows = list(csv.reader(open("customers50.csv", encoding="utf-8")))
t = "".join("<tr>" + "".join("<td>%s</td>" % html.escape(c) for c in r) + "</tr>" for r in rows)
open("customers50-writer.html", "w", encoding="utf-8").write("<html><head><meta charset='utf-8'></head><body><p>顧客一覧（更新対象）</p><table border='1' style='font-size:8pt'>%s</table></body></html>" % t)
PY
# And without borders, cells centred vertically: no ruling to follow,
# only the white space between rows.
sed "s/border='1'/border='0' cellpadding='4'/; s/<td>/<td valign='middle'>/g" customers50-writer.html > customers50-noborder.html
# 14 of them with the heading in <thead>, which Writer repeats on every
# page; a page break splits a row.
python3 - <<'PY'
import csv, html
rows = list(csv.reader(open("customers50.csv", encoding="utf-8")))
rows = [rows[0]] + rows[21:35]
head = "<thead><tr>" + "".join("<th>%s</th>" % html.escape(c) for c in rows[0]) + "</tr></thead>"
body = "".join("<tr>" + "".join("<td>%s</td>" % html.escape(c) for c in r) + "</tr>" for r in rows[1:])
open("customers14-writer-split.html", "w", encoding="utf-8").write("<html><head><meta charset='utf-8'></head><body><p>顧客一覧（更新対象）</p><table border='1' style='font-size:8pt'>%s<tbody>%s</tbody></table></body></html>" % (head, body))
PY
# A birthday list for greeting cards: 60 customers, era dates with a dot
# (S.48.9.12) and the staff member in charge, in a bordered Writer table.
python3 - <<'PY'
import random, html
r = random.Random(5)
sur = ["坂口","村上","藤井","岡田","後藤","長谷川","石川","前田","小川","山崎","中野","原","松尾","福田","太田","西村"]
giv = ["太郎","花子","誠","恵","健一","由美","大輔","智子","翔太","真由美"]
staff = ["渡辺","佐藤","田中"]
rows = [["契約者","契約者生年月日","営業担当"]]
for i in range(60):
    era, y = r.choice([("S",r.randint(20,63)),("H",r.randint(1,12))])
    rows.append([r.choice(sur)+r.choice(giv), "%s.%d.%d.%d" % (era, y, r.randint(1,12), r.randint(1,28)), r.choice(staff)])
body = "".join("<tr>" + "".join("<td>%s</td>" % html.escape(c) for c in row) + "</tr>" for row in rows)
open("birthdays60-writer.html","w",encoding="utf-8").write("<html><head><meta charset='utf-8'></head><body><p>誕生日リスト（今月）</p><table border='1' style='font-size:10pt'>%s</table></body></html>" % body)
PY
for f in transfer invoice customers50-writer customers50-noborder customers14-writer-split birthdays60-writer; do
	soffice --headless --convert-to odt "$f.html" >/dev/null
	soffice --headless --convert-to pdf:writer_pdf_Export "$f.odt" >/dev/null
done
groff -t -Tps clients30.tbl > clients30.ps
ps2pdf clients30.ps clients30.pdf
# Files embedded in a PDF (/EmbeddedFiles, added with qpdf): an Excel-style
# CP932 CSV of 10 customers, and the same CSV in a password zip.
python3 - <<'PY'
import csv
rows = list(csv.reader(open("customers50.csv", encoding="utf-8")))[:11]
open("顧客リスト.csv", "wb").write(("\r\n".join(",".join(r) for r in rows) + "\r\n").encode("cp932"))
PY
zip -q -P himitsu 顧客リスト.zip 顧客リスト.csv
qpdf invoice.pdf --add-attachment 顧客リスト.csv --mimetype=text/csv -- invoice-attached-csv.pdf
qpdf invoice.pdf --add-attachment 顧客リスト.zip --mimetype=application/zip -- invoice-attached-zip.pdf
cd "$OLDPWD"
for f in customers50 customers50-writer customers50-noborder customers14-writer-split birthdays60-writer pricelist transfer invoice clients30 invoice-attached-csv invoice-attached-zip; do cp "$tmp/$f.pdf" .; done
ls -l *.pdf
