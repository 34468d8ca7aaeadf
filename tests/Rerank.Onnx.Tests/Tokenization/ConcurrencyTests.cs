using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Tokenization;

public class ConcurrencyTests
{
    [TestCaseSource(typeof(GoldenTokenizationTests), nameof(GoldenTokenizationTests.Sources))]
    public void ParallelEncodingGivesTheSameIdsAsSequential(string model, string? file)
    {
        IPairTokenizer tokenizer = GoldenTokenizationTests.Create(model, file);
        IReadOnlyList<GoldenPair> pairs = Golden.Load(model);
        int[][] sequential = [.. pairs.Select(p => tokenizer.EncodePair(p.Query, p.Document, p.MaxLength).InputIds)];

        // Eight rounds over every pair, interleaved across threads, against one shared tokenizer.
        var parallel = new int[pairs.Count * 8][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            GoldenPair pair = pairs[(i * 7919) % pairs.Count];
            parallel[i] = tokenizer.EncodePair(pair.Query, pair.Document, pair.MaxLength).InputIds;
        });

        for (int i = 0; i < parallel.Length; i++)
        {
            Assert.That(parallel[i], Is.EqualTo(sequential[(i * 7919) % pairs.Count]), pairs[(i * 7919) % pairs.Count].Name);
        }
    }
}
