#!/usr/bin/env bash
# Benchmark Cogito side by side with peer emulators, in one run on this machine, and print ratios Cogito/peer.
#
# usage: bench/compare.sh [-c N] [-d DURATION] [-w WARMUP] [-r ROUNDS] [-s "SCENARIO|SET ..."] [-p "PEER ...|none"]
#                         [-P "SIZE ..."] [--cap TARGET=SIZE] [--prefill-c N] [--no-cogito]
#   -c N          concurrent clients per run (default 16)
#   -d DURATION   measured duration per run, Go syntax (default 10s)
#   -w WARMUP     unmeasured warm-up per run (default 2s)
#   -r ROUNDS     repeat every scenario x target this many times, targets interleaved; the table shows the
#                 run with the median req/s (default 3: other work often shares the machine)
#   -s LIST       scenarios, or sets of them: default (the pool scenarios, ~5 minutes), users (the user
#                 scenarios, on prefilled pools), signin (sign-in, refresh, GetUser), all (see
#                 `go run ./bench/loadgen -list`); default: default
#   -p LIST       peers among: cognito-local moto, or none (default: both; moto is skipped if moto_server is missing)
#   -P SIZES      user scenarios: pool sizes (users prefilled before the loop), each measured for every target
#                 (default 1000)
#   --cap T=N     measure target T only at pool sizes up to N (repeatable), e.g. --cap cognito-local=10000:
#                 peers that slow down as they grow are compared at the sizes they can hold
#   --prefill-c N concurrent clients of a prefill (default 16)
#   --no-cogito   measure the peers only
#
# Every run (round x scenario x target) gets a freshly started server with empty state, so what one run wrote
# cannot slow down the next. For the user scenarios, Cogito and cognito-local are prefilled once per size (and
# cognito-local configuration), their data directory is kept, and every run starts on a fresh copy of it;
# moto keeps its state in memory, so every moto run prefills its own pool.
#
# Environment:
#   COGITO_PEERS_DIR   where cognito-local.sh and moto-server.sh live (default: ../shared/peers from the repo root)
#   COGITO_BIN         use this cogito binary instead of building bin/cogito
#   COGITO_SERVE_ARGS  arguments for the cogito binary; {port} and {data} are replaced
#                      (default: serve --listen 127.0.0.1:{port} --data-dir {data}, or --addr if that is the flag)
#
# Results go to bench/results/<UTC timestamp>/ (gitignored; bench/results/latest points at the newest): one JSON
# per run (and per prefill), the servers' and loadgen's logs, and summary.md with the tables. Everything
# started here is stopped on exit.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS_DIR="${COGITO_PEERS_DIR:-$ROOT/../shared/peers}"
CONC=16 DUR=10s WARM=2s ROUNDS=3 SCENARIOS="default" PEERS="cognito-local moto" WITH_COGITO=1
SIZES=1000 PCONC=16
declare -A CAP=()

while [ $# -gt 0 ]; do
  case "$1" in
    -c) CONC="$2"; shift 2 ;;
    -d) DUR="$2"; shift 2 ;;
    -w) WARM="$2"; shift 2 ;;
    -r) ROUNDS="$2"; shift 2 ;;
    -s) SCENARIOS="$2"; shift 2 ;;
    -p) PEERS="$2"; [ "$PEERS" = none ] && PEERS=""; shift 2 ;;
    -P) SIZES="$2"; shift 2 ;;
    --cap) [[ "$2" == *=* ]] || { echo "compare.sh: --cap wants TARGET=SIZE" >&2; exit 2; }
           CAP[${2%%=*}]="${2#*=}"; shift 2 ;;
    --prefill-c) PCONC="$2"; shift 2 ;;
    --no-cogito) WITH_COGITO=0; shift ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$ROUNDS" in ''|*[!0-9]*|0) echo "compare.sh: -r must be a positive integer" >&2; exit 2 ;; esac
for n in $SIZES "${CAP[@]}" "$PCONC"; do
  case "$n" in ''|*[!0-9]*|0) echo "compare.sh: sizes, caps and --prefill-c must be positive integers" >&2; exit 2 ;; esac
