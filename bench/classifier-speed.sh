#!/usr/bin/env bash
# The Classifier's training and classifying rates on one core, beside bogofilter's on the
# same mails (docs/BENCHMARKS.md).
#
#   bench/classifier-speed.sh [TARBALL] [CPU]
#
# Both run pinned to CPU (default 0) with taskset, on the 3,250 mails of the SpamAssassin
# 2002 dev corpus (read from the page cache: each tool reads them once before it is timed).
# The Classifier: `decency eval --speed` trains every mail into a fresh embedded store
# (SQLite file; the flush to disk is inside the timing) and classifies every mail eight times
# through the check's evaluate(), the first pass with a cold JIT, the last one warm; then it
# trains twice more, each time into a fresh store, with the JIT warm (the steady state of a
# long-running server). bogofilter: a fresh word list, `-s -b` / `-n -b` (bulk mode: one
# process for all mails), then `-b -t` twice.
# Every rate is printed by the wall clock and by CPU seconds (all threads of the JVM; user +
# system time of bogofilter): on a machine shared with other work the wall-clock rates drop
# with the load, the CPU-second rates hardly, so compare those.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARBALL="${1:-$HERE/../shared/testdata/corpus-spamassassin-2002-dev.tar.xz}"
CPU="${2:-0}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
tar xJf "$TARBALL" -C "$WORK"
C="$WORK/dev"
find "$C/ham" "$C/hard-ham" -type f | LC_ALL=C sort > "$WORK/ham.list"
find "$C/spam" -type f | LC_ALL=C sort > "$WORK/spam.list"
cat "$WORK/ham.list" "$WORK/spam.list" > "$WORK/all.list"
cat $(cat "$WORK/all.list") > /dev/null
"$HERE/decency" build > /dev/null

echo "== Classifier (decency eval --speed), taskset -c $CPU"
taskset -c "$CPU" "$HERE/decency" eval --speed --ham "$C/ham" "$C/hard-ham" --spam "$C/spam"

bogo() { local rc=0; bogofilter "$@" || rc=$?; [ "$rc" -lt 3 ] || { echo "bogofilter $*: exit $rc" >&2; exit 1; }; }
rate() { awk -v n="$1" -v s="$2" -v c="$3" 'BEGIN { printf "%6.0f mails/s (%.2f s); %6.0f mails per CPU second (%.2f s)", n / s, s, n / c, c }'; }
now() { date +%s.%N; }
# the CPU seconds (user + system) of the command, as /usr/bin/time counts them, in $WORK/cpu
cpu() { /usr/bin/time -f '%U %S' -o "$WORK/cpu.raw" "$@"; awk '{ print $1 + $2 }' "$WORK/cpu.raw" > "$WORK/cpu"; }
n=$(wc -l < "$WORK/all.list")
echo "== bogofilter $(bogofilter -V | head -1 | awk '{print $3}'), taskset -c $CPU"
mkdir "$WORK/bogo"
t0=$(now)
cpu taskset -c "$CPU" bash -c "$(declare -f bogo); bogo -d '$WORK/bogo' -n -b < '$WORK/ham.list'; bogo -d '$WORK/bogo' -s -b < '$WORK/spam.list'"
t1=$(now)
echo "train:    $(rate "$n" "$(echo "$t1 - $t0" | bc)" "$(cat "$WORK/cpu")")"
for pass in 1 2; do
  t0=$(now)
  cpu taskset -c "$CPU" bash -c "$(declare -f bogo); bogo -d '$WORK/bogo' -b -t < '$WORK/all.list' > /dev/null"
  t1=$(now)
  echo "classify: $(rate "$n" "$(echo "$t1 - $t0" | bc)" "$(cat "$WORK/cpu")") pass $pass"
done
