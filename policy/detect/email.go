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
	m.nd = 0
	i := at + atLen
	dots, lastDot := 0, -1
	for i < len(b) {
		c, n := b[i], 1
		if c >= 0x80 {
			c, n = asciiAt(b, i)
		}
		if !(isAlnum(c) || c == '-' || c == '.') {
			break
		}
		if c == '.' {
			if m.nd == 0 || lastDot == m.nd-1 {
				break
			}
			dots++
			lastDot = m.nd
		}
		if m.nd >= len(m.dom) {
			return false
		}
		if c-'A' < 26 {
			c += 32
		}
		m.dom[m.nd] = c
		m.nd++
		i += n
	}
	// trailing dot belongs to the sentence
	if m.nd > 0 && m.dom[m.nd-1] == '.' {
		m.nd--
		dots--
		i--
		lastDot = -1
		for k := m.nd - 1; k >= 0; k-- {
			if m.dom[k] == '.' {
				lastDot = k
				break
			}
		}
	}
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
