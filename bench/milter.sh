#!/usr/bin/env bash
# The Defender as a milter under load: smtp-source -> Postfix (smtpd_milters = the
# Defender) -> smtp-sink, against the same Postfix without the milter, in one run and
# in alternating rounds. The Defender runs the local checks: the Doorman's CWL, CBL,
# Honeypot, Basic, AWL and Throttle (limits far above the load) at RCPT, MimeAttribs at
# the end of DATA. 40 mails of the SpamAssassin 2002 corpus, each sent over and over.
#
#   bench/milter.sh [MAILS_PER_FILE] [OUTPUT.md]
#   env: ROUNDS (3), SESSIONS (20 smtp-source sessions at once), WARMUP (10 mails per file), KEEP (1: keep the work dir),
#        CHECKS (local; none: a Defender with no checks at all, the cost of the milter protocol alone),
#        SOCKET (inet; unix: Postfix reaches the Defender over a unix-domain socket instead of TCP on loopback)
#
# Needs root (a private Postfix instance), postfix (smtp-source, smtp-sink), xz.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${DECENCY_SHARED:-$ROOT/../shared}"
PER_FILE="${1:-50}"
OUT="${2:-}"
FILES=40
SESSIONS="${SESSIONS:-20}"
ROUNDS="${ROUNDS:-3}"
WORK="$(mktemp -d /tmp/decency-milterbench.XXXXXX)"
chmod 755 "$WORK"
SMTP=15151; SINK=15152; DEFENDER=15153
CONF="$WORK/postfix-conf"
ALT_BEFORE="$(postconf -h alternate_config_directories)"
pids=()
cleanup() {
  postfix -c "$CONF" stop >/dev/null 2>&1 || true
  postconf -e "alternate_config_directories = $ALT_BEFORE" || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || { echo "bench/milter.sh: needs root (a private Postfix instance)" >&2; exit 1; }
"$ROOT/decency" build >/dev/null

mkdir -p "$WORK/corpus" "$WORK/mails"
tar xJf "$SHARED/testdata/corpus-spamassassin-2002-dev.tar.xz" -C "$WORK/corpus"
find "$WORK/corpus" -path '*ham*' -type f | sort | awk -v n=$((FILES / 2)) 'NR <= n' > "$WORK/list"
find "$WORK/corpus" -path '*/spam/*' -type f | sort | awk -v n=$((FILES / 2)) 'NR <= n' >> "$WORK/list"
i=0; while read -r f; do cp "$f" "$WORK/mails/$i.eml"; i=$((i + 1)); done < "$WORK/list"

wait_port() { # port log
  for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "port $1 never opened:" >&2; cat "$2" >&2 2>/dev/null; exit 1
}

# --- the Defender, with the local checks; the load comes from 127.0.0.1, so it checks local clients too
mkdir -p "$WORK/defender"
if [ "${SOCKET:-inet}" = unix ]; then
  LISTEN="socket: $WORK/defender/defender.sock"; MILTER="unix:$WORK/defender/defender.sock"
else
  LISTEN="host: 127.0.0.1, port: $DEFENDER"; MILTER="inet:127.0.0.1:$DEFENDER"
fi
cat > "$WORK/defender/defender.yml" <<YML
mode: milter
server: {$LISTEN, instances: 64, max_connections: 1000}
detective_spam_reply: "SPAM detected"
detective_virus_reply: "Virus detected"
database: {path: $WORK/defender/decency.db}
logging: {console: 0, directory: $WORK/defender, log_level: info}
YML
if [ "${CHECKS:-local}" = none ]; then
  printf 'detective:\n  spool_dir: %s\n  modules: []\n' "$WORK/defender/spool" >> "$WORK/defender/defender.yml"
else cat >> "$WORK/defender/defender.yml" <<YML
doorman:
  weight_threshold: -100
  force_check_local: 1
  modules:
    - CWL: {}
    - CBL: {}
    - Honeypot: {}
    - Basic: {}
    - AWL: {}
    - Throttle: {limits: {sender_domain: ["100000000/1m"], client_address: ["100000000/1m"]}}
detective:
  force_check_local: 1
  spool_dir: $WORK/defender/spool
  spam: {behavior: scoring, threshold: -50, handle: tag}
  modules:
    - MimeAttribs: {}
YML
fi
DECENCY_JAVA_OPTS="-Xms512m -Xmx512m ${BENCH_OPTS:-}" "$ROOT/decency" defender -c "$WORK/defender/defender.yml" > "$WORK/defender.out" 2>&1 & pids+=($!)
smtp-sink -u root 127.0.0.1:$SINK 256 > "$WORK/sink.out" 2>&1 & pids+=($!)

# --- a private Postfix: public smtpd on $SMTP, everything relayed to the sink
mkdir -p "$CONF" "$WORK/queue" "$WORK/data"
chown postfix "$WORK/data"
cat > "$CONF/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $WORK/queue
data_directory = $WORK/data
maillog_file = $WORK/maillog
maillog_file_prefixes = $WORK
myhostname = mx.bench.test
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relay_domains = bench.example
relayhost = [127.0.0.1]:$SINK
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
milter_protocol = 6
milter_default_action = tempfail
smtpd_milters =
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
smtp_host_lookup = native
default_process_limit = 200
smtpd_client_connection_count_limit = 0
smtpd_client_message_rate_limit = 0
CF
awk -v port=$SMTP '
  /^#/ || /^[ \t]*$/ { print; skip = 0; next }
  /^[ \t]/ { if (skip) print "#" $0; else print; next }
  { skip = 0
    if ($2 == "inet") { if ($1 == "smtp") { $1 = "127.0.0.1:" port } else { skip = 1; print "#" $0; next } }
    if (NF >= 8) $5 = "n"
    print }' /etc/postfix/master.cf > "$CONF/master.cf"
postconf -e "alternate_config_directories = ${ALT_BEFORE:+$ALT_BEFORE, }$CONF"
postfix -c "$CONF" check
postfix -c "$CONF" start >/dev/null
wait_port $SMTP "$WORK/maillog"; wait_port $SINK /dev/null
if [ "${SOCKET:-inet}" = unix ]; then
  for _ in $(seq 1 600); do [ -S "$WORK/defender/defender.sock" ] && break; sleep 0.1; done
  [ -S "$WORK/defender/defender.sock" ] || { echo "the Defender's socket never appeared:" >&2; cat "$WORK/defender.out" >&2; exit 1; }
else wait_port $DEFENDER "$WORK/defender.out"; fi

milter() { # on|off
  if [ "$1" = on ]; then postconf -c "$CONF" -e "smtpd_milters = $MILTER"; else postconf -c "$CONF" -e "smtpd_milters ="; fi
  postfix -c "$CONF" reload >/dev/null 2>&1; sleep 2
}
delivered() { cat "$WORK/maillog" 2>/dev/null | awk '/status=sent/ { n++ } END { print n + 0 }'; }
load() { # mails per file -> seconds, from the first mail sent to the last one at the sink
  local t0 t1 before want lp=()
  before=$(delivered); want=$((before + FILES * $1))
  t0=$(date +%s.%N)
  for f in "$WORK"/mails/*.eml; do
    smtp-source -s $((SESSIONS / 10 > 0 ? SESSIONS / 10 : 1)) -m "$1" -F "$f" -M client.bench.example.net \
      -f bench@client.bench.example.net -t rcpt@bench.example 127.0.0.1:$SMTP >> "$WORK/source.out" 2>&1 & lp+=($!)
    [ ${#lp[@]} -ge 10 ] && { wait "${lp[0]}"; lp=("${lp[@]:1}"); }
  done
  for p in "${lp[@]}"; do wait "$p"; done
  for _ in $(seq 1 1200); do [ "$(delivered)" -ge "$want" ] && break; sleep 0.1; done
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

latency() { # on|off -> ms per mail of one session sending 30 mails one after the other
  local s e
  milter "$1"; s=$(date +%s%N)
  smtp-source -s 1 -m 30 -F "$WORK/mails/0.eml" -M client.bench.example.net -f bench@client.bench.example.net \
    -t rcpt@bench.example 127.0.0.1:$SMTP >> "$WORK/source.out" 2>&1
  e=$(date +%s%N); echo $(( (e - s) / 30000000 ))
}
milter on; load "${WARMUP:-10}" > /dev/null   # warm-up: the Defender's JIT, Postfix's processes
milter off; load 2 > /dev/null
total=$((FILES * PER_FILE))
JPID=$(pgrep -f "defender -c $WORK/defender/defender.yml" | tail -n 1)
cpu() { awk '{ print $14 + $15 }' "/proc/$JPID/stat"; }
# CPU of the session threads alone (the checks, the protocol; not the JIT compilers nor the collector)
session_cpu() { cat /proc/"$JPID"/task/*/stat 2>/dev/null | awk '/\(defender-sessio/ { n += $(NF - 38) + $(NF - 37) } END { print n + 0 }'; }
# CPU time of the whole machine (every process and the kernel: Postfix, smtp-source, the sink, the Defender), in ticks
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
: > "$WORK/rounds"
for r in $(seq 1 "$ROUNDS"); do
  milter off; b0=$(busy); plain=$(load "$PER_FILE"); b1=$(busy)
  milter on; c0=$(cpu); s0=$(session_cpu); b2=$(busy); with=$(load "$PER_FILE"); b3=$(busy); c1=$(cpu); s1=$(session_cpu)
  echo "$r $plain $with $c0 $c1 $s0 $s1 $b0 $b1 $b2 $b3" >> "$WORK/rounds"
done
lat_off=$(latency off); lat_on=$(latency on)
sleep 1
sent=$(delivered)
checked=$(cat "$WORK"/defender/*.log 2>/dev/null | awk '/decision: defender/ { n++ } END { print n + 0 }')
{
  echo "| round | Postfix alone mails/s | Postfix + Defender milter mails/s | with / alone | machine CPU µs per mail, alone | with the milter | Defender CPU µs per mail | of which session threads |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -v n=$total -v t="$(getconf CLK_TCK)" '{ printf "| %d | %.0f | %.0f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", $1, n / $2, n / $3, $2 / $3, ($9 - $8) / t * 1e6 / n, ($11 - $10) / t * 1e6 / n, ($5 - $4) / t * 1e6 / n, ($7 - $6) / t * 1e6 / n }' "$WORK/rounds"
  echo
  # the median: the middle round, or the mean of the two middle ones
  ratio=$(awk '{ printf "%.4f\n", $2 / $3 }' "$WORK/rounds" | sort -n | awk '{ r[NR] = $1 } END { print (NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2) }')
  awk -v r="$ratio" -v k="$ROUNDS" -v n=$total \
    'BEGIN { printf "Median of %d rounds (%d mails each way per round): with the milter / alone %.2f (the milter costs %.0f%%)\n", k, n, r, (1 - r) * 100 }'
  echo "One session, one mail after the other: $lat_off ms a mail without the milter, $lat_on ms with it"
  echo "Delivered to the sink: $sent (of $((FILES * ${WARMUP:-10} + FILES * 2 + ROUNDS * total * 2 + 60))); decisions logged by the Defender: $checked (of $((FILES * ${WARMUP:-10} + ROUNDS * total + 30)))"
} > "$WORK/table.md"
if [ -n "$OUT" ]; then cp "$WORK/table.md" "$OUT"; else cat "$WORK/table.md"; fi
