package cfb

import (
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/charset"
)

// msg extracts an Outlook item ([MS-OXMSG]): every string property of the
// message and its attachments as text (subject, body, recipients), and
// each attachment's data (property 0x3701, binary) through Nested.
func (x *cfbDoc) msg() error {
	tw := x.Sink.Text(x.Loc)
	defer tw.Close()
	paths := make([]string, 0, len(x.streams))
	for p := range x.streams {
		paths = append(paths, p)
	}
	sort.Strings(paths) // deterministic order of text and parts
	for _, path := range paths {
		f := x.streams[path]
		base := path[strings.LastIndexByte(path, '/')+1:]
		if !strings.HasPrefix(base, "__substg1.0_") || len(base) < len("__substg1.0_")+8 {
			continue
		}
		tag := base[len("__substg1.0_"):]
		prop, typ := tag[:4], tag[4:8]
		if strings.Contains(path, "__nameid_version1.0") {
			continue
		}
		switch {
		case typ == "001F" || typ == "001E":
			data, err := x.readFile(f)
			if err != nil {
				return err
			}
			var s string
			if typ == "001F" {
				u := make([]uint16, len(data)/2)
				for i := range u {
					u[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
				}
				s = string(utf16.Decode(u))
			} else {
				s, _ = charset.DecodeString(charset.ShiftJIS, data)
			}
			if _, err := tw.Write([]byte(s + "\n")); err != nil {
				return err
			}
		case typ == "0102" && prop == "3701":
			if x.Nested == nil {
				return extract.Malformed("msg", nil)
			}
			data, err := x.readFile(f)
			if err != nil {
				return err
			}
			dir := path[:max(0, strings.LastIndexByte(path, '/'))]
			name := x.attachName(dir)
			if err := x.Nested(name, data); err != nil {
				return err
			}
		case typ == "000D" && prop == "3701":
			// An embedded message stored as a sub-storage: its streams
			// are part of x.streams under that path and read above.
		}
	}
	return nil
}

// attachName returns the long file name of the attachment in storage dir.
func (x *cfbDoc) attachName(dir string) string {
	for _, tag := range []string{"3707001F", "3704001F"} {
		if f := x.streams[dir+"/__substg1.0_"+tag]; f != nil {
			if data, err := x.readFile(f); err == nil {
				u := make([]uint16, len(data)/2)
				for i := range u {
					u[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
				}
				return strings.TrimRight(string(utf16.Decode(u)), "\x00")
			}
		}
	}
	return "attachment"
}
