package detect

// consumerDomains are free and carrier mail services: an address there
// belongs to a person, not a company.
var consumerDomains = [...]string{
	"docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp",
	"disney.ne.jp", "ymobile.ne.jp", "yahoo.co.jp", "ymail.ne.jp", "gmail.com",
	"googlemail.com", "icloud.com", "me.com", "mac.com", "outlook.jp",
	"outlook.com", "hotmail.com", "hotmail.co.jp", "live.jp", "live.com",
	"msn.com", "nifty.com", "biglobe.ne.jp", "ocn.ne.jp", "so-net.ne.jp",
	"plala.or.jp", "jcom.home.ne.jp", "yahoo.com", "aol.com", "rakuten.jp",
}

// emailTok is an address found at an '@'.
type emailTok struct {
	start, end int
	dom        [128]byte
	nd         int
}

func (m *emailTok) domain() []byte { return m.dom[:m.nd] }

// localChar reports characters allowed in a local part. Old docomo and
// au addresses break RFC 5322 (consecutive dots, a dot before '@'), and
// are accepted.
func localChar(c byte) bool { return localChars[c] }

// domainChars maps the characters of a domain (letters, digits, '-',
// '.') to themselves in lower case, and everything else to 0.
var domainChars = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		if isAlnum(byte(c)) || c == '-' || c == '.' {
			t[c] = lowerASCII([]byte{byte(c)})[0]
		}
	}
	return t
}()

var localChars = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isAlnum(byte(c))
	}
	for _, c := range []byte(".-_+/?!#$%&'*=^`{|}~") {
		t[c] = true
	}
	return t
}()

// parseEmail reads the address around the '@' at b[at:at+atLen].
func parseEmail(b []byte, at, atLen int, m *emailTok) bool {
	// local part, backwards
	s := at
	for s > 0 {
		j := s - 1
		c := b[j]
		if c >= 0x80 {
			j = lastRuneStart(b, s)
			c, _ = asciiAt(b, j)
		}
		if c == 0 || !localChar(c) {
			break
		}
		s = j
		if at-s > 128 {
			return false
		}
	}
	if s == at {
		return false
	}
	// domain, forwards
	nd := 0
	i := at + atLen
	dots, lastDot := 0, -1
	for i < len(b) {
		c, n := b[i], 1
		if c >= 0x80 {
			c, n = asciiAt(b, i)
		}
		f := domainChars[c]
		if f == 0 {
			break
		}
		if c == '.' {
			if nd == 0 || lastDot == nd-1 {
				break
			}
			dots++
			lastDot = nd
		}
		if nd >= len(m.dom) {
			return false
		}
		m.dom[nd] = f
		nd++
		i += n
	}
	// trailing dot belongs to the sentence
	if nd > 0 && m.dom[nd-1] == '.' {
		nd--
		dots--
		i--
		lastDot = -1
		for k := nd - 1; k >= 0; k-- {
			if m.dom[k] == '.' {
				lastDot = k
				break
			}
		}
	}
	m.nd = nd
	if dots < 1 || lastDot < 0 {
		return false
	}
	tld := m.dom[lastDot+1 : m.nd]
	if len(tld) < 2 {
		return false
	}
	for _, c := range tld {
		if !isLetter(c) {
			return false
		}
	}
	m.start, m.end = s, i
	return true
}

// consumer reports a free or carrier mail domain.
func consumer(dom []byte) bool {
	for _, d := range consumerDomains {
		if string(dom) == d || (len(dom) > len(d) && string(dom[len(dom)-len(d):]) == d && dom[len(dom)-len(d)-1] == '.') {
			return true
		}
	}
	return false
}

// ownDomain reports one of the organisation's domains or a subdomain.
func (e *Engine) ownDomain(dom []byte) bool {
	for _, d := range e.ownDomains {
		if string(dom) == d || (len(dom) > len(d) && string(dom[len(dom)-len(d):]) == d && dom[len(dom)-len(d)-1] == '.') {
			return true
		}
	}
	return false
}
