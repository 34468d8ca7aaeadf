using System.Reflection;
using System.Text.Json;

namespace Rerank.VectorData.Tests.RealModels;

/// <summary>The Cranfield collection in the BEIR layout (../shared/data/cranfield): documents, queries and graded judgements.</summary>
internal sealed class Cranfield
{
    private Cranfield(IReadOnlyList<(string Id, string Text)> documents, IReadOnlyList<(string Id, string Text)> queries, IReadOnlyDictionary<string, Dictionary<string, int>> qrels)
    {
        Documents = documents;
        Queries = queries;
        Qrels = qrels;
    }

    /// <summary>Gets the documents: id and <c>title + " " + text</c> (the BEIR convention).</summary>
    public IReadOnlyList<(string Id, string Text)> Documents { get; }

    public IReadOnlyList<(string Id, string Text)> Queries { get; }

    /// <summary>Gets the grades by query id, then document id (0 = judged not relevant).</summary>
    public IReadOnlyDictionary<string, Dictionary<string, int>> Qrels { get; }

    public static Cranfield Load()
    {
        // ../shared/data/cranfield beside the repository, as CI lays it out; CRANFIELD_DIR for other layouts (a git worktree).
        string folder = Environment.GetEnvironmentVariable("CRANFIELD_DIR") is { Length: > 0 } configured
            ? configured
            : typeof(Cranfield).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CranfieldPath").Value!;
        if (!Directory.Exists(folder))
        {
            Assert.Inconclusive($"The Cranfield collection is not at '{folder}'; set CRANFIELD_DIR to its folder.");
        }

        List<(string, string)> documents = [.. File.ReadLines(Path.Combine(folder, "corpus.jsonl")).Select(line =>
        {
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            return (root.GetProperty("_id").GetString()!, (root.GetProperty("title").GetString() + " " + root.GetProperty("text").GetString()).Trim());
        })];
        List<(string, string)> queries = [.. File.ReadLines(Path.Combine(folder, "queries.jsonl")).Select(line =>
        {
            using JsonDocument json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("_id").GetString()!, json.RootElement.GetProperty("text").GetString()!);
        })];
        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(Path.Combine(folder, "qrels", "test.tsv")).Skip(1))
        {
            string[] fields = line.Split('\t');
            if (!qrels.TryGetValue(fields[0], out Dictionary<string, int>? grades))
            {
                qrels[fields[0]] = grades = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            grades[fields[1]] = int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
        }

        return new Cranfield(documents, queries, qrels);
    }

    /// <summary>
    /// nDCG@10 of one ranking, as trec_eval's <c>ndcg_cut.10</c> computes it: gain = the grade (linear), discount
    /// log2(rank + 1), the ideal ranking from every judged document of the query; 0 for a query without relevant documents.
    /// </summary>
    public double NdcgAt10(string queryId, IReadOnlyList<string> ranking)
    {
        if (!Qrels.TryGetValue(queryId, out Dictionary<string, int>? grades))
        {
            return 0;
        }

        double dcg = 0;
        for (int i = 0; i < Math.Min(10, ranking.Count); i++)
        {
            dcg += grades.GetValueOrDefault(ranking[i]) / Math.Log2(i + 2);
        }

        double ideal = grades.Values.OrderByDescending(g => g).Take(10).Select((g, i) => g / Math.Log2(i + 2)).Sum();
        return ideal == 0 ? 0 : dcg / ideal;
    }
}
