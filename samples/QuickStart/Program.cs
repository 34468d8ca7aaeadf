// QuickStart: rerank five candidate passages for one query with a local cross-encoder (ONNX Runtime).
//
//   dotnet run --project samples/QuickStart                   finds cross-encoder/ms-marco-MiniLM-L-6-v2 in the
//                                                             Hugging Face cache, or downloads it there
//   dotnet run --project samples/QuickStart -- --model DIR    uses a model folder you already have
//                                                             (or set RERANK_MODEL_DIR=DIR)
//   dotnet run --project samples/QuickStart -- --offline      never contacts the Hub (as HF_HUB_OFFLINE=1 does)
//
// Without a model (offline, or the Hub unreachable) it says so, says how to point it at a model, and shows the same
// pipeline on a lexical fallback, so it always runs to the end.
using QuickStart;
using Rerank;
using Rerank.Onnx;
using Rerank.Onnx.Hub;

const string ModelRepo = "cross-encoder/ms-marco-MiniLM-L-6-v2";
const string Query = "How to process organic waste?";
string[] passages =
[
    "Plastic recycling starts with sorting bottles and packaging by resin type; the plastic is then shredded, washed, melted and extruded into pellets that manufacturers turn into new products.",
    "High-level nuclear waste from spent reactor fuel stays radioactive for thousands of years, so it is cooled in pools, sealed in steel and concrete casks and eventually placed in deep geological repositories.",
    "Composting is the simplest way to process organic waste at home: kitchen scraps and garden trimmings are layered with dry leaves or cardboard, kept moist and turned every few weeks until microorganisms break them down into humus for the garden.",
    "Industrial waste such as solvents, heavy-metal sludge and contaminated process water must be treated before disposal, usually by neutralisation, filtration and incineration in licensed facilities.",
    "Many cities collect food scraps separately and send them to anaerobic digesters, where bacteria break down the organic matter without oxygen, producing biogas for energy and a digestate that farmers spread on their fields.",
];

TextWriter output = Console.Out;
string? modelDirectory = null;
bool offline = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--model" when i + 1 < args.Length:
            modelDirectory = args[++i];
            break;
        case var arg when arg.StartsWith("--model=", StringComparison.Ordinal):
            modelDirectory = arg["--model=".Length..];
            break;
        case "--offline":
            offline = true;
            break;
        case "--help" or "-h":
            output.WriteLine("Usage: QuickStart [--model DIR] [--offline]   (environment: RERANK_MODEL_DIR, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE, HF_TOKEN, HF_ENDPOINT)");
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: QuickStart [--model DIR] [--offline]");
            return 2;
    }
}

modelDirectory ??= Environment.GetEnvironmentVariable("RERANK_MODEL_DIR") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

