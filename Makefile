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
# end to end through the binary) with the race detector, shuffled.
test: vet fmt-check
	$(GO) test -race -shuffle=on -count=1 -timeout 20m $(PKGS)

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
