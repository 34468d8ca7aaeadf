using System.Text;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Tokenization;

/// <summary>Lone surrogates, NUL characters, huge and empty texts tokenise without a crash, and within the limits.</summary>
public class HostileInputTests
{
    private static readonly string[] Hostile =
    [
        "lone high \uD800 surrogate",
        "lone low \uDC00 surrogate",
        "\uDBFF",
        "reversed \uDC00\uD800 pair",
        "nul\0\0\0in the middle\0",
        new string('\0', 1000),
        "",
        new string(' ', 10_000),
        string.Concat(Enumerable.Repeat("\u0301", 5000)),
        string.Concat(Enumerable.Repeat("👨‍👩‍👧", 2000)),
        "\uFFFF\uFFFE\U0010FFFF private \uE000",
    ];

    private static string OneMegabyte()
    {
        var text = new StringBuilder(1 << 20);
        string[] words = ["reranking", "café", "北京", "Москва", "🍕", "$5", "a+b=c", "\n", "https://example.com/x?y=z", "naïve"];
        for (int i = 0; text.Length < 1 << 20; i++)
        {
            text.Append(words[i % words.Length]).Append(i % 7 == 0 ? '\t' : ' ');
        }

        return text.ToString();
    }

    [TestCaseSource(typeof(GoldenTokenizationTests), nameof(GoldenTokenizationTests.Sources))]
    public void HostileTextIsTokenisedWithinTheLimits(string model, string? file)
    {
        IPairTokenizer tokenizer = GoldenTokenizationTests.Create(model, file);
        int queryLength = tokenizer.Encode("a short query").Length;
        foreach (string text in Hostile.Append(OneMegabyte()))
        {
            int textLength = tokenizer.Encode(text).Length;
            int[] maxLengths = text.Length > 100_000 ? [512] : [tokenizer.SpecialTokensInPair, 16, 512];
            foreach (int maxLength in maxLengths)
            {
                PairEncoding asQuery = tokenizer.EncodePair(text, "a short document", maxLength);
                PairEncoding asDocument = tokenizer.EncodePair("a short query", text, maxLength);
                foreach (PairEncoding encoding in new[] { asQuery, asDocument })
                {
                    Assert.That(encoding.Length, Is.InRange(tokenizer.SpecialTokensInPair, maxLength));
                    Assert.That(encoding.TokenTypeIds, Has.Length.EqualTo(encoding.Length));
                    Assert.That(encoding.InputIds, Has.All.GreaterThanOrEqualTo(0));
                }

                int documentKept = asDocument.Length - tokenizer.SpecialTokensInPair - (queryLength - asDocument.QueryTokensDropped);
                Assert.That(asDocument.DocumentTokensDropped, Is.EqualTo(textLength - documentKept));
            }
        }
    }

    [Test]
    public void AOneMegabyteDocumentReportsWhatWasDropped()
    {
        IPairTokenizer tokenizer = GoldenTokenizationTests.Create(Golden.Bert, "tokenizer.json");
        string document = OneMegabyte();
        PairEncoding encoding = tokenizer.EncodePair("what is reranking?", document, 512);
        Assert.That(encoding.Length, Is.EqualTo(512));
        Assert.That(encoding.QueryTokensDropped, Is.Zero);
        Assert.That(encoding.DocumentTokensDropped, Is.EqualTo(tokenizer.Encode(document).Length - (512 - 3 - tokenizer.Encode("what is reranking?").Length)));
        Assert.That(encoding.DocumentTokensDropped, Is.GreaterThan(100_000));
    }

    [TestCaseSource(typeof(GoldenTokenizationTests), nameof(GoldenTokenizationTests.Sources))]
    public void ArgumentsAreChecked(string model, string? file)
    {
        IPairTokenizer tokenizer = GoldenTokenizationTests.Create(model, file);
        Assert.That(() => tokenizer.EncodePair(null!, "d", 16), Throws.ArgumentNullException);
        Assert.That(() => tokenizer.EncodePair("q", null!, 16), Throws.ArgumentNullException);
        Assert.That(() => tokenizer.Encode(null!), Throws.ArgumentNullException);
        Assert.That(() => tokenizer.EncodePair("q", "d", tokenizer.SpecialTokensInPair - 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
