using Rerank.Onnx.Tests.Fakes;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>The toy graphs made by tools/make_toy_cross_encoders.py, loaded with the fake word tokenizer.</summary>
internal static class ToyModels
{
    public static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "toy");

    /// <summary>One label, token_type_ids, int64 inputs, model_max_length 48, onnx/model.onnx.</summary>
    public static string Bert => Path.Combine(Root, "bert-one-label");

    /// <summary>Two labels (not_relevant, relevant), no token_type_ids, 66 positions with padding_idx 1, model.onnx at the root.</summary>
    public static string XlmrTwoLabels => Path.Combine(Root, "xlmr-two-labels");

    /// <summary>One label, int32 inputs, activation_fn Identity in config.json.</summary>
    public static string Int32Identity => Path.Combine(Root, "int32-identity");

    public static OnnxCrossEncoderReranker Create(string directory, Action<OnnxCrossEncoderOptions>? configure = null, FakeWordTokenizer? tokenizer = null)
    {
        var options = new OnnxCrossEncoderOptions(directory) { IntraOpNumThreads = 1 };
        configure?.Invoke(options);
        tokenizer ??= new FakeWordTokenizer(xlmrLayout: directory.Contains("xlmr", StringComparison.Ordinal));
        return new OnnxCrossEncoderReranker(options, _ => tokenizer);
    }

    public static OnnxCrossEncoderReranker Create(OnnxCrossEncoderOptions options, FakeWordTokenizer? tokenizer = null) =>
        new(options, _ => tokenizer ?? new FakeWordTokenizer());

    /// <summary>Scores documents and returns the scores in input order.</summary>
    public static async Task<double[]> ScoresAsync(IReranker reranker, string query, IReadOnlyList<string> documents, RerankOptions? options = null)
    {
        RerankResponse response = await reranker.RerankAsync(query, documents.Select(d => new RerankDocument(d)), options);
        var scores = new double[documents.Count];
        foreach (RerankResult result in response.Results)
        {
            scores[result.Index] = result.Score;
        }

        return scores;
    }

    /// <summary>Documents of many different lengths, so that batches pad differently.</summary>
    public static string[] MixedLengthDocuments(int count, int seed = 7)
    {
        var random = new Random(seed);
        string[] words = ["energy", "sun", "plant", "leaf", "market", "bread", "bee", "honey", "panel", "light", "sugar", "water", "cell", "root", "green"];
        return Enumerable.Range(0, count)
            .Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(0, 40)).Select(_ => words[random.Next(words.Length)])))
            .ToArray();
    }
}
