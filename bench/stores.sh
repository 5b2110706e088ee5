#!/usr/bin/env bash
# The Doorman's local checks on each store, with the same load tool in one run: the
# embedded store (the reference), the key/value state on Redis, everything on PostgreSQL
# (lists, and the key/value state in its kv table), and the shared set-up (Redis cache +
# PostgreSQL lists and statistics); then two Doorman instances on one Redis + PostgreSQL,
# the load split over both, against one instance taking it all. The load rounds are
# interleaved per round, so a noisy neighbour hurts every set-up alike.
#
#   bench/stores.sh [SECONDS_PER_POINT] [OUTPUT.md]
#   env: ROUNDS (3), CONNS (50), KEEP (1: keep the work dir)
#
# Needs gcc, taskset, redis-server and PostgreSQL (Debian packages; PostgreSQL runs as the
# postgres user, so run this as root). Servers listen on 127.0.0.1 only.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${DECENCY_SHARED:-$ROOT/../shared}"
SECS="${1:-10}"
OUT="${2:-}"
ROUNDS="${ROUNDS:-3}"
CONNS="${CONNS:-50}"
BIN="$HERE/bin"; WORK="$(mktemp -d /tmp/decency-storebench.XXXXXX)"
REDIS_PORT=15201; PG_PORT=15202
declare -A PORT=([embedded]=15211 [redis]=15212 [postgres]=15213 [redis+postgres]=15214 [second]=15215)
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
mkdir -p "$BIN"; chmod 755 "$WORK"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/pg/data/postmaster.pid" ] && su postgres -c "$PGBIN/pg_ctl stop -D $WORK/pg/data -m immediate" >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || { echo "bench/stores.sh: run as root (PostgreSQL runs as the postgres user)" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n 8192
gcc -O2 -o "$BIN/policyload" "$SHARED/bench/policyload.c"
"$ROOT/decency" build >/dev/null

wait_port() { # port log
  for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "port $1 never opened:" >&2; cat "$2" >&2 2>/dev/null; exit 1
}

# --- the backends, on CPU 0 with the load generator; the Doormen get CPU 1
taskset -c 0 redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  > "$WORK/redis.out" 2>&1 & pids+=($!)
mkdir -p "$WORK/pg"; chown postgres "$WORK/pg"
su postgres -c "$PGBIN/initdb -D $WORK/pg/data -A trust -U postgres" > "$WORK/initdb.out" 2>&1
su postgres -c "taskset -c 0 $PGBIN/postgres -D $WORK/pg/data -p $PG_PORT -k $WORK/pg/data -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" > "$WORK/postgres.out" 2>&1 & pids+=($!)
wait_port $REDIS_PORT "$WORK/redis.out"; wait_port $PG_PORT "$WORK/postgres.out"
for _ in $(seq 1 100); do su postgres -c "$PGBIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -qAt -c 'select 1'" >/dev/null 2>&1 && break; sleep 0.2; done
for db in decency_pg decency_shared; do
  su postgres -c "$PGBIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -qAt -c 'CREATE DATABASE $db'" >/dev/null
done

# --- the Doormen: the same local checks as bench/policy.sh, each on its store
store_yaml() { # setup
  case "$1" in
    embedded) echo "database: {path: $WORK/embedded/decency.db}" ;;
    redis) printf 'cache: {class: redis, host: 127.0.0.1, port: %s, prefix: "r:"}\ndatabase: {path: %s}\n' $REDIS_PORT "$WORK/redis/decency.db" ;;
    postgres) echo "database: {type: postgres, host: 127.0.0.1, port: $PG_PORT, name: decency_pg, user: postgres, pool_size: 16}" ;;
    redis+postgres|second)
      printf 'cache: {class: redis, host: 127.0.0.1, port: %s, prefix: "s:"}\n' $REDIS_PORT
      echo "database: {type: postgres, host: 127.0.0.1, port: $PG_PORT, name: decency_shared, user: postgres, pool_size: 16}" ;;
  esac
}
start_doorman() { # setup cpu
  mkdir -p "$WORK/$1"
  { echo "server: {host: 127.0.0.1, port: ${PORT[$1]}, instances: 1}"
    store_yaml "$1"
    cat <<YML
logging: {console: 0, directory: $WORK/$1, log_level: info, decisions: 1}
stats: {enable: 1, intervals: [hour, day]}
YML
    cat "$HERE/doorman-local-checks.yml"
  } > "$WORK/$1.yml"
  # a few entries in the database's lists, read through the list cache as in production
  if [ "$1" != second ]; then
    for ip in 203.0.113.7 198.18.0.0/15; do "$ROOT/decency" list -c "$WORK/$1.yml" add cwl ips "$ip" >/dev/null; done
    "$ROOT/decency" list -c "$WORK/$1.yml" add cbl addresses listed@spam.example >/dev/null
  fi
  DECENCY_JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseParallelGC -XX:ActiveProcessorCount=1" \
    taskset -c "$2" "$ROOT/decency" doorman -c "$WORK/$1.yml" > "$WORK/$1.out" 2>&1 & pids+=($!); DPID[$1]=$!
}
declare -A DPID
SETUPS=(embedded redis postgres redis+postgres)
for s in "${SETUPS[@]}"; do start_doorman "$s" 1; done
for s in "${SETUPS[@]}"; do wait_port "${PORT[$s]}" "$WORK/$s.out"; done

