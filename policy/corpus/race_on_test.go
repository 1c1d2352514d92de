//go:build race

package corpus

// raceEnabled halves the generated corpus scanned under -race (the
// detector runs several times slower instrumented; CI runs -race).
const raceEnabled = true
