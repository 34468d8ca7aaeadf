using System.Text.Json;
using Rerank.Evaluation;

namespace Rerank.Cli;

/// <summary><c>rerank metrics</c>: trec_eval-compatible metrics of a run, as JSON on stdout (the scripting entry point, like <c>trec_eval -q</c>).</summary>
internal static class MetricsCommand
{
    public const string Usage = """
        rerank metrics --qrels FILE --run FILE [--metrics ndcg@10,mrr@10,map,recall@100,p@5,hit@1] [--all-queries] [--relevance-level N]

          --qrels FILE          judgements: TREC qrels (qid iter docid grade) or BEIR TSV (query-id corpus-id score, with header)
          --run FILE            a TREC run (qid Q0 docid rank score tag); ranked by score, ties by docid descending, as trec_eval
          --metrics LIST        comma-separated; trec_eval names (ndcg_cut_10, recip_rank, P_5, ...) are accepted too
          --all-queries         average over every judged query, a query missing from the run counting 0 (trec_eval -c)
          --relevance-level N   lowest relevant grade (trec_eval -l); 1 by default

        Prints {"mean": {metric: value}, "per_query": {qid: {metric: value}}, "num_q": n}; warnings go to stderr.
        """;

    private static readonly HashSet<string> Values = ["--qrels", "--run", "--metrics", "--relevance-level"];
    private static readonly HashSet<string> Flags = ["--all-queries", "--help"];

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arguments = new CliArguments(args, Values, Flags);
        if (arguments.Has("--help"))
        {
            output.WriteLine(Usage);
            return 0;
        }

        string qrelsPath = arguments.Required("--qrels"), runPath = arguments.Required("--run");
        IReadOnlyList<Metric> metrics = ParseMetrics(arguments.Optional("--metrics"));
        var options = new EvaluationOptions
        {
            RelevanceLevel = arguments.Int("--relevance-level", 1, 0),
            AllJudgedQueries = arguments.Has("--all-queries"),
        };

        Qrels qrels = QrelsFile.Read(qrelsPath, cancellationToken);
        TrecRun run = TrecFormat.ReadRun(runPath, cancellationToken);
        EvaluationResult result;
        try
        {
            result = RunEvaluator.Evaluate(qrels, run, metrics, options);
        }
        catch (EvaluationDataException ex) when (ex.FilePath is null)
        {
            throw new EvaluationDataException(runPath, 0, $"{ex.Problem} (judgements: {qrelsPath})", ex);
        }

        foreach (string warning in result.Warnings)
        {
            error.WriteLine($"warning: {runPath}: {warning}");
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("mean");
            foreach (Metric metric in metrics)
            {
                json.WriteNumber(metric.Name, result.Mean[metric.Name]);
            }

            json.WriteEndObject();
            json.WriteStartObject("per_query");
            foreach (string query in result.PerQuery.Keys.Order(QueryIdComparer.Instance))
            {
                json.WriteStartObject(query);
                foreach (Metric metric in metrics)
                {
                    json.WriteNumber(metric.Name, result.PerQuery[query][metric.Name]);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteNumber("num_q", result.QueryCount);
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        return 0;
    }

    internal static IReadOnlyList<Metric> ParseMetrics(string? text)
    {
        try
        {
            return text is null ? Metric.Defaults : Metric.ParseList(text);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"--metrics: {ex.Message}");
        }
    }
}
