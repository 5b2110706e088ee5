#!/usr/bin/env bash
# The Detective under load: smtp-source -> Detective -> smtp-sink, against
# smtp-source -> smtp-sink directly, in one run, with real mails: 40 mails of the
# SpamAssassin 2002 corpus (ham and spam), each sent over and over by its own
# smtp-source. The Detective runs MimeAttribs + DKIMVerify + HoneyCollector + Archive
# (its DNS: a loopback DNS server with no zones, so every DKIM key lookup is answered
# at once). CPU 1 runs the Detective (or, on the direct path, the sink); CPU 0 the
# load and the Detective's sink.
#
#   bench/detective.sh [MAILS_PER_FILE] [OUTPUT.md]
#   env: WARMUP (warm-up mails per file, 50), ROUNDS (3), BENCH_OPTS (extra JVM options)
#
# Needs gcc-free tools only: postfix (smtp-source, smtp-sink), taskset, xz.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${DECENCY_SHARED:-$ROOT/../shared}"
PER_FILE="${1:-250}"
OUT="${2:-}"
FILES=40
SESSIONS=2
WORK="$(mktemp -d /tmp/decency-detbench.XXXXXX)"
DIRECT_SINK=15131; DETECTIVE=15132; DETECTIVE_SINK=15133; DNS=15134
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
command -v smtp-source >/dev/null || { echo "bench/detective.sh: smtp-source missing (apt-get install postfix)" >&2; exit 1; }
"$ROOT/decency" build >/dev/null

