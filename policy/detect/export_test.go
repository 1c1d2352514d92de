package detect

// CPUTime is cpuTime for the external benchmarks (e2e_bench_test.go).
var CPUTime = cpuTime
