#!/usr/bin/env bash
# The Classifier's training and classifying rates on one core, beside bogofilter's on the
# same mails (docs/BENCHMARKS.md).
#
#   bench/classifier-speed.sh [TARBALL] [CPU]
#
# Both run pinned to CPU (default 0) with taskset, on the 3,250 mails of the SpamAssassin
# 2002 dev corpus (read from the page cache: each tool reads them once before it is timed).
# The Classifier: `decency eval --speed` trains every mail into a fresh embedded store
# (SQLite file; the flush to disk is inside the timing) and classifies every mail twice
# through the check's evaluate(), the first pass with a cold JIT. bogofilter: a fresh word
# list, `-s -b` / `-n -b` (bulk mode: one process for all mails), then `-b -t` twice.
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
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%6.0f mails/s (%.2f s)", n / s, s }'; }
now() { date +%s.%N; }
n=$(wc -l < "$WORK/all.list")
echo "== bogofilter $(bogofilter -V | head -1 | awk '{print $3}'), taskset -c $CPU"
mkdir "$WORK/bogo"
t0=$(now)
taskset -c "$CPU" bash -c "$(declare -f bogo); bogo -d '$WORK/bogo' -n -b < '$WORK/ham.list'; bogo -d '$WORK/bogo' -s -b < '$WORK/spam.list'"
t1=$(now)
echo "train:    $(rate "$n" "$(echo "$t1 - $t0" | bc)")"
for pass in 1 2; do
  t0=$(now)
  taskset -c "$CPU" bash -c "$(declare -f bogo); bogo -d '$WORK/bogo' -b -t < '$WORK/all.list' > /dev/null"
  t1=$(now)
  echo "classify: $(rate "$n" "$(echo "$t1 - $t0" | bc)") pass $pass"
done
