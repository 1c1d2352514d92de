#!/bin/sh
# Regenerates the binary office fixtures of policy/scan with LibreOffice
# (Debian: apt-get install libreoffice-calc libreoffice-writer fonts-noto-cjk).
# The data is invented. Run from this directory; commit the outputs.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" # a private LibreOffice profile

cat > "$tmp/customers.csv" <<'CSV'
氏名,フリガナ,生年月日,電話番号,住所
山田太郎,ヤマダタロウ,1975/04/12,090-1234-5678,東京都千代田区丸の内1-2-3
佐藤花子,サトウハナコ,1982/11/03,080-2345-6789,大阪府大阪市北区梅田2-4-9
鈴木一郎,スズキイチロウ,1968/01/20,070-3456-7890,愛知県名古屋市中区栄3-5-1
CSV

cat > "$tmp/letter.html" <<'HTML'
<html><head><meta charset="utf-8"><title>顧客情報</title></head><body>
<p>契約者：山田太郎 様（ヤマダタロウ）</p>
<p>生年月日：昭和50年4月12日　電話：090-1234-5678</p>
<p>住所：〒100-0005 東京都千代田区丸の内1-2-3</p>
<table border="1"><tr><td>氏名</td><td>電話番号</td></tr>
<tr><td>佐藤花子</td><td>080-2345-6789</td></tr></table>
</body></html>
HTML

soffice --headless --infilter="CSV:44,34,76,1" --convert-to xls:"MS Excel 97" --outdir "$tmp" "$tmp/customers.csv" >/dev/null
soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$tmp" "$tmp/customers.csv" >/dev/null
soffice --headless --infilter="CSV:44,34,76,1" --convert-to ods --outdir "$tmp" "$tmp/customers.csv" >/dev/null
soffice --headless --convert-to doc:"MS Word 97" --outdir "$tmp" "$tmp/letter.html" >/dev/null
soffice --headless --convert-to docx:"MS Word 2007 XML" --outdir "$tmp" "$tmp/letter.html" >/dev/null
soffice --headless --convert-to odt --outdir "$tmp" "$tmp/letter.html" >/dev/null
# PDFs from the ODT (Writer), not from the HTML (Writer/Web's PDF export
# drops the first paragraph).
soffice --headless --convert-to pdf:writer_pdf_Export --outdir "$tmp" "$tmp/letter.odt" >/dev/null
cp "$tmp/letter.pdf" "$tmp/letter-plain.pdf"
soffice --headless --convert-to 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}' --outdir "$tmp/enc" "$tmp/letter.odt" >/dev/null

cp "$tmp/customers.xls" customers.xls
cp "$tmp/customers.xlsx" customers.xlsx
cp "$tmp/customers.ods" customers.ods
cp "$tmp/letter.doc" letter.doc
cp "$tmp/letter.docx" letter.docx
cp "$tmp/letter.odt" letter.odt
cp "$tmp/letter-plain.pdf" letter.pdf
cp "$tmp/enc/letter.pdf" letter-password.pdf
ls -l