IReranker reranker;
if (modelDirectory is not null)
{
    // A folder the user named: if it is wrong, say so and stop, rather than hide the mistake behind the fallback.
    try
    {
        reranker = new OnnxCrossEncoderReranker(modelDirectory);
    }
    catch (Exception ex) when (ex is OnnxModelNotFoundException or OnnxModelLoadException)
    {
        Console.Error.WriteLine($"Could not load the model folder '{modelDirectory}': {ex.Message}");
        return 1;
    }
}
else
{
    var hubOptions = new HuggingFaceHubOptions
    {
        Offline = offline ? true : null,

        // Fail fast when the Hub cannot be reached (HF_HUB_ETAG_TIMEOUT still wins when set).
        MetadataTimeout = Environment.GetEnvironmentVariable("HF_HUB_ETAG_TIMEOUT") is null ? TimeSpan.FromSeconds(4) : null,
    };
    using var downloader = new HuggingFaceModelDownloader(hubOptions);
    output.WriteLine($"Looking for {ModelRepo} in the Hugging Face cache ({downloader.CacheDirectory}){(downloader.IsOffline ? ", offline" : $", else downloading it from {downloader.Endpoint}")}...");
    try
    {
        reranker = await OnnxCrossEncoderReranker.FromPretrainedAsync(
            downloader, ModelRepo, progress: new ConsoleProgressBar(output, interactive: !Console.IsOutputRedirected), cancellationToken: cancellation.Token);
    }
    catch (Exception ex) when (ex is HuggingFaceHubException or OnnxModelLoadException)
    {
        string why = ex switch
        {
            HuggingFaceHubOfflineException when offline => $"offline mode is on (--offline) and the model is not in the Hugging Face cache ({downloader.CacheDirectory}); run once without --offline to download it.",
            HuggingFaceHubOfflineException => $"offline mode is on and the model is not in the Hugging Face cache ({downloader.CacheDirectory}).",
            HuggingFaceHubUnavailableException => $"it is not in the Hugging Face cache ({downloader.CacheDirectory}) and {downloader.Endpoint.Host} could not be reached.",
            HuggingFaceHubAccessDeniedException => "the Hub refused access (see below).",
            OnnxModelLoadException => "the cached files could not be loaded (see below).",
            _ => "it could not be downloaded (see below).",
        };
        output.WriteLine();
        output.WriteLine($"No cross-encoder model available: {why}");
        // The library's message names HuggingFaceHubOptions.Offline, which this program set for --offline; the line above says it in the user's terms.
        output.WriteLine($"  Details: {(offline ? ex.Message.Replace("HuggingFaceHubOptions.Offline = true", "--offline", StringComparison.Ordinal) : ex.Message)}");
        output.WriteLine("To use a model folder you already have (config.json, tokenizer.json or vocab.txt, onnx/model.onnx):");
        output.WriteLine("  dotnet run --project samples/QuickStart -- --model /path/to/ms-marco-MiniLM-L-6-v2");
        output.WriteLine("  or set RERANK_MODEL_DIR=/path/to/ms-marco-MiniLM-L-6-v2");
        output.WriteLine($"  (on a machine with internet: huggingface-cli download {ModelRepo}, then copy ~/.cache/huggingface/hub here)");
        output.WriteLine();
        output.WriteLine("Showing the pipeline with a LEXICAL FALLBACK instead: BM25 word matching over the five passages, no neural");
        output.WriteLine("model. It finds shared words, not meaning, and its scores are not comparable to a cross-encoder's.");
        reranker = new Bm25Reranker();
    }
}

using (reranker)
{
    RerankResponse response = await reranker.RerankAsync(Query, passages, new RerankOptions { TopN = passages.Length }, cancellation.Token);
    string where = reranker.GetService<OnnxCrossEncoderReranker>() is { } onnx ? $" (ONNX Runtime, {onnx.ModelPath})" : string.Empty;
    output.WriteLine();
    output.WriteLine($"Query: {Query}");
    output.WriteLine($"Reranker: {response.ModelId}{where}");
    if (reranker.GetService<OnnxCrossEncoderReranker>() is { } model && IsRandomWeightFixture(model.ModelPath))
    {
        output.WriteLine();
        output.WriteLine("NOTE: this model is a TEST FIXTURE with RANDOM WEIGHTS (its README.md says so). It proves the pipeline runs;");
        output.WriteLine("its scores and this order mean nothing. Point --model at a trained cross-encoder such as ms-marco-MiniLM-L-6-v2.");
    }

    output.WriteLine();
    foreach (RerankResult result in response.Results)
    {
        string text = result.Document.Text;
        output.WriteLine($"  {result.Score,8:0.0000}  [{result.Index}] {(text.Length > 100 ? text[..97] + "..." : text)}");
    }
}

return 0;

// The fixtures made by tools/make_fixtures.py say "RANDOM weights" in the README.md beside config.json.
static bool IsRandomWeightFixture(string modelPath)
{
    for (string? folder = Path.GetDirectoryName(Path.GetFullPath(modelPath)); folder is not null; folder = Path.GetDirectoryName(folder))
    {
        string readme = Path.Combine(folder, "README.md");
        if (File.Exists(readme))
        {
            return File.ReadAllText(readme).Contains("RANDOM weights", StringComparison.OrdinalIgnoreCase);
        }

        if (File.Exists(Path.Combine(folder, "config.json")))
        {
            return false;
        }
    }

    return false;
}
