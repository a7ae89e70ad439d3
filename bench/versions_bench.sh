#!/usr/bin/env bash
# The versioned-build figures: a cold build of every version (empty output, no cache), paired
# run by run with a one-version full build of the same corpus, then a warm build after one
# more tag. Prints `/usr/bin/time` lines (wall seconds, peak KB).
# Usage: bench/versions_bench.sh PLANBOEK VERSIONED_REPO ONE_VERSION_CORPUS OUT_DIR [PAIRS]
#   VERSIONED_REPO from bench/versions_corpus.sh; ONE_VERSION_CORPUS: the same corpus as
#   generated (no [versions]). OUT_DIR must be on the disk to measure.
set -euo pipefail
pb=$1 repo=$2 one=$3 out=$4 pairs=${5:-3}
here=$(cd "$(dirname "$0")" && pwd)
args=(--audience vertrouwelijk --today 2026-03-01)
timed() { /usr/bin/time -f "$1 %e s %M KB" "${@:2}" 2>&1 >/dev/null | tail -1; }
for i in $(seq 1 "$pairs"); do
  rm -rf "$out/versions" "$repo/.planboek-cache" "$out/one"
  sync
  timed "cold, every version:" "$pb" build "$repo" -o "$out/versions" "${args[@]}"
  timed "one version, full:" "$pb" build "$one" -o "$out/one" "${args[@]}"
done
# One more tag; each run then rebuilds it alone (its cache entry removed first).
bash "$here/versions_corpus.sh" --add "$repo" >/dev/null
newest=$(git -C "$repo" tag -l 'v*' --sort=-creatordate | head -1)
tree=$(git -C "$repo" rev-parse "$newest:content")
for i in $(seq 1 "$pairs"); do
  rm -rf "$repo/.planboek-cache/out/${tree:0:12}"-*
  timed "warm, after tag $newest:" "$pb" build "$repo" -o "$out/versions" "${args[@]}"
  rm -rf "$out/one"
  timed "one version, full:" "$pb" build "$one" -o "$out/one" "${args[@]}"
done
