package directory

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// authCacheTTL bounds how long a verified password is remembered. Mail
// clients log in on every connection; argon2id costs tens of milliseconds
// of CPU each time, which a burst of clients would queue behind.
const authCacheTTL = 10 * time.Minute

// authCache remembers successful verifications as HMAC-SHA256 under a key
// that exists only in this process's memory, bound to the stored hash so
// a password change invalidates it. Failures are never cached.
type authCache struct {
	key [32]byte
	mu  sync.Mutex
	m   map[string]cacheEntry // by lower-case address
}

type cacheEntry struct {
	mac     [32]byte
	expires time.Time
}

func newAuthCache() *authCache {
	c := &authCache{m: map[string]cacheEntry{}}
	rand.Read(c.key[:])
	return c
}

func (c *authCache) mac(addr, storedHash, password string) [32]byte {
	h := hmac.New(sha256.New, c.key[:])
	for _, s := range []string{addr, storedHash, password} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

func (c *authCache) ok(addr, storedHash, password string, now time.Time) bool {
	want := c.mac(addr, storedHash, password)
	c.mu.Lock()
	e, found := c.m[addr]
	c.mu.Unlock()
	return found && now.Before(e.expires) && hmac.Equal(e.mac[:], want[:])
}

func (c *authCache) remember(addr, storedHash, password string, now time.Time) {
	e := cacheEntry{mac: c.mac(addr, storedHash, password), expires: now.Add(authCacheTTL)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > 100000 { // a directory is small; never let the cache grow without bound
		clear(c.m)
	}
	c.m[addr] = e
}
