using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Fakes;

/// <summary>
/// A word-level stand-in for the real tokenizers, for the runtime tests on the toy graphs: one id per
/// white-space-separated word (a stable hash into the toy vocabulary), special tokens laid out as BERT or XLM-R do,
/// and longest_first truncation by the rule of tokenizers/src/utils/truncation.rs.
/// </summary>
internal sealed class FakeWordTokenizer : IPairTokenizer
{
    private const int Vocabulary = 1000;
    private readonly bool _xlmr;
    private int _pairsEncoded;

    public FakeWordTokenizer(bool xlmrLayout = false) => _xlmr = xlmrLayout;

    public string Kind => _xlmr ? "fake-xlmr-words" : "fake-bert-words";

    public int PadTokenId => _xlmr ? 1 : 0;

    public int SpecialTokensInPair => _xlmr ? 4 : 3;

    /// <summary>Gets or sets an action run before each pair is encoded (tests use it to cancel mid-call).</summary>
    public Action<int>? OnEncodePair { get; set; }

    public int PairsEncoded => Volatile.Read(ref _pairsEncoded);

    public int[] Encode(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(WordId).ToArray();

    public PairEncoding EncodePair(string query, string document, int maxLength)
    {
        OnEncodePair?.Invoke(Interlocked.Increment(ref _pairsEncoded));
        int[] q = Encode(query), d = Encode(document);
        (int nq, int nd) = LongestFirst(q.Length, d.Length, maxLength - SpecialTokensInPair);
        var ids = new List<int>();
        var types = new List<int>();
        void Add(int id, int type)
        {
            ids.Add(id);
            types.Add(type);
        }

        if (_xlmr)
        {
            Add(0, 0);
            foreach (int id in q.Take(nq)) Add(id, 0);
            Add(2, 0);
            Add(2, 0);
            foreach (int id in d.Take(nd)) Add(id, 0);
            Add(2, 0);
        }
        else
        {
            Add(2, 0);
            foreach (int id in q.Take(nq)) Add(id, 0);
            Add(3, 0);
            foreach (int id in d.Take(nd)) Add(id, 1);
            Add(3, 1);
        }

        return new PairEncoding([.. ids], [.. types], q.Length - nq, d.Length - nd);
    }

    /// <summary>The longest_first rule: the shorter side keeps what it can, the longer one the rest.</summary>
    internal static (int First, int Second) LongestFirst(int first, int second, int budget)
    {
        if (first + second <= budget)
        {
            return (first, second);
        }

        bool firstIsShorter = first <= second;
        int n1 = Math.Min(first, second), n2;
        n2 = Math.Max(n1, budget - n1);
        if (n1 + n2 > budget)
        {
            n1 = budget / 2;
            n2 = n1 + (budget % 2);
        }

        n1 = Math.Min(n1, Math.Min(first, second));
        n2 = Math.Min(n2, Math.Max(first, second));
        return firstIsShorter ? (n1, n2) : (n2, n1);
    }

    private static int WordId(string word)
    {
        uint hash = 2166136261;
        foreach (char c in word.ToLowerInvariant())
        {
            hash = (hash ^ c) * 16777619;
        }

        return 10 + (int)(hash % (Vocabulary - 10));
    }
}
