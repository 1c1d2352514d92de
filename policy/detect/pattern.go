package detect

// compiledPattern is a PolicyPattern ready for matching without regexp.
type compiledPattern struct {
	insurer string
	pat     []byte
}

func compilePattern(p PolicyPattern) compiledPattern {
	return compiledPattern{insurer: p.Insurer, pat: []byte(foldString(p.Pattern))}
}

// match reports whether the folded word w has exactly the pattern's shape.
func (p *compiledPattern) match(w []byte) bool {
	if len(w) != len(p.pat) {
		return false
	}
	for i, pc := range p.pat {
		c := w[i]
		switch pc {
		case 'A':
			if !isLetter(c) {
				return false
			}
		case '9':
			if c-'0' > 9 {
				return false
			}
		case 'X':
			if !isAlnum(c) {
				return false
			}
		default:
			if c != pc {
				return false
			}
		}
	}
	return true
}
