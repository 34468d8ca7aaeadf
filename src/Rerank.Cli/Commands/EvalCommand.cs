using System.Globalization;
using Rerank.Evaluation;

namespace Rerank.Cli;

/// <summary><c>rerank eval</c>: reranks a fixed first stage with each reranker and reports metrics, gains, significance, latency and usage.</summary>
internal static class EvalCommand
{
    private static readonly HashSet<string> Values =
    [
        "--dataset", "--split", "--first-stage", "--top-k", "--reranker", "--metrics", "--report", "--runs-dir",
        "--seed", "--bootstrap-samples", "--permutation-samples", "--relevance-level",
    ];

    private static readonly HashSet<string> Flags = ["--help", "--no-progress"];

    public static string Usage(RerankerSpecRegistry registry) => $"""
        rerank eval --dataset DIR [--split test] [--first-stage bm25|run:FILE] [--top-k 100] --reranker SPEC ... [--metrics LIST]
                    [--report out.html|out.md|out.json ...] [--runs-dir DIR] [--seed 42] [--bootstrap-samples 10000]
                    [--permutation-samples 10000] [--relevance-level 1] [--no-progress]

          --dataset DIR         a BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv
          --first-stage         bm25 (whole-corpus BM25, k1=0.9 b=0.4 as Pyserini's BEIR runs; bm25:k1=…,b=… to change) or run:FILE (a TREC run)
          --top-k N             candidates per query that every reranker reranks; 100 by default
          --reranker SPEC       repeat for each system to compare:
            {string.Join("\n    ", registry.Usages)}
          --report FILE         write the report; the extension picks HTML (self-contained, with charts), Markdown or JSON; repeatable
          --runs-dir DIR        write every system's ranking as a TREC run file there

        The console table goes to stdout, progress to stderr. Ctrl+C stops after the current query and still writes the
        report of the queries completed (exit code 130).
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        (TextWriter output, TextWriter error, RerankerSpecRegistry registry) = (console.Output, console.Error, console.Registry);
        var arguments = new CliArguments(args, Values, Flags);
        if (arguments.Has("--help"))
        {
            output.WriteLine(Usage(registry));
            return 0;
        }

        var dataset = new BeirDataset(arguments.Required("--dataset"));
        string split = arguments.Optional("--split") ?? "test";
        int topK = arguments.Int("--top-k", 100, 1);
        var options = new ExperimentOptions
        {
            TopK = topK,
            Metrics = MetricsCommand.ParseMetrics(arguments.Optional("--metrics")),
            Seed = arguments.Int("--seed", 42, int.MinValue),
            BootstrapSamples = arguments.Int("--bootstrap-samples", 10_000, 1),
            PermutationSamples = arguments.Int("--permutation-samples", 10_000, 1),
            RelevanceLevel = arguments.Int("--relevance-level", 1, 0),
        };
        IReadOnlyList<string> reports = arguments.All("--report");
        foreach (string report in reports)
        {
            _ = ReportKind(report);
        }

        (string? runPath, Bm25Options? firstStageBm25) = ParseFirstStage(arguments.Optional("--first-stage") ?? "bm25");
        error.WriteLine(runPath is null ? $"Indexing {dataset.CorpusPath} for the BM25 first stage…" : $"Reading the first stage from {runPath}…");
        ExperimentData data = ExperimentData.FromBeir(dataset, split, topK, runPath, firstStageBm25, cancellationToken);
        foreach (string warning in data.Warnings)
        {
            error.WriteLine($"warning: {warning}");
        }

        var context = new RerankerSpecContext(data, error, console.GetEnvironmentVariable);
        var systems = new List<ExperimentSystem>();
        try
        {
            foreach (string spec in arguments.All("--reranker"))
            {
                IReranker reranker = await registry.CreateAsync(spec, context, cancellationToken).ConfigureAwait(false);
                systems.Add(new ExperimentSystem(spec, reranker));
            }

            if (systems.Select(system => system.Name).Distinct(StringComparer.Ordinal).Count() != systems.Count)
            {
                throw new CliUsageException("The same --reranker spec is given twice; each system needs its own spec.");
            }

            var progress = new ProgressBar(error, console.Interactive && !arguments.Has("--no-progress"));
            ExperimentReport result;
            try
            {
                result = await RerankExperiment.RunAsync(data, systems, options, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                progress.Finish();
            }

            ConsoleReport.Write(result, output);
            foreach (string report in reports)
            {
                switch (ReportKind(report))
                {
                    case "html":
                        HtmlReport.Write(result, report);
                        break;
                    case "md":
                        MarkdownReport.Write(result, report);
                        break;
                    default:
                        JsonReport.Write(result, report);
                        break;
                }

                error.WriteLine($"Wrote {report}");
            }

            if (arguments.Optional("--runs-dir") is string runsDirectory)
            {
                foreach ((string name, TrecRun run) in result.Runs)
                {
                    string path = Path.Combine(runsDirectory, FileName(name) + ".trec");
                    TrecFormat.WriteRun(run, path);
                    error.WriteLine($"Wrote {path}");
                }
            }

            if (!result.Completed)
            {
                error.WriteLine($"Cancelled: the report covers {result.QueryIds.Count} of {result.PlannedQueries} queries.");
                return 130;
            }

            return 0;
        }
        finally
        {
            foreach (ExperimentSystem system in systems)
            {
                system.Reranker.Dispose();
            }
        }
    }

    private static (string? RunPath, Bm25Options? Bm25) ParseFirstStage(string text)
    {
        if (text.StartsWith("run:", StringComparison.OrdinalIgnoreCase))
        {
            string path = text[4..];
            return path.Length > 0 ? (path, null) : throw new CliUsageException("--first-stage run:FILE needs a file.");
        }

        if (text.Equals("bm25", StringComparison.OrdinalIgnoreCase) || text.StartsWith("bm25:", StringComparison.OrdinalIgnoreCase))
        {
            var parameters = new SpecParameters(text, text.Length > 5 ? text[5..] : null);
            var options = new Bm25Options { K1 = parameters.Double("k1", 0.9, 0, 100), B = parameters.Double("b", 0.4, 0, 1) };
            parameters.EnsureAllRead();
            return (null, options);
        }

        throw new CliUsageException($"--first-stage '{text}': use bm25, bm25:k1=0.9,b=0.4 or run:FILE.");
    }

    private static string ReportKind(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" or ".htm" => "html",
        ".md" or ".markdown" => "md",
        ".json" => "json",
        _ => throw new CliUsageException($"--report {path}: the extension must be .html, .md or .json."),
    };

    private static string FileName(string name)
    {
        char[] invalid = Path.GetInvalidFileNameChars();
        return string.Create(name.Length, name, (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = invalid.Contains(source[i]) || source[i] is ':' or ' ' or ',' or '=' or '(' or ')' ? '_' : source[i];
            }
        });
    }

    /// <summary>A one-line progress bar on the terminal, redrawn in place; silent when the error stream is not a terminal.</summary>
    private sealed class ProgressBar(TextWriter writer, bool enabled) : IProgress<ExperimentProgress>
    {
        private bool _drawn;

        public void Report(ExperimentProgress value)
        {
            if (!enabled)
            {
                return;
            }

            const int Width = 30;
            int filled = value.TotalQueries == 0 ? Width : value.CompletedQueries * Width / value.TotalQueries;
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {value.CompletedQueries}/{value.TotalQueries} queries  {value.Elapsed:mm\\:ss}"));
            _drawn = true;
        }

        public void Finish()
        {
            if (_drawn)
            {
                writer.WriteLine();
            }
        }
    }
}
