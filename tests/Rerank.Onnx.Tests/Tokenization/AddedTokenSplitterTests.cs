using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Tokenization;

public class AddedTokenSplitterTests
{
    private static List<string> Split(AddedTokenSplitter splitter, string text)
    {
        var segments = new List<(int Start, int Length, int TokenId)>();
        splitter.Split(text, segments);
        return [.. segments.Select(s => s.TokenId >= 0 ? $"#{s.TokenId}<{text.Substring(s.Start, s.Length)}>" : text.Substring(s.Start, s.Length))];
    }

    [Test]
    public void MatchesAreLeftmostLongestAndCaseSensitive()
    {
        var splitter = new AddedTokenSplitter([new AddedToken("<s>", 0), new AddedToken("<s>x", 9), new AddedToken("[SEP]", 102)]);
        Assert.That(Split(splitter, "a<s>xb<s>[SEP][sep]"), Is.EqualTo(new[] { "a", "#9<<s>x>", "b", "#0<<s>>", "#102<[SEP]>", "[sep]" }));
    }

    [Test]
    public void LStripAndRStripSwallowTheWhitespaceOnTheirSide()
    {
        var splitter = new AddedTokenSplitter([new AddedToken("<mask>", 5, LStrip: true), new AddedToken("<r>", 6, RStrip: true)]);
        Assert.That(Split(splitter, "a \t <mask>  b"), Is.EqualTo(new[] { "a", "#5< \t <mask>>", "  b" }));
        Assert.That(Split(splitter, "a <r> \n b"), Is.EqualTo(new[] { "a ", "#6<<r> \n >", "b" }));
        Assert.That(Split(splitter, "<r>  <mask>"), Is.EqualTo(new[] { "#6<<r>  >", "#5<<mask>>" }), "whitespace already taken is not taken twice");
    }

    [Test]
    public void SingleWordTokensMatchOnlyAsWholeWords()
    {
        var splitter = new AddedTokenSplitter([new AddedToken("foo", 1, SingleWord: true)]);
        Assert.That(Split(splitter, "foo foobar barfoo (foo)"), Is.EqualTo(new[] { "#1<foo>", " foobar barfoo (", "#1<foo>", ")" }));
    }

    [Test]
    public void TextWithoutTokensIsOneSegment()
    {
        var splitter = new AddedTokenSplitter([new AddedToken("[SEP]", 102)]);
        Assert.That(Split(splitter, "plain [ text ]"), Is.EqualTo(new[] { "plain [ text ]" }));
        Assert.That(Split(splitter, ""), Is.Empty);
    }
}
