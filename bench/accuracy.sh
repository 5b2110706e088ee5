#!/usr/bin/env bash
# The Classifier and bogofilter on exactly the same folds of a corpus (docs/ACCURACY.md).
#
#   bench/accuracy.sh [TARBALL] [FOLDS]
#
# TARBALL: the SpamAssassin 2002 dev corpus (default ../shared/testdata/...), unpacked into a
# temporary folder; dev/ham and dev/hard-ham are ham, dev/spam is spam. The folds are decency
# eval's: the ham and the spam each sorted by path (byte order), the i-th mail of each in
# fold i mod FOLDS. bogofilter (Debian's, its defaults from /etc/bogofilter.cf) gets a fresh
# word list per fold, trained with -s/-n on the other folds and asked about the fold's mails;
# its spamicity (16 digits) is measured by `decency eval --scores`, the same code that
# measures the Classifier.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARBALL="${1:-$HERE/../shared/testdata/corpus-spamassassin-2002-dev.tar.xz}"
FOLDS="${2:-10}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
tar xJf "$TARBALL" -C "$WORK"
C="$WORK/dev"
find "$C/ham" "$C/hard-ham" -type f ! -name '.*' | LC_ALL=C sort > "$WORK/ham.list"
find "$C/spam" -type f ! -name '.*' | LC_ALL=C sort > "$WORK/spam.list"

echo "== Classifier: decency eval --ham $C/ham $C/hard-ham --spam $C/spam --folds $FOLDS ${DECENCY_EVAL_ARGS:-}"
[ -n "${SKIP_CLASSIFIER:-}" ] || "$HERE/decency" eval --ham "$C/ham" "$C/hard-ham" --spam "$C/spam" --folds "$FOLDS" ${DECENCY_EVAL_ARGS:-}

# bogofilter's exit status is its verdict (0 spam, 1 ham, 2 unsure); 3 and more are errors
bogo() { local rc=0; bogofilter "$@" || rc=$?; [ "$rc" -lt 3 ] || { echo "bogofilter $*: exit $rc" >&2; exit 1; }; }

echo "== bogofilter $(bogofilter -V | head -1 | awk '{print $3}'), the same folds"
: > "$WORK/bogofilter.scores"
for ((k = 0; k < FOLDS; k++)); do
  db="$WORK/bogo.$k"; mkdir "$db"
  for class in spam ham; do
    awk -v k="$k" -v n="$FOLDS" '(NR - 1) % n != k' "$WORK/$class.list" > "$WORK/train.$class"
    awk -v k="$k" -v n="$FOLDS" '(NR - 1) % n == k' "$WORK/$class.list" > "$WORK/test.$class"
  done
  bogo -d "$db" -s -b < "$WORK/train.spam"
  bogo -d "$db" -n -b < "$WORK/train.ham"
  for class in spam ham; do
    bogo -d "$db" -b -t --terse-format='%0.16f' < "$WORK/test.$class" | awk -v c="$class" '{print c, $1}' >> "$WORK/bogofilter.scores"
  done
  rm -rf "$db"
done
"$HERE/decency" eval --scores "$WORK/bogofilter.scores" --spam-cutoff 0.99 --ham-cutoff 0.45
