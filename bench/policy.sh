#!/usr/bin/env bash
# Policy-server load benchmark: the protocol's floor (a C server answering DUNNO),
# the Doorman with CWL+CBL+Honeypot+Greylist+Throttle+Basic on the embedded store,
# and postgrey (Debian), each at 10, 50, 200 and 1000 persistent connections, all in
# one run. The load generator is pinned to CPU 0, every server to CPU 1 (taskset).
#
#   bench/policy.sh [SECONDS_PER_POINT] [OUTPUT.md]
#
# Writes a markdown table (default: stdout) and keeps raw outputs in bench/out/.
# Needs gcc, taskset (util-linux) and postgrey (apt-get install postgrey; installed
# here when missing and apt-get is available).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${DECENCY_SHARED:-$ROOT/../shared}"
SECS="${1:-10}"
OUT="${2:-}"
CONNS=(10 50 200 1000)
BIN="$HERE/bin"; RAW="$HERE/out"; WORK="$(mktemp -d /tmp/decency-bench.XXXXXX)"
FLOOR_PORT=15101; DOORMAN_PORT=15102; POSTGREY_PORT=15103; DOORMAN_NOLOG_PORT=15104
mkdir -p "$BIN" "$RAW"
chmod 755 "$WORK"   # postgrey drops to its own user and must reach its dbdir
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

ulimit -n 65536 2>/dev/null || ulimit -n 8192
gcc -O2 -o "$BIN/policyload" "$SHARED/bench/policyload.c"
gcc -O2 -o "$BIN/floor-policy" "$SHARED/bench/floor-policy.c"
if ! command -v postgrey >/dev/null && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgrey >/dev/null
fi
"$ROOT/decency" build >/dev/null

wait_port() { # port log
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "port $1 never opened:" >&2; cat "$2" >&2 2>/dev/null; exit 1
}

# The floor.
taskset -c 1 "$BIN/floor-policy" "$FLOOR_PORT" & pids+=($!)

# The Doorman: every local check, embedded store, decisions logged to a file; and the
# same without the per-decision log line, to show what that line costs.
start_doorman() { # name port decisions
  mkdir -p "$WORK/$1"
  cat > "$WORK/$1.yml" <<YML
server: {host: 127.0.0.1, port: $2, instances: 1}
database: {path: $WORK/$1/decency.db}
logging: {console: 0, directory: $WORK/$1, log_level: info, decisions: $3}
stats: {enable: 1, intervals: [hour, day]}
YML
  cat "$HERE/doorman-local-checks.yml" >> "$WORK/$1.yml"
  DECENCY_JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseParallelGC -XX:ActiveProcessorCount=1" \
    taskset -c 1 "$ROOT/decency" doorman -c "$WORK/$1.yml" > "$WORK/$1.out" 2>&1 & pids+=($!)
}
start_doorman doorman $DOORMAN_PORT 1
start_doorman doorman-nolog $DOORMAN_NOLOG_PORT 0

# postgrey, the reference greylisting policy server.
mkdir -p "$WORK/postgrey"; chown postgrey "$WORK/postgrey" 2>/dev/null || true
taskset -c 1 postgrey --inet=127.0.0.1:$POSTGREY_PORT --dbdir="$WORK/postgrey" --delay=300 \
  --pidfile="$WORK/postgrey.pid" > "$WORK/postgrey.out" 2>&1 & pids+=($!)

wait_port $FLOOR_PORT /dev/null; wait_port $DOORMAN_PORT "$WORK/doorman.out"
wait_port $DOORMAN_NOLOG_PORT "$WORK/doorman-nolog.out"; wait_port $POSTGREY_PORT "$WORK/postgrey.out"

# Warm-up: the JIT compiles the Doorman's hot path; postgrey builds its database.
taskset -c 0 "$BIN/policyload" 127.0.0.1 $DOORMAN_PORT 50 20 100000 > "$RAW/warmup-doorman.txt"
taskset -c 0 "$BIN/policyload" 127.0.0.1 $DOORMAN_NOLOG_PORT 50 20 100000 > "$RAW/warmup-doorman-nolog.txt"
taskset -c 0 "$BIN/policyload" 127.0.0.1 $POSTGREY_PORT 10 5 100000 > "$RAW/warmup-postgrey.txt"

measure() { # name port conns -> raw file
  taskset -c 0 "$BIN/policyload" 127.0.0.1 "$2" "$3" "$SECS" 100000 > "$RAW/$1-$3.txt" 2>&1 || true
}
field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$1" | head -1; }

rows=()
row() { # label raw-file floor-file
  local ratio
  ratio=$(awk -v a="$(field "$2" rps)" -v b="$(field "$3" rps)" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "-" }')
  rows+=("| $c | $1 | $(field "$2" rps) | $(field "$2" p50) | $(field "$2" p99) | $(field "$2" errors) / $(field "$2" unanswered) | $ratio |")
}
for c in "${CONNS[@]}"; do
  # Interleaved per connection count, so a noisy neighbour hurts every server alike.
  measure floor $FLOOR_PORT "$c"
  measure doorman $DOORMAN_PORT "$c"
  measure doorman-nolog $DOORMAN_NOLOG_PORT "$c"
  measure postgrey $POSTGREY_PORT "$c"
  f="$RAW/floor-$c.txt"
  row "floor (C, answers DUNNO)" "$f" "$f"
  row "Doorman" "$RAW/doorman-$c.txt" "$f"
  row "Doorman, no decision log" "$RAW/doorman-nolog-$c.txt" "$f"
  row "postgrey $(postgrey --version 2>/dev/null | awk '{print $NF}')" "$RAW/postgrey-$c.txt" "$f"
done

{
  echo "| conns | server | rps | p50 ms | p99 ms | errors / unanswered | rps / floor |"
  echo "|---:|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Doorman answers at 200 connections: $(sed -n 's/^actions://p' "$RAW/doorman-200.txt")"
  echo "postgrey answers at 200 connections: $(sed -n 's/^actions://p' "$RAW/postgrey-200.txt")"
} > "$WORK/table.md"
if [ -n "$OUT" ]; then cp "$WORK/table.md" "$OUT"; else cat "$WORK/table.md"; fi
