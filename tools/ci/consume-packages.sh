#!/usr/bin/env bash
# Proves the packages work as a user meets them: brand-new console apps (`dotnet new console`) that `dotnet add package`
# from a local folder feed, build and run, and whose restored closures are checked.
#   tools/ci/consume-packages.sh [FEED]     # default: $RERANK_PACKAGES_DIR, else artifacts/packages (packed if empty)
# Offline-capable: the feed plus the configured NuGet source (the mirror); packages this machine already has are taken
# from its global packages folder, so only our own packages are installed fresh, into a throw-away folder.
#  1. "all": every library package in the feed (a new package is picked up by convention), BM25 through the builder
#     and the ONNX cross-encoder on the tiny test model, run;
#  2. "cohere": Rerank.Cohere alone, a Cohere call answered by an in-process handler, run; its closure holds no ONNX
#     Runtime package and its output no onnxruntime native library;
#  3. "abstractions": Rerank.Abstractions alone restores to exactly one package;
#  4. every .NET tool package in the feed installs with `dotnet tool install` and answers `--help`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

feed=$(realpath -m "${1:-${RERANK_PACKAGES_DIR:-artifacts/packages}}")
if ! ls "$feed"/*.nupkg >/dev/null 2>&1; then
  tools/ci/pack.sh "$feed"
fi

fail() { echo "consume-packages: FAIL: $*" >&2; exit 1; }
nuspec() { unzip -p "$1" '*.nuspec'; }

version=$(ls "$feed"/Rerank.Abstractions.*.nupkg | sed -E 's#.*/Rerank\.Abstractions\.(.*)\.nupkg#\1#')
libraries=() tools=()
for nupkg in "$feed"/*.nupkg; do
  id=$(nuspec "$nupkg" | sed -n 's#.*<id>\(.*\)</id>.*#\1#p')
  if nuspec "$nupkg" | grep -q 'packageType name="DotnetTool"'; then tools+=("$id"); else libraries+=("$id"); fi
done
echo "consume-packages: version $version; libraries: ${libraries[*]}; tools: ${tools[*]:-none}"

# Outside the repository, so that its Directory.Build.props and central package versions do not apply.
work=$(mktemp -d "${TMPDIR:-/tmp}/rerank-consume.XXXXXX")
trap 'rm -rf "$work"' EXIT
user_packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
# Our packages come from the feed only (source mapping), into a fresh folder, so a re-packed version is never stale.
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <fallbackPackageFolders><add key="machine" value="$user_packages" /></fallbackPackageFolders>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="Rerank" /><package pattern="Rerank.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
printf '<Project />\n' > "$work/Directory.Build.props"
printf '<Project />\n' > "$work/Directory.Build.targets"
printf '<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>\n' > "$work/Directory.Packages.props"

new_app() {
  local name=$1; shift
  dotnet new console -o "$work/$name" -n "$name" --framework net10.0 >/dev/null
  for id in "$@"; do
    dotnet add "$work/$name/$name.csproj" package "$id" --version "$version" --no-restore >/dev/null
  done
  dotnet restore "$work/$name" --configfile "$work/nuget.config" -nologo -v q
}

# 1. Every library package.
new_app all "${libraries[@]}"
cat > "$work/all/Program.cs" <<'CS'
using Rerank;
using Rerank.Onnx;

string[] documents = ["Composting turns food scraps into soil.", "Plastic bottles are recycled into fibre.", "Nuclear waste is stored underground."];

using IReranker bm25 = new RerankerBuilder(new Bm25Reranker()).UseTimeout(TimeSpan.FromSeconds(5)).Build();
RerankResponse lexical = await bm25.RerankAsync("organic food scraps", documents, new RerankOptions { TopN = 2 });
if (lexical.Results.Count != 2 || lexical.Results[0].Index != 0) throw new InvalidOperationException("BM25 ranked wrongly");
Console.WriteLine($"bm25: #{lexical.Results[0].Index} {lexical.Results[0].Score:F3}");

using var crossEncoder = new OnnxCrossEncoderReranker(args[0]);
RerankResponse scored = await crossEncoder.RerankAsync("organic food scraps", documents);
if (scored.Results.Count != 3) throw new InvalidOperationException("the cross-encoder lost documents");
Console.WriteLine($"onnx: {scored.ModelId} scored {scored.Results.Count} documents");
CS
dotnet build "$work/all" --no-restore -c Release -nologo -v q "-clp:ErrorsOnly;NoSummary"
dotnet run --project "$work/all" --no-build -c Release -- "$root/tests/Rerank.Onnx.Tests/Fixtures/tiny-bert-cross-encoder" \
  || fail "the app with every package did not run"

# 2. Rerank.Cohere alone.
new_app cohere Rerank.Cohere
cat > "$work/cohere/Program.cs" <<'CS'
using System.Net;
using System.Text;
using Rerank;

using var http = new HttpClient(new CannedCohere()) { BaseAddress = new Uri("http://127.0.0.1:9/") };
using var reranker = new CohereReranker(http, new CohereRerankerOptions { ApiKey = "test-key", Endpoint = new Uri("http://127.0.0.1:9/") });
RerankResponse response = await reranker.RerankAsync("organic waste", ["Plastic bottles.", "Composting food scraps."]);
if (response.Results[0].Index != 1) throw new InvalidOperationException("the Cohere answer was not mapped back");
Console.WriteLine($"cohere: #{response.Results[0].Index} {response.Results[0].Score:F2}");

sealed class CannedCohere : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"id":"1","results":[{"index":1,"relevance_score":0.9},{"index":0,"relevance_score":0.1}],"meta":{"billed_units":{"search_units":1}}}""", Encoding.UTF8, "application/json"),
        });
}
CS
dotnet build "$work/cohere" --no-restore -c Release -nologo -v q "-clp:ErrorsOnly;NoSummary"
dotnet run --project "$work/cohere" --no-build -c Release || fail "the Cohere-only app did not run"
if grep -qi '"microsoft\.ml\.onnxruntime' "$work/cohere/obj/project.assets.json"; then
  fail "a Cohere-only app restores ONNX Runtime: $(grep -io '"microsoft\.ml\.onnxruntime[^"]*' "$work/cohere/obj/project.assets.json" | sort -u | tr '\n' ' ')"
fi
if find "$work/cohere/bin" -iname '*onnxruntime*' | grep -q .; then
  fail "a Cohere-only app's output holds ONNX Runtime files"
fi
echo "consume-packages: Cohere-only closure: $(grep -c '"sha512"' "$work/cohere/obj/project.assets.json") packages, no ONNX Runtime"

# 3. Rerank.Abstractions alone: the contract has no dependencies.
new_app abstractions Rerank.Abstractions
count=$(grep -c '"sha512"' "$work/abstractions/obj/project.assets.json")
[ "$count" -eq 1 ] || fail "Rerank.Abstractions restores $count packages, not 1"
echo "consume-packages: Rerank.Abstractions closure: 1 package"

# 4. .NET tools.
for id in "${tools[@]}"; do
  dotnet tool install "$id" --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config" >/dev/null \
    || fail "dotnet tool install $id failed"
  nupkg=$(ls "$feed/$id.$version.nupkg")
  command=$(unzip -p "$nupkg" '*/DotnetToolSettings.xml' | sed -n 's#.*Command Name="\([^"]*\)".*#\1#p' | head -n 1)
  "$work/tools/$command" --help >/dev/null || fail "$command --help (from $id) failed"
  echo "consume-packages: tool $id installs and runs as '$command'"
done

echo "consume-packages: OK (${#libraries[@]} libraries, ${#tools[@]} tools at $version)"
