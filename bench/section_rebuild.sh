#!/usr/bin/env bash
# One rebuild after one section changed, timed: appends a line to a section of CORPUS (a copy
# of a gen_corpus.py planboek corpus: it is edited), then builds it into OUT with BINARY and
# prints wall, user and system time and peak memory. Run it in turn for two binaries, each
# with its own OUT outside the corpus (where a build keeps what the next one reuses), after
# one untimed build of each, and compare the medians.
# Usage: bench/section_rebuild.sh BINARY CORPUS OUT
set -euo pipefail
bin=$1 corpus=$2 out=$3
section=$(find "$corpus/content" -name '01-aanleiding.md' | sort | sed -n 5p)
echo "Een regel erbij." >> "$section"
log=$(mktemp)
/usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB" \
  "$bin" build "$corpus" -o "$out" --audience vertrouwelijk --today 2026-03-01 >/dev/null 2>"$log"
tail -1 "$log"
rm -f "$log"
