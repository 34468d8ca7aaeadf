using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Tokenization;

/// <summary>The places where Microsoft.ML.Tokenizers' BertTokenizer is known to differ from Hugging Face.</summary>
public class BertNormalizerTests
{
    private static readonly IPairTokenizer Bert = GoldenTokenizationTests.Create(Golden.Bert, "vocab.txt");

    private static int Id(string token) => Bert.Encode(token).Single();

    [Test]
    public void ANewlineSeparatesWords_dotnet_machinelearning_7724()
    {
        Assert.That(Bert.Encode("hello\nworld"), Is.EqualTo(new[] { Id("hello"), Id("world") }));
        Assert.That(Bert.Encode("hello\r\n\tworld"), Is.EqualTo(Bert.Encode("hello world")));
    }

    [Test]
    public void AsciiSymbolsAreIsolatedNotDropped_dotnet_machinelearning_7725()
    {
        int[] ids = Bert.Encode("$5+3=8^2`~<>|");
        Assert.That(ids, Is.EqualTo(new[] { Id("$"), Id("5"), Id("+"), Id("3"), Id("="), Id("8"), Id("^"), Id("2"), Id("`"), Id("~"), Id("<"), Id(">"), Id("|") }));
    }

    [Test]
    public void AccentsAreStrippedWithoutTheGlobalizationStack_dotnet_machinelearning_7728()
    {
        var normalizer = new BertNormalizer(true, true, true, true);
        Assert.That(normalizer.Normalize("Café Ångström NAÏVE"), Is.EqualTo("cafe angstrom naive"));
        Assert.That(normalizer.Normalize("Cafe\u0301"), Is.EqualTo("cafe"));
        Assert.That(Bert.Encode("café"), Is.EqualTo(Bert.Encode("cafe")));
    }

    [Test]
    public void HangulDecomposesToJamoWhenAccentsAreStripped()
    {
        var normalizer = new BertNormalizer(true, true, true, true);
        Assert.That(normalizer.Normalize("한"), Is.EqualTo("\u1112\u1161\u11AB"));
    }

    [Test]
    public void CleaningDropsControlAndFormatCharactersAndMapsWhitespace()
    {
        var normalizer = new BertNormalizer(true, false, false, false);
        Assert.That(normalizer.Normalize("a\u0000b\u0007c\u200Bd\uFEFFe\uFFFDf\u00ADg"), Is.EqualTo("abcdefg"));
        Assert.That(normalizer.Normalize("a\tb\nc\u00A0d\u3000e"), Is.EqualTo("a b c d e"));
        Assert.That(normalizer.Normalize("a\u000Bb\u0085c"), Is.EqualTo("abc"), "vertical tab and NEL are Cc, dropped before whitespace mapping");
    }

    [Test]
    public void ChineseCharactersAreIsolatedIncludingAstralOnes()
    {
        var normalizer = new BertNormalizer(false, true, false, false);
        Assert.That(normalizer.Normalize("北京x𠀀y"), Is.EqualTo(" 北  京 x 𠀀 y"));
        Assert.That(normalizer.Normalize("ひらがな한국"), Is.EqualTo("ひらがな한국"));
    }

    [Test]
    public void LowercasingFollowsRustIncludingDottedCapitalI()
    {
        Assert.That(new BertNormalizer(false, false, false, true).Normalize("İSTANBUL ΣΟΦΙΑ 𐐀"), Is.EqualTo("i\u0307stanbul σοφια 𐐨"));
        Assert.That(new BertNormalizer(false, false, true, true).Normalize("İ"), Is.EqualTo("i"));
    }

    [Test]
    public void LongWordsBecomeUnknownPastOneHundredCharacters()
    {
        Assert.That(Bert.Encode(new string('a', 100)), Has.Length.GreaterThan(1));
        Assert.That(Bert.Encode(new string('a', 101)), Is.EqualTo(new[] { 100 }));
        Assert.That(Bert.Encode(string.Concat(Enumerable.Repeat("😀", 101))), Is.EqualTo(new[] { 100 }), "counted in scalars, not UTF-16 units");
    }
}
