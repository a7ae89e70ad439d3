#!/usr/bin/env bash
# Turns a planboek corpus of ../shared/bench/gen_corpus.py into a git repository with ten
# tagged versions (v1…v10), five small edits apart, for the versioned-build figures.
# With --add, adds the next tagged version (v11, v12, …) to such a repository: the "new tag"
# measurement.
# Usage: bench/versions_corpus.sh /tmp/v100
#        bench/versions_corpus.sh --add /tmp/v100
set -euo pipefail
add=false
if [ "${1:-}" = "--add" ]; then add=true; shift; fi
cd "$1"
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
mapfile -t files < <(find content -name '*.md' ! -name '_index.md' | sort)
tag() {
  local i=$1
  # A day apart from 2026-01-11 on, past the end of the month for the 22nd tag and later.
  local when
  when=$(date -u -d "2026-01-10 + $i days" +%Y-%m-%dT10:00:00)
  export GIT_AUTHOR_DATE="$when" GIT_COMMITTER_DATE="$when"
  if [ "$i" -gt 1 ]; then
    for k in 0 1 2 3 4; do
      echo "Wijziging $i.$k in deze versie." >> "${files[$(( (i * 37 + k * 101) % ${#files[@]} ))]}"
    done
  fi
  git add -A && git commit -qm "versie $i" && git tag "v$i"
}
if $add; then
  tag "$(( $(git tag -l 'v*' | wc -l) + 1 ))"
else
  git -c init.defaultBranch=main init -q
  printf '/site/\n/.planboek-cache/\n' > .gitignore
  printf '\n[versions]\nfrom_git = "v*"\n' >> planboek.toml
  for i in $(seq 1 10); do tag "$i"; done
fi
echo "$(git tag | wc -l) versions in $1"
