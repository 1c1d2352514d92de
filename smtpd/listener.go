package smtpd

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// connLimiter counts live connections overall and per client IP and keeps
// them, so a shutdown past its deadline can close them all (go-smtp's Close
// does nothing after Shutdown was called).
type connLimiter struct {
	max, perIP int

	mu    sync.Mutex
	total int
	byIP  map[netip.Addr]int
	live  map[*limitedConn]struct{}
}

func newConnLimiter(max, perIP int) *connLimiter {
	return &connLimiter{max: max, perIP: perIP, byIP: map[netip.Addr]int{}, live: map[*limitedConn]struct{}{}}
}

// acquire admits a connection, or says why not.
func (l *connLimiter) acquire(c *limitedConn) (ok bool, reason string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.total >= l.max {
		return false, "too many connections"
	}
	if l.perIP > 0 && l.byIP[c.ip] >= l.perIP {
		return false, "too many connections from your address"
	}
	l.total++
	l.byIP[c.ip]++
	l.live[c] = struct{}{}
	return true, ""
}

func (l *connLimiter) release(c *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.byIP[c.ip]--; l.byIP[c.ip] <= 0 {
		delete(l.byIP, c.ip)
	}
	delete(l.live, c)
}

func (l *connLimiter) closeAll() {
	l.mu.Lock()
	live := make([]*limitedConn, 0, len(l.live))
	for c := range l.live {
		live = append(live, c)
	}
	l.mu.Unlock()
	for _, c := range live {
		c.Close()
	}
}

// limitListener answers connections over the limits with 421 and closes
// them before go-smtp sees them.
type limitListener struct {
	net.Listener
	limits   *connLimiter
	hostname string
	metrics  *metrics
}

func (ll *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := ll.Listener.Accept()
		if err != nil {
			return nil, err
		}
		lc := &limitedConn{Conn: c, limits: ll.limits, ip: remoteIP(c)}
		if ok, reason := ll.limits.acquire(lc); !ok {
			ll.metrics.connections.WithLabelValues("refused_limit").Inc()
			go refuse(c, ll.hostname, reason)
			continue
		}
		ll.metrics.connections.WithLabelValues("accepted").Inc()
		ll.metrics.activeConns.Inc()
		lc.metrics = ll.metrics
		return lc, nil
	}
}

// refuse sends 421 (RFC 5321 section 3.8) without reading anything. For
// implicit TLS the write completes the handshake first, which is bounded by
// the deadline.
func refuse(c net.Conn, hostname, reason string) {
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "421 4.7.0 %s %s, try again later\r\n", hostname, reason)
	c.Close()
}

type limitedConn struct {
	net.Conn
	limits  *connLimiter
	metrics *metrics
	ip      netip.Addr
	once    sync.Once
	// readFailed is set once a read from the client failed (EOF, reset,
	// timeout). go-smtp reads a BDAT chunk with io.Copy from a LimitReader,
	// which takes an early EOF as the chunk's end: this flag is how a
	// session tells a cut-short chunk from a complete one.
	readFailed atomic.Bool
}

func (c *limitedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil {
		c.readFailed.Store(true)
	}
	return n, err
}

// clientGone reports whether a read from the client behind nc failed.
// nc is the session's connection: a *limitedConn, or a *tls.Conn over one
// after STARTTLS. Known gap: after STARTTLS, a client that ends TLS with a
// close_notify alert mid-chunk (rather than dropping the connection) gives
// tls.Conn an EOF the raw connection never sees.
func clientGone(nc net.Conn) bool {
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	lc, ok := nc.(*limitedConn)
	return ok && lc.readFailed.Load()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.limits.release(c)
		if c.metrics != nil {
			c.metrics.activeConns.Dec()
		}
	})
	return err
}

func remoteIP(c net.Conn) netip.Addr {
	ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}
