#!/usr/bin/env bash
# Rewrites PublicAPI.Unshipped.txt of every project under src/ so that it lists exactly the public API that is not in
# PublicAPI.Shipped.txt. Unattended: run it after changing or merging public API, then review `git diff -- '*PublicAPI*'`.
#   tools/update-public-api.sh                # every project under src/
#   tools/update-public-api.sh src/Rerank     # some of them (folders or .csproj files)
# How: the Unshipped file is emptied (keeping its "*REMOVED*" lines, the deliberate removals of shipped API), then
# `dotnet format analyzers` applies the PublicApiAnalyzers code fix for RS0016 ("add to public API") to every symbol.
# A symbol removed from the code but still in PublicAPI.Shipped.txt is a breaking change: the build then fails with
# RS0017 until you add a "*REMOVED*<line>" entry to the Unshipped file yourself.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

projects=()
if [ $# -eq 0 ]; then
  for p in src/*/*.csproj; do projects+=("$p"); done
else
  for a in "$@"; do
    if [ -d "$a" ]; then for p in "$a"/*.csproj; do projects+=("$p"); done; else projects+=("$a"); fi
  done
fi

for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  shipped="$dir/PublicAPI.Shipped.txt"
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [ -f "$shipped" ] || printf '#nullable enable\n' > "$shipped"
  removed=$( { grep -E '^\*REMOVED\*' "$unshipped" 2>/dev/null || true; } )
  { printf '#nullable enable\n'; [ -z "$removed" ] || printf '%s\n' "$removed"; } > "$unshipped"
  echo "update-public-api: $project"
  # Exit code 2 means "fixes were applied" for some dotnet format versions; anything else non-zero is a failure.
  rc=0
  dotnet format analyzers "$project" --diagnostics RS0016 --severity info --verbosity quiet || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
    echo "update-public-api: dotnet format failed on $project (exit $rc)" >&2
    exit "$rc"
  fi
  # The code fix inserts lines where it likes; a sorted file gives small, stable diffs.
  tmp=$(mktemp)
  { head -n 1 "$unshipped"; tail -n +2 "$unshipped" | { grep -v '^[[:space:]]*$' || true; } | LC_ALL=C sort -u; } > "$tmp"
  # Keep the repository's LF line endings whatever the fixer wrote.
  tr -d '\r' < "$tmp" > "$unshipped"
  rm -f "$tmp"
  echo "update-public-api: $(($(wc -l < "$unshipped") - 1)) unshipped, $(($(wc -l < "$shipped") - 1)) shipped lines in $dir"
done
