package directory_test

import (
	"context"
	"testing"
)

// BenchmarkAuthRedis is what one successful SMTP AUTH costs against the
// shared state in Redis: smtpd/auth.go's sequence of Begin,
// Authenticate and Succeeded. The first check put the password in the
// success cache, so this measures the store's round trips, not argon2id.
//
//	go test -run '^$' -bench AuthRedis -benchtime 2000x ./directory/
func BenchmarkAuthRedis(b *testing.B) {
	st, _ := redisStores(b)
	a := instance(b, st, usersFile(b))
	ctx := context.Background()
	const user = "tanaka@agency.test"
	if _, ok, err := a.Authenticate(ctx, user, oldPW); !ok || err != nil {
		b.Fatalf("warm: %v %v", ok, err)
	}
	for b.Loop() {
		if ok, err := a.Begin(ctx, user); !ok || err != nil {
			b.Fatalf("begin: %v %v", ok, err)
		}
		if _, ok, err := a.Authenticate(ctx, user, oldPW); !ok || err != nil {
			b.Fatalf("auth: %v %v", ok, err)
		}
		if err := a.Succeeded(ctx, user); err != nil {
			b.Fatal(err)
		}
	}
}
