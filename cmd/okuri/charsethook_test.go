package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/emersion/go-message"
)

// TestNoGlobalCharsetHook: no package linked into okuri installs
// go-message's process-wide charset hook (github.com/emersion/go-message/charset
// sets message.CharsetReader in its init). With it, go-message decodes
// text bodies to UTF-8 behind the scanner's back and the scanner decodes
// them a second time (every ISO-2022-JP body was unscannable once);
// okuri decodes every charset with policy/extract/charset instead. This
// test binary links every package okuri does, so their init functions
// have run.
func TestNoGlobalCharsetHook(t *testing.T) {
	if message.CharsetReader == nil {
		return
	}
	const hook = "github.com/emersion/go-message/charset"
	out, _ := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}:{{range .Imports}} {{.}}{{end}}`, ".").Output()
	var importers []string
	for _, line := range strings.Split(string(out), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		if strings.Contains(imports+" ", " "+hook+" ") {
			importers = append(importers, pkg)
		}
	}
	t.Fatalf("message.CharsetReader is set: %s is linked (imported by %v); decode with policy/extract/charset instead", hook, importers)
}
