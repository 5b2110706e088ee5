#!/usr/bin/env bash
# DNS checks under load: the Doorman with DNSBL (4 lists) + SPF + Association +
# Plausibility, and policyd-weight (Debian) with the same 4 lists, both asking the same
# loopback DNS server (the project's TestDnsServer on 127.0.0.1:53, serving zones made
# for the load: 10,000 clients with A/PTR records, their HELO names, an SPF record,
# MX hosts, and a share of them listed on each list). Warm cache: after a pass over
# every client; cold: a fresh server on clients it has never seen. The load is pinned
# to CPU 0 with the DNS server, the policy servers to CPU 1.
#
#   bench/dns.sh [SECONDS_PER_POINT] [OUTPUT.md]
#
# Needs root (port 53, and a private mount namespace for policyd-weight's resolv.conf),
# gcc, taskset, unshare, and policyd-weight (installed when missing).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${DECENCY_SHARED:-$ROOT/../shared}"
SECS="${1:-10}"
OUT="${2:-}"
CLIENTS=10000
CONNS=50
BIN="$HERE/bin"; RAW="$HERE/out"; WORK="$(mktemp -d /tmp/decency-dnsbench.XXXXXX)"
DOORMAN_PORT=15121; COLD_PORT=15122; POLW_PORT=15123; CACHED_PORT=15124
mkdir -p "$BIN" "$RAW"
chmod 755 "$WORK"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pkill -f "policyd-weight -f $WORK" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n 8192

gcc -O2 -o "$BIN/policyload" "$SHARED/bench/policyload.c"
if ! command -v policyd-weight >/dev/null && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q policyd-weight >/dev/null
fi
"$ROOT/decency" build >/dev/null
source_java() { # the JDK the launcher picks
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' && { echo "$d/bin/java"; return; }
  done
}
JAVA="$(source_java)"
(cd "$ROOT" && mvn -B -q -o -DskipTests install -pl testkit -am >/dev/null 2>&1 || mvn -B -q -DskipTests package -pl testkit -am >/dev/null)

# --- zones: what policyload asks about (see policyload.c: client 198.51.(k>>8).(k&255),
# names mail<k>.example.net, sender user<k>@example.net, recipient rcpt<k%97>@example.org)
ZONE="$WORK/zone.txt"
awk -v n=$CLIENTS 'BEGIN {
  print "example.net TXT v=spf1 ip4:198.51.0.0/16 -all"
  print "example.net MX 10 mx.example.net"
  print "mx.example.net A 198.51.0.1"
  print "example.org MX 10 mx.example.org"
  print "mx.example.org A 192.0.2.25"
  for (k = 0; k < n; k++) {
    a = int(k / 256) % 256; b = k % 256
    printf "mail%d.example.net A 198.51.%d.%d\n", k, a, b
    printf "%d.%d.51.198.in-addr.arpa PTR mail%d.example.net\n", b, a, k
    if (k % 10 == 0) printf "%d.%d.51.198.bl1.test A 127.0.0.2\n", b, a
    if (k % 15 == 0) printf "%d.%d.51.198.bl2.test A 127.0.0.2\n", b, a
    if (k % 25 == 0) printf "%d.%d.51.198.bl3.test A 127.0.0.4\n", b, a
    if (k % 40 == 0) printf "%d.%d.51.198.bl4.test A 127.0.0.2\n", b, a
  }
}' > "$ZONE"
CP="$ROOT/testkit/target/decency-testkit-0.1.0-SNAPSHOT.jar:$(ls "$ROOT"/cli/target/lib/dnsjava-*.jar):$(ls "$ROOT"/cli/target/lib/slf4j-api-*.jar)"
taskset -c 0 "$JAVA" -cp "$CP" org.decency.testkit.TestDnsServer 53 "$ZONE" > "$WORK/dns.out" 2>&1 & pids+=($!)

wait_port() { # port log
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "port $1 never opened:" >&2; cat "$2" >&2 2>/dev/null; exit 1
}
wait_port 53 "$WORK/dns.out"

# --- the Doorman
start_doorman() { # name port [result_cache]
  local rc=""
  [ "${3:-}" = cached ] && rc="result_cache: {hit_ttl: 30m, miss_ttl: 30m}"
  mkdir -p "$WORK/$1"
  cat > "$WORK/$1.yml" <<YML
server: {host: 127.0.0.1, port: $2, instances: 1}
database: {path: $WORK/$1/decency.db}
logging: {console: 0, directory: $WORK/$1, log_level: info}
dns: {servers: [127.0.0.1:53], timeout: 2s, retries: 1}
modules:
  - DNSBL:
      blacklist:
        - {host: bl1.test, weight: -43.5, miss_weight: 15}
        - {host: bl2.test, weight: -37.5, miss_weight: 15}
        - {host: bl3.test, weight: -43.5}
        - {host: bl4.test, weight: -32.5}
      max_hits: 3
      $rc
  - SPF: {$rc}
  - Association: {$rc}
  - Plausibility: {$rc}
YML
  DECENCY_JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseParallelGC -XX:ActiveProcessorCount=1" \
    taskset -c 1 "$ROOT/decency" doorman -c "$WORK/$1.yml" > "$WORK/$1.out" 2>&1 & pids+=($!)
  wait_port "$2" "$WORK/$1.out"
}

