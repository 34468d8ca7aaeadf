using BenchmarkDotNet.Attributes;
using Rerank.Onnx;

namespace Rerank.Benchmarks.LateInteraction;

/// <summary>
/// MaxSim of one query against one document (<c>--filter *MaxSim*</c>): a 32-token query against documents of 32 and
/// 180 tokens, 128 dimensions (PyLate's defaults), vectorised with TensorPrimitives.Dot.
/// </summary>
[MemoryDiagnoser]
public class MaxSimBenchmarks
{
    private LateInteractionEmbeddings _query = null!;
    private LateInteractionEmbeddings _document = null!;

    /// <summary>Gets or sets the document's token vectors.</summary>
    [Params(32, 180)]
    public int DocumentTokens { get; set; }

    /// <summary>Makes random unit vectors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(14);
        _query = Make(32, random);
        _document = Make(DocumentTokens, random);
    }

    /// <summary>Scores one document.</summary>
    /// <returns>The score.</returns>
    [Benchmark]
    public double MaxSimPerDocument() => OnnxLateInteractionReranker.Score(_query, _document);

    private static LateInteractionEmbeddings Make(int tokens, Random random)
    {
        var values = new float[tokens * 128];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) / MathF.Sqrt(128 / 3f);
        }

        return new LateInteractionEmbeddings(values, tokens, 128);
    }
}
