#!/bin/sh
# A stand-in for razor-check (Vipul's Razor 2.85), which needs the internet: the Razor
# servers cannot be reached from the tests. It behaves as razor-check does towards the
# program that runs it:
#   razor-check-standin.sh CATALOGUE [FILE]   (the mail in FILE, else on standard input)
#   exit 0: the mail is catalogued (spam); 1: it is not; 2: razor-check's error, with its
#   own message, when the "servers" (CATALOGUE) cannot be reached.
# CATALOGUE is a file of SHA-1 sums (as sha1sum prints them) of mail bodies, the body
# being everything after the header's first empty line, CR removed: our recorded
# "Razor network". razor-check itself signs normalised body parts (e8/e4 signatures); the
# exit statuses and the error line are razor-check's.
catalogue="$1"
mail="${2:--}"
if [ ! -r "$catalogue" ]; then
  echo "razor-check error: nextserver: Bootstrap discovery failed. Giving up." >&2
  exit 2
fi
sum=$(cat -- "$mail" | tr -d '\r' | sed '1,/^$/d' | sha1sum | cut -d' ' -f1)
grep -q "^$sum" "$catalogue" && exit 0
exit 1
