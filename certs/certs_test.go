package certs

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadGeneratesOnceAndReuses(t *testing.T) {
	dir := t.TempDir()
	c1, gen, err := Load("", "", dir, []string{"okuri.test", "127.0.0.1"})
	if err != nil || !gen {
		t.Fatalf("first Load: generated=%v err=%v", gen, err)
	}
	st, err := os.Stat(filepath.Join(dir, "tls", "key.pem"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %v, %v", st.Mode(), err)
	}
	c2, gen, err := Load("", "", dir, nil)
	if err != nil || gen {
		t.Fatalf("second Load: generated=%v err=%v", gen, err)
	}
	if string(c1.Certificate[0]) != string(c2.Certificate[0]) {
		t.Fatal("certificate changed between starts")
	}
	if _, _, err := Load(filepath.Join(dir, "missing.pem"), filepath.Join(dir, "missing.key"), dir, nil); err == nil {
		t.Fatal("missing configured certificate accepted")
	}
}