# --- policyd-weight, its resolver pointed at the same server in a mount namespace of its own.
# It logs every decision to syslog; with no syslog daemon here each line would wait for a
# timeout, so a small UDP sink on 127.0.0.1:514 takes the lines (and drops them).
python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 514))
while True: s.recv(65535)
" & pids+=($!)
mkdir -p "$WORK/polw"
chown polw "$WORK/polw" 2>/dev/null || true   # policyd-weight drops to its own user (polw)
echo "nameserver 127.0.0.1" > "$WORK/resolv.conf"
cat > "$WORK/polw.conf" <<CONF
\$TCP_PORT = $POLW_PORT;
\$BIND_ADDRESS = '127.0.0.1';
\$USER = 'polw';
\$GROUP = 'polw';
\$LOCKPATH = '$WORK/polw/';
\$SPATH = '$WORK/polw/polw.sock';
\$PIDFILE = '$WORK/polw/policyd-weight.pid';
\$NS = '127.0.0.1';
\$syslog_socktype = 'udp';
\$MAX_PROC = 50;
\$MIN_PROC = 10;
@dnsbl_score = (
  'bl1.test', 4.35, -1.5, 'BL1',
  'bl2.test', 3.75, -1.5, 'BL2',
  'bl3.test', 4.35, 0, 'BL3',
  'bl4.test', 3.25, 0, 'BL4'
);
@rhsbl_score = ();
CONF
unshare -m sh -c "mount --bind '$WORK/resolv.conf' /etc/resolv.conf && exec taskset -c 1 policyd-weight -f '$WORK/polw.conf' -D start" \
  > "$WORK/polw.out" 2>&1 & pids+=($!)
wait_port $POLW_PORT "$WORK/polw.out"

field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$1" | head -1; }
load() { # name port conns secs distinct
  taskset -c 0 "$BIN/policyload" 127.0.0.1 "$2" "$3" "$4" "$5" > "$RAW/dns-$1.txt" 2>&1 || true
}

# Cold: a fresh Doorman on clients it has never seen (the first 10 s of traffic).
start_doorman doorman-cold $COLD_PORT
load doorman-cold $COLD_PORT $CONNS "$SECS" $CLIENTS
kill "${pids[-1]}" 2>/dev/null || true
# Warm: a pass over every client first, then the measurement on the same clients.
start_doorman doorman $DOORMAN_PORT
load warmup-doorman $DOORMAN_PORT $CONNS 30 $CLIENTS
load doorman $DOORMAN_PORT $CONNS "$SECS" $CLIENTS
kill "${pids[-1]}" 2>/dev/null || true
# Warm, and the modules' result caches on (policyd-weight keeps one by default).
start_doorman doorman-cached $CACHED_PORT cached
load warmup-doorman-cached $CACHED_PORT $CONNS 30 $CLIENTS
load doorman-cached $CACHED_PORT $CONNS "$SECS" $CLIENTS
load warmup-polw $POLW_PORT $CONNS 30 $CLIENTS
load policyd-weight $POLW_PORT $CONNS "$SECS" $CLIENTS

row() { # label file
  echo "| $1 | $(field "$2" rps) | $(field "$2" p50) | $(field "$2" p99) | $(field "$2" max) | $(field "$2" errors) / $(field "$2" unanswered) | $(sed -n 's/^actions: *//p' "$2") |"
}
{
  echo "| server ($CONNS connections, $CLIENTS clients) | rps | p50 ms | p99 ms | max ms | errors / unanswered | answers |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  row "Doorman, cold cache (first ${SECS} s of a fresh server)" "$RAW/dns-doorman-cold.txt"
  row "Doorman, warm DNS cache" "$RAW/dns-doorman.txt"
  row "Doorman, warm DNS cache and result_cache on every module" "$RAW/dns-doorman-cached.txt"
  row "policyd-weight $(dpkg-query -W -f='${Version}' policyd-weight 2>/dev/null), warm (its DNS answers and result cache)" "$RAW/dns-policyd-weight.txt"
} > "$WORK/table.md"
if [ -n "$OUT" ]; then cp "$WORK/table.md" "$OUT"; else cat "$WORK/table.md"; fi
