#!/usr/bin/env bash
# Runs Cogito's end-to-end suites with real clients against one freshly built
# binary: the AWS SDK for JavaScript v3 (node --test), headless Chromium
# (playwright-core), boto3 (unittest) and the AWS CLI. Ends with one line "N passed, N failed" summing the suites; exits
# non-zero on any failure. (The Go SDK suite runs with `go test ./...`.)
#
#   bash test/e2e/run.sh
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

total_passed=0 total_failed=0 total_skipped=0
add() { # add SUITE PASSED FAILED SKIPPED
	total_passed=$((total_passed + $2))
	total_failed=$((total_failed + $3))
	total_skipped=$((total_skipped + $4))
	echo "== $1: $2 passed, $3 failed, $4 skipped"
}

echo "== building bin/cogito"
if ! (cd "$root" && go build -o bin/cogito ./cmd/cogito); then
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
fi
export COGITO_BIN="$root/bin/cogito"

# JavaScript: @aws-sdk/client-cognito-identity-provider and -identity,
# amazon-cognito-identity-js, aws-amplify and aws-jwt-verify.
echo "== js (node --test)"
start=$SECONDS
if ! command -v node >/dev/null 2>&1; then
	echo "node is not installed"
	add js 0 1 0
elif ! cmp -s "$here/js/package-lock.json" "$here/js/node_modules/.cogito-installed-lock" &&
	! (cd "$here/js" && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.cogito-installed-lock); then
	# npm ci runs when node_modules was not installed from this very lock file.
	echo "npm ci failed"
	add js 0 1 0
else
	(cd "$here/js" && node --test --test-reporter=spec --test-reporter-destination=stdout \
		--test-reporter=tap --test-reporter-destination="$tmp/js.tap")
	count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$tmp/js.tap" | tail -1; }
	p="$(count pass)" f="$(count fail)" c="$(count cancelled)" s="$(count skipped)"
	if [[ -z "$p" || -z "$f" ]]; then
		echo "node --test printed no summary"
		add js 0 1 0
	else
		add js "$p" "$((f + ${c:-0}))" "${s:-0}"
	fi
fi
echo "   ($((SECONDS - start))s)"

# Browser: headless Chromium (Debian's chromium package, or $CHROMIUM) driven
# by playwright-core — passkeys, and managed login with Amplify's
# signInWithRedirect; screenshots land in test/e2e/browser/artifacts/. The
# pages bundle aws-amplify from test/e2e/js/node_modules (installed above).
echo "== browser (playwright-core, chromium)"
start=$SECONDS
if ! command -v node >/dev/null 2>&1; then
	echo "node is not installed"
	add browser 0 1 0
elif ! cmp -s "$here/browser/package-lock.json" "$here/browser/node_modules/.cogito-installed-lock" &&
	! (cd "$here/browser" && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.cogito-installed-lock); then
	echo "npm ci failed (browser)"
	add browser 0 1 0
else
	(cd "$here/browser" && node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
		--test-reporter=tap --test-reporter-destination="$tmp/browser.tap")
	count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$tmp/browser.tap" | tail -1; }
	p="$(count pass)" f="$(count fail)" c="$(count cancelled)" s="$(count skipped)"
	if [[ -z "$p" || -z "$f" ]]; then
		echo "node --test printed no summary (browser)"
		add browser 0 1 0
	else
		add browser "$p" "$((f + ${c:-0}))" "${s:-0}"
	fi
fi
echo "   ($((SECONDS - start))s)"

# A suite that prints "NAME: N passed, N failed, N skipped" as its last summary.
run_counted() { # run_counted NAME COMMAND...
	local name="$1" line p f s
	shift
	start=$SECONDS
	"$@" 2>&1 | tee "$tmp/$name.out"
	line="$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$tmp/$name.out" | tail -1)"
	if [[ -z "$line" ]]; then
		echo "$name printed no summary"
		add "$name" 0 1 0
	else
		p="$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")"
		f="$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")"
		s="$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$line")"
		add "$name" "$p" "$f" "${s:-0}"
	fi
	echo "   ($((SECONDS - start))s)"
}

echo "== py (boto3, unittest)"
run_counted py python3 "$here/py/run.py"

echo "== cli (aws $(aws --version 2>&1 | cut -d' ' -f1 | cut -d/ -f2))"
run_counted cli bash "$here/cli.sh"

echo "== total: $total_passed passed, $total_failed failed, $total_skipped skipped"
echo "$total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
