package detect

// normPhone maps folded phone digits to the national form (leading 0),
// turning +81 / 81 prefixes into 0.
func normPhone(d []byte) string {
	if len(d) >= 11 && d[0] == '8' && d[1] == '1' && d[2] != '0' {
		return "0" + string(d[2:])
	}
	if len(d) >= 12 && d[0] == '8' && d[1] == '1' && d[2] == '0' {
		return string(d[2:])
	}
	return string(d)
}
