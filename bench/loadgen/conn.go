package loadgen

import (
	"net"
	"time"
)

// timedConn remembers when its last Write returned. The SMTP client
// writes the final "." of DATA and then only reads, so after the DATA
// reply lastWrite is the moment the end of the message reached the
// kernel: the start of the data-250 latency. With STARTTLS the TLS
// connection writes through timedConn, so the same holds.
//
// A timedConn is used by one goroutine at a time, like the client.
type timedConn struct {
	net.Conn
	lastWrite time.Time
}

func (c *timedConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.lastWrite = time.Now()
	return n, err
}
