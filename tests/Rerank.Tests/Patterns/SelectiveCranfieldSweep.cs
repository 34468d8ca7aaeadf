using System.Globalization;
using System.Text.Json;

namespace Rerank.Tests.Patterns;

/// <summary>
/// The quality/cost curve of selective reranking on the real Cranfield collection: nDCG@10 against the share of calls
/// that reach the model, for a sweep of top-1 margins. First stage: BM25 over the whole corpus (k1 0.9, b 0.4, top 100);
/// model: BM25 with whole-corpus statistics at k1 1.2, b 0.75 (the one offline reranker that beats this first stage,
/// docs/evaluation.md). Explicit: it reads ../shared/data/cranfield; docs/patterns.md records its output.
/// </summary>
[TestFixture]
[Explicit("Reads the Cranfield collection (../shared/data/cranfield or RERANK_CRANFIELD) and prints the curve for docs/patterns.md.")]
[Category("Cranfield")]
public sealed class SelectiveCranfieldSweep
{
    [Test]
    public async Task Quality_against_share_of_model_calls_for_a_margin_sweep()
    {
        string folder = FindCranfield();
        Dictionary<string, string> corpus = ReadJsonLines(Path.Combine(folder, "corpus.jsonl"), e =>
        {
            string title = e.TryGetProperty("title", out JsonElement t) ? t.GetString() ?? "" : "";
            string text = e.GetProperty("text").GetString() ?? "";
            return title.Length == 0 ? text : text.Length == 0 ? title : title + " " + text;
        });
        Dictionary<string, string> queries = ReadJsonLines(Path.Combine(folder, "queries.jsonl"), e => e.GetProperty("text").GetString()!);
        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(Path.Combine(folder, "qrels", "test.tsv")).Skip(1))
        {
            string[] f = line.Split('\t');
            (qrels.TryGetValue(f[0], out var judged) ? judged : qrels[f[0]] = new(StringComparer.Ordinal))[f[1]] = int.Parse(f[2], CultureInfo.InvariantCulture);
        }

        Bm25CorpusStatistics statistics = Bm25CorpusStatistics.Create(corpus.Values);
        RerankDocument[] all = [.. corpus.Select(p => new RerankDocument(p.Value) { Id = p.Key })];
        using var firstStage = new Bm25Reranker(new Bm25Options { K1 = 0.9, B = 0.4, CorpusStatistics = statistics });
        var candidates = new Dictionary<string, RerankDocument[]>(StringComparer.Ordinal);
        foreach (string id in qrels.Keys)
        {
            RerankResponse found = await firstStage.RerankAsync(queries[id], all, new RerankOptions { TopN = 100 });
            candidates[id] = [.. found.Results.Select(r => new RerankDocument(r.Document.Text) { Id = r.Document.Id, Score = r.Score })];
        }

        (string Name, SelectiveRerankingPolicy[]? Policies)[] sweep =
        [
            ("first stage only (margin 0)", [SelectiveRerankingPolicy.TopScoreMargin(0)]),
            .. new[] { 0.5, 1, 2, 3, 4, 6, 8 }.Select(m => ($"top1_margin({m})", (SelectiveRerankingPolicy[]?)[SelectiveRerankingPolicy.TopScoreMargin(m)])),
            ("top1_margin(2) + ambiguous_top5(std<1)", [SelectiveRerankingPolicy.RerankWhenAmbiguous(5, 1), SelectiveRerankingPolicy.TopScoreMargin(2)]),
            ("always rerank (no selective layer)", null),
        ];
        TestContext.Out.WriteLine("| policy | share of calls reranked | nDCG@10 |");
        TestContext.Out.WriteLine("|---|---:|---:|");
        foreach ((string name, SelectiveRerankingPolicy[]? policies) in sweep)
        {
            long modelCalls = 0;
            var builder = new RerankerBuilder(new Bm25Reranker(new Bm25Options { CorpusStatistics = statistics }));
            if (policies is not null)
            {
                builder.UseSelectiveReranking(policies);
            }

            builder.Use(async (q, d, o, next, ct) => { Interlocked.Increment(ref modelCalls); return await next.RerankAsync(q, d, o, ct); });
            using IReranker reranker = builder.Build();
            double total = 0;
            foreach ((string id, RerankDocument[] docs) in candidates)
            {
                RerankResponse response = await reranker.RerankAsync(queries[id], docs, new RerankOptions { TopN = 10 });
                total += NdcgAt10(response.Results.Select(r => r.Document.Id!).ToArray(), qrels[id]);
            }

            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {(double)modelCalls / candidates.Count:P1} | {total / candidates.Count:F4} |"));
        }

        Assert.That(candidates, Has.Count.EqualTo(225), "Cranfield's test split has 225 judged queries");
    }

    // trec_eval ndcg_cut.10: gain = grade (≤ 0 gains nothing), discount log2(rank + 1), ideal from every judged grade.
    private static double NdcgAt10(string[] ranked, Dictionary<string, int> judged)
    {
        double dcg = 0;
        for (int i = 0; i < Math.Min(10, ranked.Length); i++)
        {
            if (judged.TryGetValue(ranked[i], out int grade) && grade > 0)
            {
                dcg += grade / Math.Log2(i + 2);
            }
        }

        int[] ideal = [.. judged.Values.Where(g => g > 0).OrderDescending().Take(10)];
        double idcg = ideal.Select((g, i) => g / Math.Log2(i + 2)).Sum();
        return idcg == 0 ? 0 : dcg / idcg;
    }

    private static Dictionary<string, string> ReadJsonLines(string path, Func<JsonElement, string> read)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            using JsonDocument json = JsonDocument.Parse(line);
            map[json.RootElement.GetProperty("_id").GetString()!] = read(json.RootElement);
        }

        return map;
    }

    private static string FindCranfield()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("RERANK_CRANFIELD");
        if (fromEnvironment is not null && Directory.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(folder.FullName, "shared", "data", "cranfield"), Path.Combine(folder.FullName, "..", "shared", "data", "cranfield") })
            {
                if (File.Exists(Path.Combine(candidate, "corpus.jsonl")))
                {
                    return candidate;
                }
            }
        }

        Assert.Ignore("The Cranfield collection was not found (../shared/data/cranfield above the checkout, or RERANK_CRANFIELD).");
        return "";
    }
}
