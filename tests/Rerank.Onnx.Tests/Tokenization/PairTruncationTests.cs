using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Tokenization;

/// <summary>Worked examples of tokenizers' longest_first rule (tokenizers/src/utils/truncation.rs).</summary>
public class PairTruncationTests
{
    // query, document, budget -> kept query, kept document
    [TestCase(10, 19, 29, 10, 19, TestName = "Fits exactly: nothing is cut")]
    [TestCase(5, 100, 29, 5, 24, TestName = "Short query keeps everything, the document takes the rest")]
    [TestCase(100, 5, 29, 24, 5, TestName = "Short document keeps everything, the query takes the rest")]
    [TestCase(50, 50, 29, 14, 15, TestName = "Equal lengths: the odd token goes to the second (longer-or-equal) side")]
    [TestCase(40, 100, 64, 32, 32, TestName = "Both over half: halved evenly")]
    [TestCase(40, 100, 61, 30, 31, TestName = "Both over half, odd budget: the longer side gets the odd token")]
    [TestCase(100, 40, 61, 31, 30, TestName = "Query longer than document: lengths go back in original order")]
    [TestCase(31, 100, 61, 30, 31, TestName = "Shorter side just over half is cut too")]
    [TestCase(30, 100, 61, 30, 31, TestName = "Shorter side at half keeps everything")]
    [TestCase(3, 30, 1, 0, 1, TestName = "Budget one: the single token goes to the longer side")]
    [TestCase(5, 7, 0, 0, 0, TestName = "Budget zero: both sides are emptied")]
    [TestCase(0, 100, 16, 0, 16, TestName = "Empty query")]
    [TestCase(100, 0, 16, 16, 0, TestName = "Empty document")]
    [TestCase(0, 0, 0, 0, 0, TestName = "Both empty")]
    [TestCase(600, 600, 509, 254, 255, TestName = "BERT at 512: budget 509")]
    public void KeepsWhatLongestFirstKeeps(int query, int document, int budget, int keptQuery, int keptDocument)
    {
        Assert.That(PairTruncation.LongestFirst(query, document, budget), Is.EqualTo((keptQuery, keptDocument)));
    }

    [Test]
    public void NeverExceedsTheBudgetAndNeverGrowsASide()
    {
        for (int query = 0; query <= 40; query++)
        {
            for (int document = 0; document <= 40; document++)
            {
                for (int budget = 0; budget <= 50; budget++)
                {
                    (int q, int d) = PairTruncation.LongestFirst(query, document, budget);
                    Assert.That(q + d, Is.EqualTo(Math.Min(query + document, budget)), $"{query},{document},{budget}");
                    Assert.That(q, Is.InRange(0, query));
                    Assert.That(d, Is.InRange(0, document));
                }
            }
        }
    }

    [Test]
    public void HugeLengthsDoNotOverflow()
    {
        Assert.That(PairTruncation.LongestFirst(int.MaxValue, int.MaxValue, 509), Is.EqualTo((254, 255)));
    }

    [Test]
    public void NegativeArgumentsAreRejected()
    {
        Assert.That(() => PairTruncation.LongestFirst(-1, 0, 10), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => PairTruncation.LongestFirst(0, -1, 10), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => PairTruncation.LongestFirst(0, 0, -1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
