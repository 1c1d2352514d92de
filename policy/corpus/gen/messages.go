package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/okuri/okuri/policy/corpus"
)

// writeMessages writes both parts of the generated corpus as .eml files
// named after their samples (the label is the name's last element), for
// `okuri scan` or for sending through a gateway by hand.
func writeMessages(dir string) error {
	for _, p := range []struct {
		part corpus.Part
		seed uint64
	}{{corpus.Tuning, corpus.TuningSeed}, {corpus.HeldOut, corpus.HeldOutSeed}} {
		samples, err := corpus.Generate(p.part, p.seed)
		if err != nil {
			return err
		}
		sub := filepath.Join(dir, p.part.String())
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return fmt.Errorf("mkdir %s: %w", sub, err)
		}
		for _, s := range samples {
			if err := os.WriteFile(filepath.Join(sub, s.Name+".eml"), s.Message, 0o644); err != nil {
				return fmt.Errorf("write %s: %w", s.Name, err)
			}
		}
	}
	return nil
}
