#!/usr/bin/env bash
# The Detective's engine wrappers under load: the same corpus mails scanned by clamd and
# spamd (1) through the Detective (smtp-source -> Detective with ClamAV + SpamAssassin ->
# smtp-sink) and (2) by the engines' own clients, spamc and clamdscan --stream, one mail
# after the other in as many parallel workers as smtp-source has sessions. Both paths
# alternate in ROUNDS rounds; the ratio of their rates is the wrapper's cost.
#
#   bench/engines.sh [MAILS_PER_FILE] [OUTPUT.md]
#   env: ROUNDS (3), SESSIONS (4: smtp-source sessions = spamd children = direct workers), KEEP (1: keep the work dir)
#
# Needs: postfix (smtp-source, smtp-sink), clamav-daemon, clamdscan, spamd, spamc, xz.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${DECENCY_SHARED:-$ROOT/../shared}"
PER_FILE="${1:-5}"
OUT="${2:-}"
FILES=40
SESSIONS="${SESSIONS:-4}"
ROUNDS="${ROUNDS:-3}"
WORK="$(mktemp -d /tmp/decency-engbench.XXXXXX)"
chmod 755 "$WORK"
DETECTIVE=15142; SINK=15143; CLAMD=15144; SPAMD=15145
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
for c in smtp-source smtp-sink clamd clamdscan spamd spamc; do
  command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || { echo "bench/engines.sh: $c missing (apt-get install postfix clamav-daemon clamdscan spamd spamc)" >&2; exit 1; }
done
"$ROOT/decency" build >/dev/null

mkdir -p "$WORK/corpus" "$WORK/mails"
tar xJf "$SHARED/testdata/corpus-spamassassin-2002-dev.tar.xz" -C "$WORK/corpus"
find "$WORK/corpus" -path '*ham*' -type f | sort > "$WORK/ham"
find "$WORK/corpus" -path '*/spam/*' -type f | sort > "$WORK/spam"
{ head -n $((FILES / 2)) "$WORK/ham"; head -n $((FILES / 2)) "$WORK/spam"; } > "$WORK/list"
i=0; while read -r f; do cp "$f" "$WORK/mails/$i.eml"; i=$((i + 1)); done < "$WORK/list"
chmod -R a+rX "$WORK/mails"

wait_port() { # port log
  for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "port $1 never opened:" >&2; cat "$2" >&2 2>/dev/null; exit 1
}

# clamd with one signature of our own (the EICAR test string): no downloads here
mkdir -p "$WORK/clamdb"
printf 'Decency.Test.EICAR:0:*:%s\n' "$(printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' | od -An -tx1 | tr -d ' \n')" > "$WORK/clamdb/decency.ndb"
cat > "$WORK/clamd.conf" <<CONF
DatabaseDirectory $WORK/clamdb
TCPSocket $CLAMD
TCPAddr 127.0.0.1
Foreground yes
LogFile $WORK/clamd.log
User root
MaxThreads 16
CONF
clamd -c "$WORK/clamd.conf" > "$WORK/clamd.out" 2>&1 & pids+=($!)
spamd -L --listen=127.0.0.1:$SPAMD -u nobody --nouser-config --max-children="$SESSIONS" --min-children="$SESSIONS" \
  --pidfile="$WORK/spamd.pid" -s "$WORK/spamd.log" > "$WORK/spamd.out" 2>&1 & pids+=($!)
smtp-sink -u root 127.0.0.1:$SINK 256 > "$WORK/sink.out" 2>&1 & pids+=($!)
cat > "$WORK/detective.yml" <<YML
server: {host: 127.0.0.1, port: $DETECTIVE, instances: 64}
spool_dir: $WORK/detective/spool
reinject: {host: 127.0.0.1, port: $SINK}
database: {path: $WORK/detective/decency.db}
logging: {console: 0, directory: $WORK/detective, log_level: info}
spam: {behavior: scoring, threshold: -50, handle: tag, subject_prefix: "[SPAM]"}
virus: {handle: quarantine}
modules:
  - ClamAV: {host: 127.0.0.1, port: $CLAMD, timeout: 60s}
  - SpamAssassin: {host: 127.0.0.1, port: $SPAMD, timeout: 60s}
YML
DECENCY_JAVA_OPTS="-Xms512m -Xmx512m" "$ROOT/decency" detective -c "$WORK/detective.yml" > "$WORK/detective.out" 2>&1 & pids+=($!)
wait_port $CLAMD "$WORK/clamd.out"; wait_port $SPAMD "$WORK/spamd.out"; wait_port $SINK /dev/null; wait_port $DETECTIVE "$WORK/detective.out"

through() { # mails per file -> seconds
  local t0 t1 lp=()
  t0=$(date +%s.%N)
  # SESSIONS smtp-source processes, each sending its share of the files in turn
  for w in $(seq 0 $((SESSIONS - 1))); do
    ( for f in $(ls "$WORK"/mails/*.eml | awk -v w="$w" -v n="$SESSIONS" 'NR % n == w'); do
        smtp-source -s 1 -d -m "$1" -F "$f" -f bench@example.net -t rcpt@example.org 127.0.0.1:$DETECTIVE >> "$WORK/source.out" 2>&1
      done ) & lp+=($!)
  done
  for p in "${lp[@]}"; do wait "$p"; done
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
direct() { # mails per file -> seconds: spamc and clamdscan on each mail, SESSIONS workers
  local t0 t1
  : > "$WORK/jobs"
  for _ in $(seq 1 "$1"); do ls "$WORK"/mails/*.eml >> "$WORK/jobs"; done
  t0=$(date +%s.%N)
  xargs -P "$SESSIONS" -n 1 sh -c 'spamc -d 127.0.0.1 -p '"$SPAMD"' -c < "$0" > /dev/null; clamdscan --config-file='"$WORK"'/clamd.conf --stream --no-summary --quiet "$0"; true' < "$WORK/jobs"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# warm-up: spamd's children and the Detective's JIT
direct 1 > /dev/null; through 1 > /dev/null
total=$((FILES * PER_FILE))
: > "$WORK/rounds"
for r in $(seq 1 "$ROUNDS"); do
  d=$(direct "$PER_FILE"); t=$(through "$PER_FILE")
  echo "$r $d $t" >> "$WORK/rounds"
done
sleep 1 # the Detective logs a decision just after its answer
scanned=$(cat "$WORK"/detective/*.log 2>/dev/null | awk '/decision: detective/ { n++ } END { print n + 0 }')
{
  echo "| round | spamc + clamdscan mails/s | Detective (ClamAV + SpamAssassin) mails/s | Detective / direct |"
  echo "|---:|---:|---:|---:|"
  awk -v n=$total '{ printf "| %d | %.1f | %.1f | %.2f |\n", $1, n / $2, n / $3, $2 / $3 }' "$WORK/rounds"
  echo
  ratio=$(awk '{ printf "%.4f\n", $2 / $3 }' "$WORK/rounds" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
  awk -v r="$ratio" -v k="$ROUNDS" -v n=$total -v s="$SESSIONS" \
    'BEGIN { printf "Median of %d rounds (%d mails each way per round, %d at once): Detective / direct %.2f\n", k, n, s, r }'
  echo "Decisions logged by the Detective (warm-up and rounds): $scanned (of $((FILES + ROUNDS * total)))"
} > "$WORK/table.md"
if [ -n "$OUT" ]; then cp "$WORK/table.md" "$OUT"; else cat "$WORK/table.md"; fi
