#!/usr/bin/env bash
# Packs every project under src/ (Release) into one folder: a local NuGet feed.
#   tools/ci/pack.sh [OUTPUT_DIR]        # default: artifacts/packages
# Only src/ is built (through a throw-away solution), not the tests. Under CI=true the builds are deterministic
# (ContinuousIntegrationBuild). The folder is emptied first, so it holds exactly one version of each package.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(realpath -m "${1:-artifacts/packages}")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rm -rf "$out"
mkdir -p "$out"
sln_dir=$(mktemp -d)
trap 'rm -rf "$sln_dir"' EXIT
dotnet new sln --format sln -n Packages -o "$sln_dir" >/dev/null
dotnet sln "$sln_dir/Packages.sln" add src/*/*.csproj >/dev/null
dotnet pack "$sln_dir/Packages.sln" -c Release -o "$out" -nologo -clp:ErrorsOnly
echo "pack: $(ls "$out"/*.nupkg | wc -l) packages in $out"
ls -l "$out"
