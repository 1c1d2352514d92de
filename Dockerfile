# syntax=docker/dockerfile:1
# okuri container image: a static binary on distroless, running as non-root.
#   docker build -t okuri .
#   docker run -p 587:2525 -p 465:4465 -v okuri-data:/var/lib/okuri okuri

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/okuri ./cmd/okuri \
 && /out/okuri check-config -config examples/container.yaml \
 && mkdir -p /out/data

# distroless/static: no shell, no package manager; CA roots and tzdata
# included (upstream TLS verification, Japanese local time in notices).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/okuri /usr/local/bin/okuri
COPY --from=build /src/examples/container.yaml /etc/okuri/okuri.yaml
# The data volume (TLS keys, spool, store, audit outbox) belongs to the
# image's non-root user (65532) so okuri can write it.
COPY --from=build --chown=65532:65532 /out/data /var/lib/okuri
USER 65532:65532
VOLUME ["/var/lib/okuri"]
# 2525 submission (STARTTLS), 4465 implicit TLS, 8443 approvals UI, 9465 metrics
EXPOSE 2525 4465 8443 9465
ENTRYPOINT ["/usr/local/bin/okuri"]
CMD ["run", "-config", "/etc/okuri/okuri.yaml"]