done

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

# cognito-local's configuration for the user scenarios: it has no alias attributes, and its default pools
# take the email as username (UsernameAttributes ["email"]), where it finds users by email (by scanning them).
# So admin-get-user-alias runs on its default pools and the other user scenarios on pools with usernames.
CL_PLAIN='{"UserPoolDefaults":{"UsernameAttributes":[]}}'
variant_of() { # TARGET SCENARIO
  if [ "$1" = cognito-local ] && is_user_scenario "$2"; then
    if [ "$2" = admin-get-user-alias ]; then echo email-username; else echo plain; fi
  else
    echo std
  fi
}

# start_server TARGET NAME [VARIANT [SNAPSHOT]]: start a fresh TARGET, with empty state or on a copy of the
# data directory SNAPSHOT; sets SERVER_PID/URL/LOG
start_server() {
  local target="$1" name="$2" variant="${3:-std}" snap="${4:-}" port dir args pid
  port="$(free_port)" || { say "no free port"; return 1; }
  dir="$TMP/$name"; mkdir -p "$dir"
  SERVER_LOG="$dir/server.log"
  if [ -n "$snap" ]; then cp -a "$snap" "$dir/data" || { say "cannot copy $snap"; return 1; }; fi
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
      local clcfg=""; [ "$variant" = plain ] && clcfg="$CL_PLAIN"
      pid="$(CL_CONFIG="$clcfg" CL_LOG="$SERVER_LOG" "$PEERS_DIR/cognito-local.sh" "$port" "$dir/data" 2>>"$dir/start.log")" ;;
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
USER_SCENARIOS=" $("$LOADGEN" -list -set users | tr '\n' ' ') "
is_user_scenario() { [[ "$USER_SCENARIOS" == *" $1 "* ]]; }
EXPANDED=""
for s in $SCENARIOS; do
  case "$s" in
    default|users|signin|all) EXPANDED+=" $("$LOADGEN" -list -set "$s" | tr '\n' ' ')" ;;
    *) EXPANDED+=" $s" ;;
  esac
done
SCENARIOS="$(echo $EXPANDED)" # shellcheck disable=SC2086 # word-split on purpose

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

