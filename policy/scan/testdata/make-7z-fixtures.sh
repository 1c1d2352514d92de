#!/bin/sh
# Regenerates the 7z fixtures of policy/scan with p7zip (Debian: apt-get
# install p7zip-full). The data is invented. Run from this directory;
# commit the outputs (tests never need 7z).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '氏名,フリガナ,生年月日,電話番号,メールアドレス\r\n山田太郎,ヤマダタロウ,1975/04/12,090-1234-5678,yamada@example.jp\r\n佐藤花子,サトウハナコ,1980/11/03,080-2345-6789,sato@example.jp\r\n鈴木一郎,スズキイチロウ,1968/02/29,070-3456-7890,suzuki@example.jp\r\n' > "$tmp/顧客名簿.csv"
printf 'お客様一覧です。\r\n' > "$tmp/readme.txt"
printf '商品コード,商品名,単価\r\nA-100,自動車保険パンフレット,0\r\n' > "$tmp/price.csv"
head -c 3000000 /dev/zero > "$tmp/zeros.bin"
here=$(pwd)
rm -f customers.7z customers-stored.7z customers-aes.7z customers-aes-headers.7z zeros.7z price.7z
cd "$tmp"
7z a -bd -mx=9 "$here/customers.7z" 顧客名簿.csv readme.txt >/dev/null
7z a -bd -m0=Copy "$here/customers-stored.7z" 顧客名簿.csv >/dev/null
7z a -bd -pHimitsu123 "$here/customers-aes.7z" 顧客名簿.csv >/dev/null
7z a -bd -pHimitsu123 -mhe=on "$here/customers-aes-headers.7z" 顧客名簿.csv >/dev/null
7z a -bd -mx=9 "$here/zeros.7z" zeros.bin >/dev/null
7z a -bd "$here/price.7z" price.csv readme.txt >/dev/null
