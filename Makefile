# okuri — common tasks. `make test` is the whole test suite, as CI runs it.
GO      ?= go
PKGS    ?= ./...
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: build run test vet fmt-check unit fuzz bench bench-compare clean

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-X main.version=$(VERSION)" -o okuri ./cmd/okuri

run:
	$(GO) run ./cmd/okuri run -config examples/okuri.yaml

# The whole suite: static checks, then every test (unit, fuzz seed corpora,
# end to end through the binary) with the race detector, shuffled. The
# detection-accuracy corpus (policy/corpus) is a measurement over ~800
# messages: it runs without the race detector (5-10x slower there, and the
# detector's concurrency is covered by policy/detect and policy/scan).
# TestKilledMidCall kills PDFium mid-call, which races inside wazero by
# design of the kill: it runs without the race detector too.
ACCURACY ?= ./policy/corpus
test: vet fmt-check
	$(GO) test -race -shuffle=on -count=1 -timeout 20m $$($(GO) list $(PKGS) | grep -v -x -F 'github.com/okuri/okuri/policy/corpus')
	$(GO) test -shuffle=on -count=1 -timeout 20m $(ACCURACY)
	$(GO) test -count=1 -run '^TestKilledMidCall$$' ./policy/extract/pdf

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Long fuzzing, one target at a time: make fuzz FUZZ=FuzzSession PKG=./smtpd TIME=10m
FUZZ ?= FuzzSession
PKG  ?= ./smtpd
TIME ?= 5m
fuzz:
	$(GO) test $(PKG) -run '^$$' -fuzz '^$(FUZZ)$$' -fuzztime $(TIME)

# Go benchmarks (not part of `make test`).
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# okuri against a stock Postfix relay on this machine, in one run.
bench-compare:
	bash bench/compare.sh

clean:
	rm -f okuri