# --- prefilled pools for the user scenarios: Cogito and cognito-local keep their state in a data directory,
# so each (target, configuration, size) is filled once and every run starts on a copy of it
declare -A SNAP=() SNAP_POOL=() SNAP_FAILED=() NOTED=()
FILES=()
FAILS=()
NOTES=()
ensure_snapshot() { # TARGET VARIANT SIZE
  local t="$1" v="$2" n="$3" key="$1--$2--$3" name scen f rc pool
  [ -n "${SNAP[$key]:-}" ] && return 0
  [ -n "${SNAP_FAILED[$key]:-}" ] && return 1
  name="prefill--$key"
  scen=admin-get-user; [ "$v" = email-username ] && scen=admin-get-user-alias
  if ! start_server "$t" "$name" "$v"; then
    SNAP_FAILED[$key]=1; FAILS+=("$t: did not start for the prefill of $n users ($v)"); return 1
  fi
  f="$OUT/$name.json"
  say "prefill: $n users into $t ($v) pid=$SERVER_PID, -prefill-c $PCONC"
  "$LOADGEN" -endpoint "$SERVER_URL" -scenario "$scen" -label "$t" -prefill "$n" -prefill-c "$PCONC" \
    -prefill-only -server-pid "$SERVER_PID" -json >"$f" 2>"$OUT/logs/$name.loadgen.log" &
  LOADGEN_PID=$!
  wait "$LOADGEN_PID"; rc=$?
  LOADGEN_PID=""
  pool="$(sed -n 's/^ *"pool_id": *"\([^"]*\)".*/\1/p' "$f" | head -1)"
  stop_server
  cp "$SERVER_LOG" "$OUT/logs/$name.server.log" 2>/dev/null
  if [ "$rc" != 0 ] || [ -z "$pool" ]; then
    SNAP_FAILED[$key]=1
    FAILS+=("$t: prefill of $n users ($v) failed: $(tail -2 "$OUT/logs/$name.loadgen.log" | tr '\n' ' ')")
    rm -f "$f"; rm -rf "${TMP:?}/$name"; return 1
  fi
  say "  $(grep -o 'prefill: .*' "$OUT/logs/$name.loadgen.log" | tail -1)"
  mkdir -p "$TMP/snap"
  mv "$TMP/$name/data" "$TMP/snap/$key" && rm -rf "${TMP:?}/$name"
  SNAP[$key]="$TMP/snap/$key"; SNAP_POOL[$key]="$pool"
  FILES+=("$f")
}

# --- measure: each scenario against each target, same parameters, one after the other, each on a fresh server
declare -A BROKEN=()
for round in $(seq 1 "$ROUNDS"); do
  for scen in $SCENARIOS; do
    sizes="-"; is_user_scenario "$scen" && sizes="$SIZES"
    for size in $sizes; do
      for t in "${TARGETS[@]}"; do
        [ -n "${BROKEN[$t]:-}" ] && continue
        name="$t--$scen"; extra=(); variant="$(variant_of "$t" "$scen")"; snap=""
        if [ "$size" != - ]; then
          name="$t--$scen--$size"
          if [ -n "${CAP[$t]:-}" ] && [ "$size" -gt "${CAP[$t]}" ]; then
            [ -n "${NOTED[$t-$size]:-}" ] || NOTES+=("$t: not measured at $size users (--cap $t=${CAP[$t]})")
            NOTED[$t-$size]=1; continue
          fi
          case "$t" in
            cogito|cognito-local)
              ensure_snapshot "$t" "$variant" "$size" || continue
              snap="${SNAP[$t--$variant--$size]}"
              extra=(-pool "${SNAP_POOL[$t--$variant--$size]}" -prefill "$size") ;;
            *) extra=(-prefill "$size" -prefill-c "$PCONC") ;;
          esac
        fi
        [ "$ROUNDS" -gt 1 ] && name="$name--r$round"
        if ! start_server "$t" "$name" "$variant" "$snap"; then
          BROKEN[$t]=1; FAILS+=("$t: did not start (not measured further)"); continue
        fi
        f="$OUT/$name.json"
        [ "$size" = - ] && on="" || on=" on $size users"
        say "round $round/$ROUNDS: $scen$on against $t pid=$SERVER_PID ($SERVER_URL): -c $CONC -d $DUR -warmup $WARM ${extra[*]}"
        # in the background, so that a signal reaches our trap at once (which then stops loadgen too)
        "$LOADGEN" -endpoint "$SERVER_URL" -scenario "$scen" -label "$t" -c "$CONC" -d "$DUR" \
          -warmup "$WARM" -server-pid "$SERVER_PID" -json "${extra[@]}" >"$f" 2>"$OUT/logs/$name.loadgen.log" &
        LOADGEN_PID=$!
        wait "$LOADGEN_PID"; rc=$?
        LOADGEN_PID=""
        if [ "$rc" = 0 ]; then
          FILES+=("$f")
        else
          why="$(grep -v '^loadgen: prefill' "$OUT/logs/$name.loadgen.log" | tail -3 | tr '\n' ' ')"
          say "  failed: $why"
          FAILS+=("$t / $scen$on (round $round): ${why#loadgen: }")
          if [ -s "$f" ]; then FILES+=("$f"); else rm -f "$f"; fi
        fi
        stop_server
        cp "$SERVER_LOG" "$OUT/logs/$name.server.log" 2>/dev/null
        rm -rf "${TMP:?}/$name"
      done
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
  echo "- scenarios: $SCENARIOS"
  for s in $SCENARIOS; do
    if is_user_scenario "$s"; then
      echo "- user scenarios: pools of $SIZES users (scenario @size), prefilled with AdminCreateUser at -prefill-c $PCONC; cognito-local: admin-get-user-alias on its default pools (email as username), the others with UsernameAttributes []"
      break
    fi
  done
  for n in "${NOTES[@]}"; do echo "- $n"; done
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
