package uu

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

func decode(s string, b64 bool) (string, error) {
	b, err := io.ReadAll(NewReader(bufio.NewReader(strings.NewReader(s)), b64))
	return string(b), err
}

func TestBegin(t *testing.T) {
	for line, want := range map[string]string{
		"begin 644 meibo.csv\r\n":     "meibo.csv",
		"begin 0600 顧客 一覧.xlsx\n":     "顧客 一覧.xlsx",
		"begin-base64 644 a.zip\r\n":  "a.zip",
		"begin 644\r\n":               "",
		"begin 64x a.csv\r\n":         "",
		"beginning of the letter\r\n": "",
		"begin 644 \r\n":              "",
		"Begin 644 name.csv\r\n":      "",
	} {
		name, _, ok := Begin([]byte(line))
		if name != want || ok != (want != "") {
			t.Errorf("Begin(%q) = %q %v, want %q", line, name, ok, want)
		}
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name, in, want string
		b64            bool
		err            error
	}{
		// "Cat" and "Hello, World!" as uuencode(1) writes them.
		{"backtick zero line", "#0V%T\n`\nend\n", "Cat", false, nil},
		{"space zero line, CRLF", "-2&5L;&\\L(%=O<FQD(0``\r\n \r\nend\r\n", "Hello, World!", false, nil},
		{"trailing spaces stripped", "-2&5L;&\\L(%=O<FQD(0\r\n`\r\nend\r\n", "Hello, World!", false, nil},
		{"end without zero line", "#0V%T\nend\n", "Cat", false, nil},
		{"base64", "SGVsbG8s\nIFdvcmxkIQ==\n====\n", "Hello, World!", true, nil},
		{"no end at EOF", "#0V%T\n", "Cat", false, io.ErrUnexpectedEOF},
		{"no end after zero line", "#0V%T\n`\n", "Cat", false, io.ErrUnexpectedEOF},
		{"bad character", "#0V\x7f%T\nend\n", "", false, ErrCorrupt},
		{"text instead of end", "#0V%T\n`\nregards\n", "Cat", false, ErrCorrupt},
		{"bad base64", "SGVsbG8*\n====\n", "", true, ErrCorrupt},
		{"line too long", strings.Repeat("M", 2000) + "\n", "", false, ErrCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decode(tc.in, tc.b64)
			if got != tc.want || !errors.Is(err, tc.err) && !(tc.err == nil && err == nil) {
				t.Fatalf("%q %v, want %q %v", got, err, tc.want, tc.err)
			}
		})
	}
}

func FuzzReader(f *testing.F) {
	f.Add("#0V%T\n`\nend\n", false)
	f.Add("-2&5L;&\\L(%=O<FQD(0\r\n`\r\nend\r\n", false)
	f.Add("SGVsbG8s\nIFdvcmxkIQ==\n====\n", true)
	f.Fuzz(func(t *testing.T, in string, b64 bool) {
		got, err := decode(in, b64)
		// A uu line holds at most 63 bytes (its length character), even
		// when stripped trailing spaces are read as zeros.
		if lines := strings.Count(in, "\n") + 1; len(got) > 63*lines {
			t.Fatalf("%d bytes out of %d lines", len(got), lines)
		}
		if err == nil && !strings.Contains(in, "end") && !strings.Contains(in, "====") {
			t.Fatalf("complete without an end line: %q", in)
		}
	})
}
