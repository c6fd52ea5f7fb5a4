# Cogito: `make run` starts the server, `make test` runs every test.
GO ?= go
MODELS ?= ../shared/aws-models
export COGITO_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: run build test check generate docs test-go test-e2e bench clean

run:
	$(GO) run ./cmd/cogito serve

build:
	$(GO) build -o bin/cogito ./cmd/cogito

# Everything CI runs: generated code and formatting checks, the Go tests
# (storage conformance on SQLite and PostgreSQL, protocol, services, SDK
# end-to-end) with the race detector, then the npm, boto3 and CLI suites.
test: check test-go test-e2e

check:
	scripts/check.sh $(MODELS)

test-go:
	$(GO) test -race -count=1 ./...

test-e2e: build
	test/e2e/run.sh

generate:
	$(GO) run ./cmd/cogito-gen -models $(MODELS) -out internal/api

docs:
	$(GO) test ./internal/server -run TestCompatibilityDoc -update

bench:
	bench/compare.sh

clean:
	rm -rf bin .cogito
