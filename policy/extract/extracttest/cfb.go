package extracttest

import (
	"encoding/binary"
	"sort"
	"unicode/utf16"
)

// Stream is one stream of a test compound file.
type Stream struct {
	Name string
	Data []byte
}

// CFB builds a minimal OLE2 compound file (version 3, 512-byte sectors)
// holding the given streams in its root storage. Streams are padded to
// 4096 bytes so that none lives in the mini stream; that keeps this
// writer short and is still a valid file. At most 3 streams.
func CFB(streams ...Stream) []byte {
	const sec = 512
	const (
		free  = 0xFFFFFFFF
		end   = 0xFFFFFFFE
		fatSc = 0xFFFFFFFD
	)
	le := binary.LittleEndian
	sort.Slice(streams, func(i, j int) bool { return streams[i].Name < streams[j].Name })
	// Sector 0: FAT, sector 1: directory, then the streams.
	fat := make([]uint32, sec/4)
	for i := range fat {
		fat[i] = free
	}
	fat[0], fat[1] = fatSc, end
	next := uint32(2)
	starts := make([]uint32, len(streams))
	var body []byte
	for i, s := range streams {
		data := s.Data
		if len(data) < 4096 {
			data = append(append([]byte(nil), data...), make([]byte, 4096-len(data))...)
		}
		n := (len(data) + sec - 1) / sec
		starts[i] = next
		for k := 0; k < n; k++ {
			if k == n-1 {
				fat[next] = end
			} else {
				fat[next] = next + 1
			}
			next++
		}
		padded := make([]byte, n*sec)
		copy(padded, data)
		body = append(body, padded...)
	}
	hdr := make([]byte, sec)
	le.PutUint64(hdr[0:], 0xE11AB1A1E011CFD0)
	le.PutUint16(hdr[24:], 0x3E)
	le.PutUint16(hdr[26:], 3)
	le.PutUint16(hdr[28:], 0xFFFE)
	le.PutUint16(hdr[30:], 9)
	le.PutUint16(hdr[32:], 6)
	le.PutUint32(hdr[44:], 1)    // FAT sectors
	le.PutUint32(hdr[48:], 1)    // first directory sector
	le.PutUint32(hdr[56:], 4096) // mini stream cutoff
	le.PutUint32(hdr[60:], end)  // no mini FAT
	le.PutUint32(hdr[68:], end)  // no DIFAT sectors
	le.PutUint32(hdr[76:], 0)    // DIFAT[0]: FAT in sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(hdr[76+4*i:], free)
	}
	fatb := make([]byte, sec)
	for i, v := range fat {
		le.PutUint32(fatb[4*i:], v)
	}
	dir := make([]byte, sec)
	entry := func(i int, name string, typ byte, left, right, child, start uint32, size uint64) {
		e := dir[i*128:]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(e[2*k:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66], e[67] = typ, 1
		le.PutUint32(e[68:], left)
		le.PutUint32(e[72:], right)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint64(e[120:], size)
	}
	child := uint32(free)
	if len(streams) > 0 {
		child = 1
	}
	entry(0, "Root Entry", 5, free, free, child, end, 0)
	for i, s := range streams {
		right := uint32(free)
		if i+1 < len(streams) {
			right = uint32(i + 2)
		}
		size := len(s.Data)
		if size < 4096 {
			size = 4096 // padded, see above
		}
		entry(i+1, s.Name, 2, free, right, free, starts[i], uint64(size))
	}
	for i := len(streams) + 1; i < 4; i++ {
		e := dir[i*128:]
		le.PutUint32(e[68:], free)
		le.PutUint32(e[72:], free)
		le.PutUint32(e[76:], free)
	}
	out := append(hdr, fatb...)
	out = append(out, dir...)
	return append(out, body...)
}
