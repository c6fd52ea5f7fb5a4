#!/usr/bin/env bash
# Benchmark Cogito side by side with peer emulators, in one run on this machine, and print ratios Cogito/peer.
#
# usage: bench/compare.sh [-c N] [-d DURATION] [-w WARMUP] [-r ROUNDS] [-s "SCENARIO ..."] [-p "PEER ..."]
#                         [--no-cogito]
#   -c N          concurrent clients per run (default 16)
#   -d DURATION   measured duration per run, Go syntax (default 10s)
#   -w WARMUP     unmeasured warm-up per run (default 2s)
#   -r ROUNDS     repeat every scenario x target this many times, targets interleaved; the table shows the
#                 run with the median req/s (default 3: other work often shares the machine)
#   -s LIST       scenarios (default: all that loadgen knows; see `go run ./bench/loadgen -list`)
#   -p LIST       peers among: cognito-local moto (default: both; moto is skipped if moto_server is missing)
#   --no-cogito   measure the peers only
#
# Every run (round x scenario x target) gets a freshly started server with empty state, so what one run wrote
# cannot slow down the next.
#
# Environment:
#   COGITO_PEERS_DIR   where cognito-local.sh and moto-server.sh live (default: ../shared/peers from the repo root)
#   COGITO_BIN         use this cogito binary instead of building bin/cogito
#   COGITO_SERVE_ARGS  arguments for the cogito binary; {port} and {data} are replaced
#                      (default: serve --listen 127.0.0.1:{port} --data-dir {data}, or --addr if that is the flag)
#
# Results go to bench/results/<UTC timestamp>/ (gitignored; bench/results/latest points at the newest): one JSON
# per run, the servers' and loadgen's logs, and summary.md with the table. Everything started here is stopped
# on exit.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS_DIR="${COGITO_PEERS_DIR:-$ROOT/../shared/peers}"
CONC=16 DUR=10s WARM=2s ROUNDS=3 SCENARIOS="" PEERS="cognito-local moto" WITH_COGITO=1

while [ $# -gt 0 ]; do
  case "$1" in
    -c) CONC="$2"; shift 2 ;;
    -d) DUR="$2"; shift 2 ;;
    -w) WARM="$2"; shift 2 ;;
    -r) ROUNDS="$2"; shift 2 ;;
    -s) SCENARIOS="$2"; shift 2 ;;
    -p) PEERS="$2"; shift 2 ;;
    --no-cogito) WITH_COGITO=0; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$ROUNDS" in ''|*[!0-9]*|0) echo "compare.sh: -r must be a positive integer" >&2; exit 2 ;; esac

say() { echo "compare.sh: $*" >&2; }

RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/$RUN_ID"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/cogito-bench.XXXXXX")"
mkdir -p "$OUT/logs"

SERVER_PID="" SERVER_URL="" SERVER_LOG=""   # the server of the current run, if any
LOADGEN_PID=""
declare -a USED_PORTS=()

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null
  for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}
cleanup() {
  [ -n "$LOADGEN_PID" ] && kill "$LOADGEN_PID" 2>/dev/null && wait "$LOADGEN_PID" 2>/dev/null
  stop_server
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a port nobody listens on, below the ephemeral range so client sockets cannot take it meanwhile
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 10000))
    [[ " ${USED_PORTS[*]} " == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS+=("$p"); echo "$p"; return 0; fi
  done
  return 1
}

# wait until the server answers an AWS JSON 1.1 request (with any status: an operation it lacks is
# reported by the scenario's setup, more clearly), while pid is alive
wait_ready() {
  local port="$1" pid="$2" code
  for _ in $(seq 1 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -m 2 -X POST "http://127.0.0.1:$port/" \
      -H 'content-type: application/x-amz-json-1.1' \
      -H 'x-amz-target: AWSCognitoIdentityProviderService.ListUserPools' \
      -H 'authorization: AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0' \
      -d '{"MaxResults":1}' 2>/dev/null)
    case "$code" in [1-5][0-9][0-9]) return 0 ;; esac
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_server TARGET NAME: start a fresh TARGET with empty state; sets SERVER_PID/URL/LOG
start_server() {
  local target="$1" name="$2" port dir args pid
  port="$(free_port)" || { say "no free port"; return 1; }
  dir="$TMP/$name"; mkdir -p "$dir"
  SERVER_LOG="$dir/server.log"
  case "$target" in
    cogito)
      args="${COGITO_SERVE_ARGS:-}"
      [ -n "$args" ] || args="serve $LISTEN_FLAG 127.0.0.1:{port} --data-dir {data}"
      args="${args//\{port\}/$port}"; args="${args//\{data\}/$dir/data}"
      mkdir -p "$dir/data"
      # shellcheck disable=SC2086 # args is a word list by design
      "$BIN" $args >"$SERVER_LOG" 2>&1 </dev/null &
      pid=$!
      if ! wait_ready "$port" "$pid"; then
        say "cogito did not become ready ($BIN $args); last log lines:"; tail -5 "$SERVER_LOG" >&2
        kill "$pid" 2>/dev/null; return 1
      fi ;;
    cognito-local)
      pid="$(CL_LOG="$SERVER_LOG" "$PEERS_DIR/cognito-local.sh" "$port" "$dir/data" 2>>"$dir/start.log")" ;;
    moto)
      pid="$(MOTO_LOG="$SERVER_LOG" "$PEERS_DIR/moto-server.sh" "$port" 2>>"$dir/start.log")" ;;
  esac
  if [ -z "$pid" ]; then say "$target did not start: $(tail -2 "$dir/start.log" | tr '\n' ' ')"; return 1; fi
  SERVER_PID="$pid"; SERVER_URL="http://127.0.0.1:$port"
}