load() { # port conns secs -> raw output
  taskset -c 0 "$BIN/policyload" 127.0.0.1 "$1" "$2" "$3" 100000 2>&1 || true
}
rps() { sed -n 's/.*rps=\([0-9.]*\).*/\1/p' | head -1; }
p99() { sed -n 's/.*p99=\([0-9.]*\).*/\1/p' | head -1; }

for s in "${SETUPS[@]}"; do load "${PORT[$s]}" "$CONNS" 20 > "$WORK/warmup-$s.txt"; done   # the JIT, the pools
: > "$WORK/rounds"
for r in $(seq 1 "$ROUNDS"); do
  for s in "${SETUPS[@]}"; do
    out="$(load "${PORT[$s]}" "$CONNS" "$SECS")"; echo "$out" > "$WORK/$s-$r.txt"
    echo "$r $s $(echo "$out" | rps) $(echo "$out" | p99)" >> "$WORK/rounds"
  done
done

# --- scaling: on the shared set-up, one Doorman (one core: CPU 1) taking all the load against
# two (CPU 1 and CPU 0, a core each, as two machines would have) taking half each at once.
# Redis, PostgreSQL and the load generator are not pinned here.
for s in embedded redis postgres; do kill "${DPID[$s]}" 2>/dev/null || true; done
kill "${DPID[redis+postgres]}" 2>/dev/null || true; sleep 3
start_doorman redis+postgres 1; start_doorman second 0
wait_port "${PORT[redis+postgres]}" "$WORK/redis+postgres.out"; wait_port "${PORT[second]}" "$WORK/second.out"
loadfree() { "$BIN/policyload" 127.0.0.1 "$1" "$2" "$3" 100000 2>&1 || true; }
loadfree "${PORT[redis+postgres]}" "$CONNS" 20 > /dev/null & loadfree "${PORT[second]}" "$CONNS" 20 > /dev/null; wait "$!" 2>/dev/null || true
sleep 1
: > "$WORK/scaling"
half=$((CONNS / 2))
for r in $(seq 1 "$ROUNDS"); do
  one="$(loadfree "${PORT[redis+postgres]}" "$CONNS" "$SECS" | rps)"
  loadfree "${PORT[redis+postgres]}" "$half" "$SECS" > "$WORK/a-$r.txt" & la=$!
  loadfree "${PORT[second]}" "$half" "$SECS" > "$WORK/b-$r.txt"; wait $la || true
  a="$(rps < "$WORK/a-$r.txt")"; b="$(rps < "$WORK/b-$r.txt")"
  echo "$r $one $a $b" >> "$WORK/scaling"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
{
  echo "| store | rps per round | median rps | median p99 ms | median / embedded |"
  echo "|---|---|---:|---:|---:|"
  ref="$(awk '$2 == "embedded" { print $3 }' "$WORK/rounds" | median)"
  for s in "${SETUPS[@]}"; do
    per="$(awk -v s="$s" '$2 == s { printf "%s%.0f", sep, $3; sep = ", " }' "$WORK/rounds")"
    m="$(awk -v s="$s" '$2 == s { print $3 }' "$WORK/rounds" | median)"
    p="$(awk -v s="$s" '$2 == s { print $4 }' "$WORK/rounds" | median)"
    awk -v s="$s" -v per="$per" -v m="$m" -v p="$p" -v ref="$ref" 'BEGIN { printf "| %s | %s | %.0f | %.2f | %.2f |\n", s, per, m, p, m / ref }'
  done
  echo
  echo "Two Doormen on one Redis + PostgreSQL, a core each, against one on one core ($CONNS connections in all):"
  echo
  echo "| round | one Doorman rps | two Doormen rps (A + B) | two / one |"
  echo "|---:|---:|---:|---:|"
  awk '{ printf "| %d | %.0f | %.0f (%.0f + %.0f) | %.2f |\n", $1, $2, $3 + $4, $3, $4, ($3 + $4) / $2 }' "$WORK/scaling"
  echo
  echo "Decisions at $CONNS connections, last round: $(for s in "${SETUPS[@]}"; do printf '%s: %s; ' "$s" "$(sed -n 's/^actions://p' "$WORK/$s-$ROUNDS.txt")"; done)"
} > "$WORK/table.md"
if [ -n "$OUT" ]; then cp "$WORK/table.md" "$OUT"; else cat "$WORK/table.md"; fi
