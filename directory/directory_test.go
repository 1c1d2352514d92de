package directory

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSetPasswordAndAuthenticate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	if err := SetPassword(path, "alice@agency.example.jp", "Alice", []string{"sales@agency.example.jp"}, "Correct-Horse-9", true); err != nil {
		t.Fatal(err)
	}
	if err := SetPassword(path, "alice@agency.example.jp", "", nil, "Correct-Horse-9", true); err == nil {
		t.Fatal("adding an existing user succeeded")
	}
	if err := SetPassword(path, "bob@agency.example.jp", "", nil, "Another-Pass-7", false); err == nil {
		t.Fatal("passwd of a missing user succeeded")
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("users file mode = %v, %v; want 0600", st.Mode(), err)
	}
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := d.Authenticate("ALICE@agency.example.jp", "Correct-Horse-9")
	if !ok {
		t.Fatal("valid login refused")
	}
	if _, ok := d.Authenticate("alice@agency.example.jp", "wrong-Horse-9"); ok {
		t.Fatal("wrong password accepted")
	}
	if _, ok := d.Authenticate("nobody@agency.example.jp", "Correct-Horse-9"); ok {
		t.Fatal("unknown user accepted")
	}
	for addr, want := range map[string]bool{
		"alice@agency.example.jp": true, "Sales@Agency.Example.jp": true,
		"bob@agency.example.jp": false, "alice@other.example": false,
	} {
		if got := u.Owns(addr); got != want {
			t.Errorf("Owns(%q) = %v, want %v", addr, got, want)
		}
	}
	if err := SetPassword(path, "alice@agency.example.jp", "", nil, "New-Secret-123", false); err != nil {
		t.Fatal(err)
	}
	d, _ = Load(path)
	if _, ok := d.Authenticate("alice@agency.example.jp", "New-Secret-123"); !ok {
		t.Fatal("changed password refused")
	}
	if u, _ := d.Lookup("alice@agency.example.jp"); len(u.Aliases) != 1 {
		t.Fatal("passwd dropped aliases")
	}
}

func TestPasswordStrength(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short1A!": false, "alllowercaseletters": false, "lowerUPPER12": true,
		"パスワードは長いです12ab": true, "1234567890a": false,
	} {
		if err := CheckPasswordStrength(pw); (err == nil) != ok {
			t.Errorf("CheckPasswordStrength(%q) = %v, want ok=%v", pw, err, ok)
		}
	}
}

func TestLoadMissingAndBad(t *testing.T) {
	dir := t.TempDir()
	d, err := Load(filepath.Join(dir, "none.yaml"))
	if err != nil || d.Len() != 0 {
		t.Fatalf("missing file: %v, %d users", err, d.Len())
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("users:\n  - address: x@y\n    passwd: nope\n"), 0o600)
	if _, err := Load(bad); err == nil {
		t.Fatal("unknown key accepted")
	}
	if VerifyPassword("$argon2id$garbage", "x") {
		t.Fatal("malformed hash matched")
	}
}

func TestAuthCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	if err := SetPassword(path, "carol@agency.example.jp", "", nil, "Cache-Me-123", true); err != nil {
		t.Fatal(err)
	}
	d, _ := Load(path)
	if _, ok := d.Authenticate("carol@agency.example.jp", "Cache-Me-123"); !ok {
		t.Fatal("first login")
	}
	if _, ok := d.Authenticate("carol@agency.example.jp", "Cache-Me-124"); ok {
		t.Fatal("cached entry accepted a different password")
	}
	if _, ok := d.Authenticate("carol@agency.example.jp", "Cache-Me-123"); !ok {
		t.Fatal("second login")
	}
	// A password change invalidates the cache even with the old snapshot's key.
	u, _ := d.Lookup("carol@agency.example.jp")
	u.Password, _ = HashPassword("Changed-Pass-9")
	if _, ok := d.Authenticate("carol@agency.example.jp", "Cache-Me-123"); ok {
		t.Fatal("old password accepted from cache after change")
	}
}
