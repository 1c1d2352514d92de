package relay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// DirSender is the development upstream: each message is written to a
// folder as <name>.eml, byte for byte, with its envelope beside it in
// <name>.envelope.json. The name is the time, the message's queue id
// (Envelope.ID, so a person can find the message the UI or a 250 reply
// names) and a random part: 20261206T100000.000000000-01JD…-a1b2c3.eml. Both are written temp file → fsync → rename, the
// envelope first, so a visible .eml is always complete.
type DirSender struct {
	dir string
}

// NewDirSender creates dir if needed.
func NewDirSender(dir string) (*DirSender, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("relay: dir upstream: %w", err)
	}
	return &DirSender{dir: dir}, nil
}

// Send implements Sender.
func (d *DirSender) Send(ctx context.Context, env Envelope, msg io.Reader) (*Result, error) {
	if len(env.To) == 0 {
		return nil, &Error{Op: "rcpt", Err: fmt.Errorf("no recipients")}
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	name := time.Now().UTC().Format("20060102T150405.000000000") + "-"
	if id := fileToken(env.ID); id != "" {
		name += id + "-"
	}
	name += hex.EncodeToString(rnd[:])
	envJSON, _ := json.Marshal(struct {
		From string   `json:"from"`
		To   []string `json:"to"`
	}{env.From, env.To})
	if err := d.writeAtomic(name+".envelope.json", func(w io.Writer) error {
		_, err := w.Write(envJSON)
		return err
	}); err != nil {
		return nil, err
	}
	if err := d.writeAtomic(name+".eml", func(w io.Writer) error {
		_, err := io.Copy(w, msg)
		return err
	}); err != nil {
		os.Remove(filepath.Join(d.dir, name+".envelope.json"))
		return nil, err
	}
	return &Result{Accepted: append([]string(nil), env.To...), Reply: "written " + name + ".eml"}, nil
}

// fileToken keeps the characters of id that are safe in a file name
// everywhere; a ULID passes unchanged.
func fileToken(id string) string {
	b := make([]byte, 0, min(len(id), 64))
	for i := 0; i < len(id) && len(b) < 64; i++ {
		if c := id[i]; c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_' {
			b = append(b, c)
		}
	}
	return string(b)
}

func (d *DirSender) writeAtomic(name string, fill func(io.Writer) error) error {
	f, err := os.CreateTemp(d.dir, ".tmp-*")
	if err != nil {
		return &Error{Op: "write", Temporary: true, Err: err}
	}
	defer os.Remove(f.Name())
	err = fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(d.dir, name))
	}
	if err == nil {
		err = syncDir(d.dir)
	}
	if err != nil {
		return &Error{Op: "write", Temporary: true, Err: err}
	}
	return nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