cd "$ROOT" || exit 1
say "building the load generator"
go build -o "$TMP/loadgen" ./bench/loadgen || { say "cannot build bench/loadgen"; exit 1; }
LOADGEN="$TMP/loadgen"
[ -n "$SCENARIOS" ] || SCENARIOS="$("$LOADGEN" -list | awk '{print $1}' | tr '\n' ' ')"

TARGETS=()
COGITO_REV="not measured"
if [ "$WITH_COGITO" = 1 ]; then
  BIN="${COGITO_BIN:-}"
  if [ -z "$BIN" ]; then
    say "building bin/cogito"
    COGITO_REV="$(git describe --always --dirty 2>/dev/null) (built from the work tree)"
    if go build -o bin/cogito ./cmd/cogito 2>"$TMP/build.log"; then
      BIN="$ROOT/bin/cogito"
    else
      say "cannot build ./cmd/cogito yet ($(head -c 300 "$TMP/build.log" | tr '\n' ' ')); measuring the peers only"
      COGITO_REV="not measured: ./cmd/cogito did not build"
    fi
  else
    COGITO_REV="$BIN (COGITO_BIN)"
  fi
  if [ -n "$BIN" ]; then
    # run a private copy: bin/cogito may be rebuilt by other work while we measure
    cp "$BIN" "$TMP/cogito" || exit 1
    BIN="$TMP/cogito"
    LISTEN_FLAG=--listen
    HELP="$("$BIN" serve -h 2>&1)"
    if ! grep -q -- '-listen' <<<"$HELP" && grep -q -- '-addr' <<<"$HELP"; then LISTEN_FLAG=--addr; fi
    TARGETS+=(cogito)
  fi
fi
for peer in $PEERS; do
  case "$peer" in
    cognito-local) command -v node >/dev/null || { say "node not installed; skipping cognito-local"; continue; } ;;
    moto) command -v moto_server >/dev/null || { say "moto_server not installed; skipping moto"; continue; } ;;
    *) say "unknown peer $peer (known: cognito-local moto)"; continue ;;
  esac
  TARGETS+=("$peer")
done
[ ${#TARGETS[@]} -gt 0 ] || { say "nothing to measure"; exit 1; }
# install cognito-local up front, so the first run does not time its npm install
if [[ " ${TARGETS[*]} " == *" cognito-local "* ]]; then "$PEERS_DIR/cognito-local.sh" --install-only || exit 1; fi

# --- measure: each scenario against each target, same parameters, one after the other, each on a fresh server
FILES=()
FAILS=()
declare -A BROKEN=()
for round in $(seq 1 "$ROUNDS"); do
  for scen in $SCENARIOS; do
    for t in "${TARGETS[@]}"; do
      [ -n "${BROKEN[$t]:-}" ] && continue
      name="$t--$scen"; [ "$ROUNDS" -gt 1 ] && name="$name--r$round"
      if ! start_server "$t" "$name"; then
        BROKEN[$t]=1; FAILS+=("$t: did not start (not measured further)"); continue
      fi
      f="$OUT/$name.json"
      say "round $round/$ROUNDS: $scen against $t pid=$SERVER_PID ($SERVER_URL): -c $CONC -d $DUR -warmup $WARM"
      # in the background, so that a signal reaches our trap at once (which then stops loadgen too)
      "$LOADGEN" -endpoint "$SERVER_URL" -scenario "$scen" -label "$t" -c "$CONC" -d "$DUR" \
        -warmup "$WARM" -server-pid "$SERVER_PID" -json >"$f" 2>"$OUT/logs/$name.loadgen.log" &
      LOADGEN_PID=$!
      wait "$LOADGEN_PID"; rc=$?
      LOADGEN_PID=""
      if [ "$rc" = 0 ]; then
        FILES+=("$f")
      else
        why="$(tail -3 "$OUT/logs/$name.loadgen.log" | tr '\n' ' ')"
        say "  failed: $why"
        FAILS+=("$t / $scen (round $round): ${why#loadgen: }")
        if [ -s "$f" ]; then FILES+=("$f"); else rm -f "$f"; fi
      fi
      stop_server
      cp "$SERVER_LOG" "$OUT/logs/$name.server.log" 2>/dev/null
      rm -rf "${TMP:?}/$name"
    done
  done
done

[ ${#FILES[@]} -gt 0 ] || { say "no result"; for f in "${FAILS[@]}"; do say "failed: $f"; done; exit 1; }
{
  echo "# Cogito vs peers — $RUN_ID"
  echo
  echo "- machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
  echo "- cogito: $COGITO_REV"
  echo "- load: -c $CONC -d $DUR -warmup $WARM, $ROUNDS round(s), a fresh server per run; loadgen $(go version | cut -d' ' -f3-)"
  echo "- other CPU %: share of the machine used by processes other than loadgen and the server during the run"
  for f in "${FAILS[@]}"; do echo "- failed: $f"; done
  echo
  "$LOADGEN" -table -ref cogito "${FILES[@]}"
} >"$OUT/summary.md"
ln -sfn "$RUN_ID" "$ROOT/bench/results/latest"
echo
cat "$OUT/summary.md"
echo
say "results in $OUT"
