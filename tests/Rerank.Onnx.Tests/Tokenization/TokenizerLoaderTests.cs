using System.Text;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Tokenization;

public class TokenizerLoaderTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rerank-tokenizer-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void AnEmptyFolderNamesEveryFileLookedFor()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(_directory))!;
        foreach (string file in new[] { "tokenizer.json", "vocab.txt", "sentencepiece.bpe.model" })
        {
            Assert.That(error.Message, Does.Contain(Path.Combine(_directory, file)));
        }
    }

    [Test]
    public void AMissingFolderIsNamed()
    {
        string missing = Path.Combine(_directory, "nope");
        var error = Assert.Throws<DirectoryNotFoundException>(() => TokenizerLoader.Load(missing))!;
        Assert.That(error.Message, Does.Contain(missing));
    }

    [Test]
    public void AnUnknownModelTypeIsNamed()
    {
        File.WriteAllText(Path.Combine(_directory, "tokenizer.json"), """{"model": {"type": "BPE", "vocab": {}, "merges": []}}""");
        var error = Assert.Throws<NotSupportedException>(() => TokenizerLoader.Load(_directory))!;
        Assert.That(error.Message, Does.Contain("'BPE'").And.Contain("WordPiece").And.Contain("Unigram").And.Contain("tokenizer.json"));
    }

    [Test]
    public void AnUnsupportedNormalizerIsNamed()
    {
        string json = File.ReadAllText(Path.Combine(Golden.ModelDirectory(Golden.XlmRoberta), "tokenizer.json"))
            .Replace("\"type\": \"Strip\"", "\"type\": \"ByteLevel\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_directory, "tokenizer.json"), json);
        var error = Assert.Throws<NotSupportedException>(() => TokenizerLoader.Load(_directory))!;
        Assert.That(error.Message, Does.Contain("'ByteLevel'"));
    }

    [TestCase("not json at all")]
    [TestCase("""{"version": "1.0"}""")]
    [TestCase("""{"model": {"type": "WordPiece"}}""")]
    public void AMalformedTokenizerJsonIsInvalidData(string content)
    {
        File.WriteAllText(Path.Combine(_directory, "tokenizer.json"), content);
        var error = Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(_directory))!;
        Assert.That(error.Message, Does.Contain(Path.Combine(_directory, "tokenizer.json")));
    }

    [Test]
    public void ACorruptSentencePieceModelIsInvalidData()
    {
        File.WriteAllBytes(Path.Combine(_directory, "sentencepiece.bpe.model"), Encoding.UTF8.GetBytes("\u0012\u00ff\u00ff garbage"));
        Assert.That(() => TokenizerLoader.Load(_directory), Throws.TypeOf<InvalidDataException>()
            .With.Message.Contains("sentencepiece.bpe.model"));
    }

    [Test]
    public void ATruncatedSentencePieceModelIsInvalidData()
    {
        byte[] model = File.ReadAllBytes(Path.Combine(Golden.ModelDirectory(Golden.XlmRoberta), "sentencepiece.bpe.model"));
        File.WriteAllBytes(Path.Combine(_directory, "sentencepiece.bpe.model"), model[..(model.Length / 2)]);
        Assert.That(() => TokenizerLoader.Load(_directory), Throws.TypeOf<InvalidDataException>());
    }

    [Test]
    public void AVocabularyWithoutTheUnknownTokenIsInvalidData()
    {
        File.WriteAllLines(Path.Combine(_directory, "vocab.txt"), ["[PAD]", "[CLS]", "[SEP]", "hello"]);
        Assert.That(() => TokenizerLoader.Load(_directory), Throws.TypeOf<InvalidDataException>().With.Message.Contains("[UNK]"));
    }

    [Test]
    public void TokenizerJsonIsPreferredOverTheOtherFiles()
    {
        string bert = Golden.ModelDirectory(Golden.Bert);
        File.Copy(Path.Combine(bert, "tokenizer.json"), Path.Combine(_directory, "tokenizer.json"));
        File.WriteAllText(Path.Combine(_directory, "vocab.txt"), "");
        File.WriteAllText(Path.Combine(_directory, "sentencepiece.bpe.model"), "garbage");
        Assert.That(TokenizerLoader.Load(_directory).Kind, Is.EqualTo("bert-wordpiece"));
    }

    [Test]
    public void EachFileAloneLoadsItsFamily()
    {
        File.Copy(Path.Combine(Golden.ModelDirectory(Golden.Bert), "vocab.txt"), Path.Combine(_directory, "vocab.txt"));
        IPairTokenizer bert = TokenizerLoader.Load(_directory);
        Assert.That((bert.Kind, bert.PadTokenId, bert.SpecialTokensInPair), Is.EqualTo(("bert-wordpiece", 0, 3)));

        File.Delete(Path.Combine(_directory, "vocab.txt"));
        File.Copy(Path.Combine(Golden.ModelDirectory(Golden.XlmRoberta), "sentencepiece.bpe.model"), Path.Combine(_directory, "sentencepiece.bpe.model"));
        IPairTokenizer xlmr = TokenizerLoader.Load(_directory);
        Assert.That((xlmr.Kind, xlmr.PadTokenId, xlmr.SpecialTokensInPair), Is.EqualTo(("xlm-roberta-unigram", 1, 4)));
    }

    [Test]
    public void TokenizerConfigOverridesTheTokenizerJsonNormalizerAsBertTokenizerFastDoes()
    {
        string bert = Golden.ModelDirectory(Golden.Bert);
        File.Copy(Path.Combine(bert, "tokenizer.json"), Path.Combine(_directory, "tokenizer.json"));
        File.WriteAllText(Path.Combine(_directory, "tokenizer_config.json"), """{"do_lower_case": false}""");
        var cased = (BertWordPieceTokenizer)TokenizerLoader.Load(_directory);
        Assert.That(cased.Normalizer, Is.EqualTo(new BertNormalizer(true, true, false, false)));

        IPairTokenizer uncased = GoldenTokenizationTests.Create(Golden.Bert, "tokenizer.json");
        // The uncased vocabulary has "hello" but not "Hello": a cased normaliser makes it unknown.
        Assert.That(cased.Encode("Hello"), Is.EqualTo(new[] { 100 }));
        Assert.That(uncased.Encode("Hello"), Is.EqualTo(new[] { 7592 }));
    }
}
