using BenchmarkDotNet.Attributes;
using Rerank.Evaluation;

namespace Rerank.Benchmarks.Evaluation;

/// <summary>
/// trec_eval-style metrics over a large run (10,000 queries × 1,000 documents, 100 judgements per query), and the
/// statistics of an experiment of that many queries.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private Qrels _qrels = null!;
    private TrecRun _run = null!;
    private double[] _a = null!;
    private double[] _b = null!;

    /// <summary>Gets or sets the number of queries.</summary>
    [Params(10_000)]
    public int Queries { get; set; }

    /// <summary>Gets or sets the number of retrieved documents per query.</summary>
    [Params(1_000)]
    public int Documents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        string[] ids = [.. Enumerable.Range(0, 200_000).Select(i => "D" + i)];
        var judgements = new List<KeyValuePair<string, IReadOnlyDictionary<string, int>>>(Queries);
        var runs = new List<KeyValuePair<string, IReadOnlyList<RunEntry>>>(Queries);
        for (int q = 0; q < Queries; q++)
        {
            var picked = new HashSet<string>(StringComparer.Ordinal);
            while (picked.Count < Documents + 20)
            {
                picked.Add(ids[random.Next(ids.Length)]);
            }

            string[] documents = [.. picked];

            // Three decimals: many ties, broken by document id as trec_eval does.
            RunEntry[] entries = [.. documents.Take(Documents).Select(id => new RunEntry(id, Math.Round(random.NextDouble(), 3)))];
            var grades = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string id in documents.Take(80).Concat(documents.Skip(Documents)))
            {
                grades[id] = random.Next(4);
            }

            string query = q.ToString(System.Globalization.CultureInfo.InvariantCulture);
            judgements.Add(KeyValuePair.Create(query, (IReadOnlyDictionary<string, int>)grades));
            runs.Add(KeyValuePair.Create(query, (IReadOnlyList<RunEntry>)entries));
        }

        _qrels = new Qrels(judgements);
        _run = new TrecRun("bench", runs);
        _a = [.. Enumerable.Range(0, Queries).Select(_ => random.NextDouble())];
        _b = [.. _a.Select(x => Math.Clamp(x + ((random.NextDouble() - 0.45) * 0.2), 0, 1))];
    }

    /// <summary>The six default metrics (ndcg@10, mrr@10, map, recall@100, p@5, hit@1), per query and averaged.</summary>
    [Benchmark]
    public EvaluationResult EvaluateDefaultMetrics() => RunEvaluator.Evaluate(_qrels, _run, Metric.Defaults);

    /// <summary>nDCG@10 alone: the cost floor of ranking and judging every document.</summary>
    [Benchmark]
    public EvaluationResult EvaluateNdcg10() => RunEvaluator.Evaluate(_qrels, _run, [new Metric(MetricKind.Ndcg, 10)]);

    /// <summary>One paired randomisation test over the per-query values, 10,000 samples.</summary>
    [Benchmark]
    public double RandomizationTest() => SignificanceTests.RandomizationTest(_a, _b, 10_000, 42);

    /// <summary>One bootstrap confidence interval of a mean over the queries, 10,000 resamples.</summary>
    [Benchmark]
    public ConfidenceInterval BootstrapMean() => SignificanceTests.BootstrapMean(_b, 0.95, 10_000, 42);
}
