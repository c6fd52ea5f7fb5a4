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
# Environment:
#   COGITO_PEERS_DIR   where cognito-local.sh and moto-server.sh live (default: ../shared/peers from the repo root)
#   COGITO_BIN         use this cogito binary instead of building bin/cogito
#   COGITO_SERVE_ARGS  arguments for the cogito binary; {port} and {data} are replaced
#                      (default: serve --listen 127.0.0.1:{port} --data-dir {data}, or --addr if that is the flag)
#
# Each run goes to bench/results/<UTC timestamp>/ (gitignored): one JSON per target and scenario, the servers'
# logs, and summary.md with the table. Everything this script starts is stopped on exit.
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
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { echo "compare.sh: $*" >&2; }

RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/bench/results/$RUN_ID"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/cogito-bench.XXXXXX")"
mkdir -p "$OUT/logs"

declare -a PIDS=()        # servers we started
declare -A TARGET_URL=()  # label -> endpoint
declare -A TARGET_PID=()  # label -> server pid
declare -a TARGETS=()     # labels in run order
declare -a USED_PORTS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  cp "$TMP"/*.log "$TMP"/cognito-local/*.log "$OUT/logs/" 2>/dev/null
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
    case "$code" in 200) return 0 ;; [1-5][0-9][0-9]) say "note: ListUserPools answered HTTP $code"; return 0 ;; esac
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

cd "$ROOT" || exit 1
say "building the load generator"
go build -o "$TMP/loadgen" ./bench/loadgen || { say "cannot build bench/loadgen"; exit 1; }
LOADGEN="$TMP/loadgen"
[ -n "$SCENARIOS" ] || SCENARIOS="$("$LOADGEN" -list | awk '{print $1}' | tr '\n' ' ')"

# --- Cogito
if [ "$WITH_COGITO" = 1 ]; then
  BIN="${COGITO_BIN:-}"
  if [ -z "$BIN" ]; then
    say "building bin/cogito"
    if go build -o bin/cogito ./cmd/cogito 2>"$TMP/build.log"; then
      BIN="$ROOT/bin/cogito"
    else
      say "cannot build ./cmd/cogito yet ($(head -c 300 "$TMP/build.log" | tr '\n' ' ')); measuring the peers only"
    fi
  fi
  if [ -n "$BIN" ]; then
    PORT="$(free_port)"; DATA="$TMP/cogito-data"; mkdir -p "$DATA"
    ARGS="${COGITO_SERVE_ARGS:-}"
    if [ -z "$ARGS" ]; then
      LISTEN_FLAG=--listen
      HELP="$("$BIN" serve -h 2>&1)"
      if ! grep -q -- '-listen' <<<"$HELP" && grep -q -- '-addr' <<<"$HELP"; then LISTEN_FLAG=--addr; fi
      ARGS="serve $LISTEN_FLAG 127.0.0.1:{port} --data-dir {data}"
    fi
    ARGS="${ARGS//\{port\}/$PORT}"; ARGS="${ARGS//\{data\}/$DATA}"
    # shellcheck disable=SC2086 # ARGS is a word list by design
    "$BIN" $ARGS >"$TMP/cogito.log" 2>&1 </dev/null &
    CPID=$!
    PIDS+=("$CPID")
    if wait_ready "$PORT" "$CPID"; then
      say "cogito pid=$CPID on http://127.0.0.1:$PORT ($BIN $ARGS)"
      TARGETS+=(cogito); TARGET_URL[cogito]="http://127.0.0.1:$PORT"; TARGET_PID[cogito]="$CPID"
    else
      say "cogito did not become ready; last log lines:"; tail -5 "$TMP/cogito.log" >&2
      say "measuring the peers only"
    fi
  fi
fi

# --- peers
for peer in $PEERS; do
  PORT="$(free_port)"
  case "$peer" in
    cognito-local)
      PID="$(CL_LOG="$TMP/cognito-local.log" "$PEERS_DIR/cognito-local.sh" "$PORT" "$TMP/cognito-local")" ;;
    moto)
      if ! command -v moto_server >/dev/null; then say "moto_server not installed; skipping moto"; continue; fi
      PID="$(MOTO_LOG="$TMP/moto.log" "$PEERS_DIR/moto-server.sh" "$PORT")" ;;
    *) say "unknown peer $peer (known: cognito-local moto)"; continue ;;
  esac
  if [ -z "$PID" ]; then say "$peer did not start; skipping it"; continue; fi
  PIDS+=("$PID")
  TARGETS+=("$peer"); TARGET_URL[$peer]="http://127.0.0.1:$PORT"; TARGET_PID[$peer]="$PID"
done

[ ${#TARGETS[@]} -gt 0 ] || { say "no target is running"; exit 1; }

# --- measure: each scenario against each target, same parameters, one after the other
case "$ROUNDS" in ''|*[!0-9]*|0) say "-r must be a positive integer"; exit 2 ;; esac
FILES=()
FAILS=()
for round in $(seq 1 "$ROUNDS"); do
  for scen in $SCENARIOS; do
    for t in "${TARGETS[@]}"; do
      name="$t--$scen"; [ "$ROUNDS" -gt 1 ] && name="$name--r$round"
      f="$OUT/$name.json"
      say "round $round/$ROUNDS: $scen against $t (${TARGET_URL[$t]}): -c $CONC -d $DUR -warmup $WARM"
      if "$LOADGEN" -endpoint "${TARGET_URL[$t]}" -scenario "$scen" -label "$t" -c "$CONC" -d "$DUR" \
           -warmup "$WARM" -server-pid "${TARGET_PID[$t]}" -json >"$f" 2>"$OUT/logs/loadgen-$name.err"; then
        FILES+=("$f")
      else
        why="$(tail -3 "$OUT/logs/loadgen-$name.err" | tr '\n' ' ')"
        say "  failed: $why"
        FAILS+=("$t / $scen (round $round): ${why#loadgen: }")
        if [ -s "$f" ]; then FILES+=("$f"); else rm -f "$f"; fi
      fi
      sleep 1
    done
  done
done

[ ${#FILES[@]} -gt 0 ] || { say "no result"; exit 1; }
{
  echo "# Cogito vs peers — $RUN_ID"
  echo
  echo "- machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
  echo "- cogito: $( [ -n "${TARGET_PID[cogito]:-}" ] && git -C "$ROOT" describe --always --dirty 2>/dev/null || echo 'not measured')"
  echo "- load: -c $CONC -d $DUR -warmup $WARM, $ROUNDS round(s), targets one after the other; loadgen $(go version | cut -d' ' -f3-)"
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
