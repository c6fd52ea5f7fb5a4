#!/usr/bin/env bash
# Fails when the generated API layer differs from what the models produce,
# when a Go file is not gofmt'd, or when go vet complains.
set -euo pipefail
models=${1:-../shared/aws-models}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/cogito-gen -models "$models" -out "$tmp" >/dev/null
for pkg in cognitoidp cognitoidentity; do
  for f in "$tmp/$pkg"/*_gen.go; do
    if ! cmp -s "$f" "internal/api/$pkg/$(basename "$f")"; then
      echo "check: internal/api/$pkg/$(basename "$f") is stale; run make generate" >&2
      exit 1
    fi
  done
  extra=$(comm -13 <(cd "$tmp/$pkg" && ls *_gen.go) <(cd "internal/api/$pkg" && ls *_gen.go))
  if [ -n "$extra" ]; then echo "check: stray generated files in internal/api/$pkg: $extra" >&2; exit 1; fi
done
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './test/e2e/js/node_modules/*'))
if [ -n "$unformatted" ]; then
  echo "check: gofmt would change:" >&2; echo "$unformatted" >&2; exit 1
fi
go vet ./...
echo "check: generated code current, gofmt clean, go vet clean"
