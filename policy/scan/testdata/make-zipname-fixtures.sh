#!/bin/sh
# Regenerates the password zips with Japanese entry names (Info-ZIP's
# `zip -P`, traditional PKWARE encryption; password "password"). Info-ZIP
# stores names as the file system's bytes and never sets the UTF-8 flag:
#   zipnames-utf8.zip   UTF-8 names without the flag (Linux, as macOS too)
#   zipnames-cp932.zip  CP932 names without the flag (as Windows Explorer
#                       and Lhaplus write them)
# The data is invented. Run from this directory; commit the outputs.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(pwd)
csv='氏名,電話番号
山田 太郎,090-1234-5678
'
mkdir -p "$tmp/utf8/顧客データ" "$tmp/cp932"
printf '%s' "$csv" > "$tmp/utf8/顧客データ/ソフト表①㈱.csv"
d=$(printf '顧客データ' | iconv -f utf-8 -t cp932)
f=$(printf 'ソフト表①㈱.csv' | iconv -f utf-8 -t cp932)
mkdir -p "$tmp/cp932/$d"
printf '%s' "$csv" > "$tmp/cp932/$d/$f"
rm -f zipnames-utf8.zip zipnames-cp932.zip
(cd "$tmp/utf8" && zip -q -X -D -P password "$here/zipnames-utf8.zip" "顧客データ/ソフト表①㈱.csv")
(cd "$tmp/cp932" && zip -q -X -D -P password "$here/zipnames-cp932.zip" "$d/$f")
