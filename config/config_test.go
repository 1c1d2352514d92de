package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden checks the exact problem list for each testdata/*.yaml
// against testdata/*.golden (empty golden: the file must be valid).
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yaml")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := Load(f)
			got := ""
			var ps Problems
			if errors.As(err, &ps) {
				got = ps.Error() + "\n"
			} else if err != nil {
				t.Fatalf("not a Problems error: %v", err)
			}
			golden := strings.TrimSuffix(f, ".yaml") + ".golden"
			if *update {
				os.WriteFile(golden, []byte(got), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("problems differ\n--- got\n%s--- want\n%s", got, want)
			}
		})
	}
}

func TestDefaultsAndTypes(t *testing.T) {
	cfg, err := Parse("x.yaml", []byte("relay:\n  upstream: smtps://mail.example.jp:465\n  timeout: 90s\nsmtp:\n  limits:\n    max_message_bytes: 25MB\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTP.Limits.MaxMessageBytes != 25<<20 || cfg.Relay.Timeout.D() != 90*time.Second {
		t.Fatalf("parsed %+v %+v", cfg.SMTP.Limits, cfg.Relay)
	}
	if cfg.SMTP.Limits.MaxRecipients != 100 || cfg.SMTP.Listen != "127.0.0.1:2525" || cfg.Instance == "" {
		t.Fatalf("defaults not applied: %+v", cfg.SMTP)
	}
}

func TestSecret(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pw"), []byte("s3cret\n"), 0o600)
	if v, err := (Secret{File: filepath.Join(dir, "pw")}).Value(); err != nil || v != "s3cret" {
		t.Fatalf("file secret %q %v", v, err)
	}
	t.Setenv("OKURI_TEST_SECRET", "fromenv")
	if v, err := (Secret{Env: "OKURI_TEST_SECRET"}).Value(); err != nil || v != "fromenv" {
		t.Fatalf("env secret %q %v", v, err)
	}
	if _, err := (Secret{Env: "OKURI_TEST_UNSET_SECRET"}).Value(); err == nil {
		t.Fatal("unset env secret gave no error")
	}
	_, err := Parse("x.yaml", []byte("relay:\n  upstream: smtp://h:25\n  username: u\n  password: inline\n"))
	if err == nil || !strings.Contains(err.Error(), "relay.password") {
		t.Fatalf("inline password accepted: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/bad_keys.yaml", "testdata/minimal.yaml", "../examples/okuri.yaml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a: &x [*x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data)
		if err == nil && cfg == nil {
			t.Fatal("nil config without error")
		}
		var ps Problems
		if err != nil && !errors.As(err, &ps) {
			t.Fatalf("non-Problems error %v", err)
		}
		for _, p := range ps {
			if p.Line < 1 || p.Key == "" {
				t.Fatalf("problem without position: %+v", p)
			}
		}
	})
}

func TestEmptyKeyHasAPosition(t *testing.T) {
	_, err := Parse("x.yaml", []byte("&0000:\n00: 0000\n"))
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want problems, got %v", err)
	}
	for _, p := range ps {
		if p.Key == "" || p.Line < 1 {
			t.Fatalf("problem without key: %+v", p)
		}
	}
}
