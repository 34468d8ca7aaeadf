using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Goldens;

/// <summary>
/// Hands the runtime the golden ids of each pair, so that the session, batching, padding and activation are checked
/// against the reference on the real architectures without depending on the tokenizer. The "document" of a call is
/// the golden pair's name.
/// </summary>
internal sealed class ReplayTokenizer(IReadOnlyList<GoldenPair> pairs, bool xlmr) : IPairTokenizer
{
    private readonly Dictionary<string, GoldenPair> _byName = pairs.ToDictionary(p => p.Name);

    public string Kind => "golden-replay";

    public int PadTokenId => xlmr ? 1 : 0;

    public int SpecialTokensInPair => xlmr ? 4 : 3;

    public int[] Encode(string text) => throw new NotSupportedException("Replayed pairs have no text.");

    // The reranker tokenises the query once per call; replayed pairs carry their own ids, so none are needed.
    public EncodedQuery EncodeQuery(string query) => new(query, []);

    public PairEncoding EncodePair(string query, string document, int maxLength)
    {
        GoldenPair pair = _byName[document];
        Assert.That(maxLength, Is.EqualTo(pair.MaxLength), $"{pair.Name} is replayed under another max_length");
        return new PairEncoding(pair.InputIds, pair.TokenTypeIds, pair.QueryTokensDropped, pair.DocumentTokensDropped);
    }
}
