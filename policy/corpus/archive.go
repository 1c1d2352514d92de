package corpus

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"math/rand/v2"
	"time"

	"golang.org/x/text/encoding/japanese"
)

// zipEntry is one file to put into a ZIP archive.
type zipEntry struct {
	name string
	data []byte
}

// zipOpts are the ways archives from Windows and Mac differ.
type zipOpts struct {
	// cp932Names writes entry names in Shift_JIS without the UTF-8 flag,
	// as Windows Explorer's "send to compressed folder" does.
	cp932Names bool
	// password encrypts every entry with traditional PKWARE encryption
	// (ZipCrypto), what Japanese offices' "PPAP" tools produce.
	password string
}

func makeZip(r *rand.Rand, entries []zipEntry, o zipOpts) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	mod := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	for _, e := range entries {
		name, nonUTF8 := e.name, false
		if o.cp932Names {
			if b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(e.name)); err == nil {
				name, nonUTF8 = string(b), true
			}
		}
		fh := &zip.FileHeader{Name: name, NonUTF8: nonUTF8, Modified: mod}
		if o.password == "" {
			fh.Method = zip.Deflate
			w, _ := z.CreateHeader(fh)
			w.Write(e.data)
			continue
		}
		crc := crc32.ChecksumIEEE(e.data)
		enc := zipCrypto(r, o.password, crc, e.data)
		fh.Method = zip.Store
		fh.Flags = 0x1
		fh.CRC32 = crc
		fh.UncompressedSize64 = uint64(len(e.data))
		fh.CompressedSize64 = uint64(len(enc))
		w, _ := z.CreateRaw(fh)
		w.Write(enc)
	}
	z.Close()
	return buf.Bytes()
}

// zipCrypto encrypts data (stored, not deflated) with the traditional
// PKWARE stream cipher (APPNOTE.TXT 6.1): a 12-byte header whose last
// byte is the CRC's high byte, then the data.
func zipCrypto(r *rand.Rand, password string, crc uint32, data []byte) []byte {
	k := [3]uint32{0x12345678, 0x23456789, 0x34567890}
	update := func(c byte) {
		k[0] = crc32.IEEETable[byte(k[0])^c] ^ (k[0] >> 8)
		k[1] = (k[1]+(k[0]&0xff))*134775813 + 1
		k[2] = crc32.IEEETable[byte(k[2])^byte(k[1]>>24)] ^ (k[2] >> 8)
	}
	for i := range len(password) {
		update(password[i])
	}
	head := make([]byte, 12)
	for i := range head {
		head[i] = byte(r.IntN(256))
	}
	head[11] = byte(crc >> 24)
	out := make([]byte, 0, 12+len(data))
	for _, p := range append(head, data...) {
		t := k[2] | 2
		out = append(out, p^byte((t*(t^1))>>8))
		update(p)
	}
	return out
}