# 40 corpus mails: 20 ham, 20 spam, as smtp-source -F wants them (CRLF is fine either way)
mkdir -p "$WORK/corpus" "$WORK/mails"
tar xJf "$SHARED/testdata/corpus-spamassassin-2002-dev.tar.xz" -C "$WORK/corpus"
find "$WORK/corpus" -path '*ham*' -type f | sort > "$WORK/ham"
find "$WORK/corpus" -path '*/spam/*' -type f | sort > "$WORK/spam"
{ head -n $((FILES / 2)) "$WORK/ham"; head -n $((FILES / 2)) "$WORK/spam"; } > "$WORK/list"
i=0; while read -r f; do cp "$f" "$WORK/mails/$i.eml"; i=$((i + 1)); done < "$WORK/list"
BYTES=$(cat "$WORK"/mails/*.eml | wc -c)

wait_port() { # port log
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "port $1 never opened:" >&2; cat "$2" >&2 2>/dev/null; exit 1
}

java_cmd() {
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' && { echo "$d/bin/java"; return; }
  done
}
CP="$ROOT/testkit/target/decency-testkit-0.1.0-SNAPSHOT.jar:$(ls "$ROOT"/cli/target/lib/dnsjava-*.jar):$(ls "$ROOT"/cli/target/lib/slf4j-api-*.jar)"
[ -f "$ROOT/testkit/target/decency-testkit-0.1.0-SNAPSHOT.jar" ] || (cd "$ROOT" && mvn -B -q -o -DskipTests package -pl testkit -am >/dev/null)
: > "$WORK/zone.txt"
taskset -c 0 "$(java_cmd)" -cp "$CP" org.decency.testkit.TestDnsServer $DNS "$WORK/zone.txt" > "$WORK/dns.out" 2>&1 & pids+=($!)

taskset -c 1 smtp-sink -u root 127.0.0.1:$DIRECT_SINK 256 > "$WORK/direct-sink.out" 2>&1 & pids+=($!)
taskset -c 0 smtp-sink -u root 127.0.0.1:$DETECTIVE_SINK 256 > "$WORK/detective-sink.out" 2>&1 & pids+=($!)
mkdir -p "$WORK/detective/archive" "$WORK/detective/honey"
MODULES="  - MimeAttribs: {}
  - DKIMVerify: {}
  - HoneyCollector: {addresses: [trap@honey.example], collect_dir: $WORK/detective/honey}
  - Archive: {archive_dir: $WORK/detective/archive/%ymd%/mail}"
cat > "$WORK/detective.yml" <<YML
server: {host: 127.0.0.1, port: $DETECTIVE, instances: 128}
spool_dir: $WORK/detective/spool
reinject: {host: 127.0.0.1, port: $DETECTIVE_SINK}
database: {path: $WORK/detective/decency.db}
logging: {console: 0, directory: $WORK/detective, log_level: info}
dns: {servers: [127.0.0.1:$DNS], timeout: 2s}
spam: {behavior: scoring, threshold: -50, handle: tag, subject_prefix: "[SPAM]"}
modules:
${DETECTIVE_MODULES:-$MODULES}
YML
DECENCY_JAVA_OPTS="-Xms1g -Xmx1g -XX:+UseParallelGC -XX:ActiveProcessorCount=1 ${BENCH_OPTS:-}" \
  taskset -c 1 "$ROOT/decency" detective -c "$WORK/detective.yml" > "$WORK/detective.out" 2>&1 & pids+=($!)
wait_port $DIRECT_SINK /dev/null; wait_port $DETECTIVE_SINK /dev/null; wait_port $DETECTIVE "$WORK/detective.out"

load() { # port count -> seconds (all files at once, each by its own smtp-source)
  local t0 t1 lp=()
  t0=$(date +%s.%N)
  for f in "$WORK"/mails/*.eml; do
    taskset -c 0 smtp-source -s $SESSIONS -d -m "$2" -F "$f" -f bench@example.net -t rcpt@example.org 127.0.0.1:"$1" \
      >> "$WORK/source.out" 2>&1 & lp+=($!)
  done
  for p in "${lp[@]}"; do wait "$p" || echo "smtp-source failed (see $WORK/source.out)" >&2; done
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# warm-up of the Detective's JIT, then ROUNDS rounds of the two paths, direct first in
# each round: this machine is shared and noisy, so each round gives its own ratio and
# the median of them is the figure
WARM=${WARMUP:-50}
ROUNDS=${ROUNDS:-3}
load $DETECTIVE "$WARM" > /dev/null
JPID=$(pgrep -f "detective -c $WORK/detective.yml" | tail -n 1)
cpu() { awk '{ print $14 + $15 }' "/proc/$JPID/stat"; }
total=$((FILES * PER_FILE))
: > "$WORK/rounds"
for r in $(seq 1 "$ROUNDS"); do
  direct=$(load $DIRECT_SINK "$PER_FILE")
  c0=$(cpu)
  through=$(load $DETECTIVE "$PER_FILE")
  c1=$(cpu)
  echo "$r $direct $through $c0 $c1" >> "$WORK/rounds"
done
archived=$(find "$WORK/detective/archive" -type f | wc -l)
{
  echo "| round | direct mails/s | Detective mails/s | MB/s through the Detective | Detective / direct | Detective CPU µs per mail | Detective CPU use |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  awk -v n=$total -v b="$BYTES" -v f=$FILES -v t="$(getconf CLK_TCK)" '{
    printf "| %d | %.0f | %.0f | %.1f | %.2f | %.0f | %.0f%% |\n", $1, n / $2, n / $3, n * b / f / $3 / 1048576, $2 / $3,
      ($5 - $4) / t * 1e6 / n, ($5 - $4) / t / $3 * 100 }' "$WORK/rounds"
  echo
  ratio=$(awk '{ printf "%.4f\n", $2 / $3 }' "$WORK/rounds" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
  rate=$(awk -v n=$total '{ printf "%.1f\n", n / $3 }' "$WORK/rounds" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
  awk -v r="$ratio" -v d="$rate" -v k="$ROUNDS" -v n=$total \
    'BEGIN { printf "Median of %d rounds (%d mails each way per round): Detective %.0f mails/s, Detective / direct %.2f\n", k, n, d, r }'
  echo "Mails archived by the Detective (warm-up and rounds): $archived (of $((FILES * WARM + ROUNDS * total)))"
} > "$WORK/table.md"
if [ -n "$OUT" ]; then cp "$WORK/table.md" "$OUT"; else cat "$WORK/table.md"; fi
