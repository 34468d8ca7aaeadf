using System.Text;

namespace Rerank.Evaluation.Tests;

/// <summary>Temporary files and folders for a test, deleted with it, and where the shared test data lives.</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "rerank-eval-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string content, Encoding? encoding = null)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, encoding ?? new UTF8Encoding(false));
        return path;
    }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>Finds a random-weight fixture model of Rerank.Onnx.Tests in the repository, such as <c>tiny-bert-embedding</c>.</summary>
    public static string OnnxFixture(string name)
    {
        for (DirectoryInfo? folder = new(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "tests", "Rerank.Onnx.Tests", "Fixtures", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"The ONNX fixture model '{name}' is part of the repository (tests/Rerank.Onnx.Tests/Fixtures), but was not found above {TestContext.CurrentContext.TestDirectory}.");
    }

    /// <summary>Writes a tiny BEIR dataset: 3 queries, 6 documents, graded judgements.</summary>
    public string WriteTinyDataset(string name = "tiny")
    {
        Write($"{name}/corpus.jsonl", """
            {"_id": "d1", "title": "Solar power", "text": "Solar panels turn sunlight into electricity."}
            {"_id": "d2", "title": "Wind power", "text": "Wind turbines turn wind into electricity."}
            {"_id": "d3", "title": "Bread", "text": "Bread is baked from flour, water and yeast."}
            {"_id": "d4", "title": "Sourdough", "text": "Sourdough bread uses a wild yeast starter."}
            {"_id": "d5", "title": "Electric cars", "text": "Electric cars store electricity in batteries."}
            {"_id": "d6", "title": "", "text": "Unrelated text about mountains and rivers."}
            """);
        Write($"{name}/queries.jsonl", """
            {"_id": "q1", "text": "solar electricity"}
            {"_id": "q2", "text": "how is bread baked with yeast"}
            {"_id": "q3", "text": "electricity storage batteries"}
            """);
        Write($"{name}/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td2\t1\nq2\td3\t2\nq2\td4\t1\nq3\td5\t2\nq3\td1\t0\n");
        return PathOf(name);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does no harm.
        }
    }

    /// <summary>
    /// The Cranfield collection in ../shared/data/cranfield, found by walking up from the test's folder (so it works in
    /// the main checkout and in worktrees), or RERANK_CRANFIELD. Skipped loudly when absent; fails under CI=true.
    /// </summary>
    public static string RequireCranfield()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("RERANK_CRANFIELD");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "corpus.jsonl")))
        {
            return fromEnvironment;
        }

        for (DirectoryInfo? folder = new(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(folder.FullName, "shared", "data", "cranfield"), Path.Combine(folder.FullName, "..", "shared", "data", "cranfield") })
            {
                if (File.Exists(Path.Combine(candidate, "corpus.jsonl")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        const string Reason = "The Cranfield collection was not found (../shared/data/cranfield above the checkout, or RERANK_CRANFIELD).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Reason + " CI=true, so this fails rather than skips.");
        }

        Assert.Ignore(Reason);
        return string.Empty;
    }
}
