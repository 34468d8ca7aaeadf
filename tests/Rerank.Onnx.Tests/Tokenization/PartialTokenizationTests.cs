using System.Text;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Tokenization;

/// <summary>
/// Tokenising only the start of a long document (what longest_first can keep) gives exactly the ids of tokenising it
/// whole: on every golden pair with the length floor removed so that even short documents are cut, and on long mixed
/// text, through every way of loading each family's tokenizer.
/// </summary>
public class PartialTokenizationTests
{
    private static readonly string[] Mixed =
    [
        "Compost heaps release methane when they turn anaerobic; turning them adds oxygen.",
        "ündër ÅNGSTRÖM café naïve résumé a\u0301\u0302 e\u0301",
        "漢字かなカナ한국어 emoji 👩‍👩‍👧‍👦 flags 🇫🇷",
        "tabs\tand\nnewlines\r\nand  double   spaces",
        "$100 + 20% = x; (a*b)/c [SEP] <s> </s> <mask> [CLS]",
        "unbelievably-hyphenated-compound-words-that-go-on-and-on",
        new string('x', 300),
    ];

    public static IEnumerable<TestCaseData> Sources() => GoldenTokenizationTests.Sources();

    [TestCaseSource(nameof(Sources))]
    public void Every_golden_pair_cut_before_tokenisation_keeps_the_reference_ids(string model, string? file)
    {
        var tokenizer = (PairTokenizer)GoldenTokenizationTests.Create(model, file);
        var failures = new StringBuilder();
        int cut = 0;
        foreach (GoldenPair pair in Golden.Load(model))
        {
            PairEncoding encoding = tokenizer.EncodePair(new EncodedQuery(pair.Query, tokenizer.Encode(pair.Query)), pair.Document, pair.MaxLength, minimumCharactersBeforeCut: 0);
            cut += encoding.DocumentCutBeforeTokenization ? 1 : 0;
            bool dropsRight = encoding.DocumentCutBeforeTokenization
                ? encoding.DocumentTokensDropped <= pair.DocumentTokensDropped
                : encoding.DocumentTokensDropped == pair.DocumentTokensDropped;
            if (!encoding.InputIds.SequenceEqual(pair.InputIds) || !encoding.TokenTypeIds.SequenceEqual(pair.TokenTypeIds)
                || encoding.QueryTokensDropped != pair.QueryTokensDropped || !dropsRight)
            {
                failures.AppendLine($"{pair.Name} (cut: {encoding.DocumentCutBeforeTokenization}): dropped {encoding.QueryTokensDropped}/{encoding.DocumentTokensDropped}, expected {pair.QueryTokensDropped}/{pair.DocumentTokensDropped}");
            }
        }

        Assert.That(failures.ToString(), Is.Empty);
        Assert.That(cut, Is.GreaterThan(10), "the golden documents longer than the budget are cut before tokenisation, so the comparison covers the cut");
    }

    [TestCaseSource(nameof(Sources))]
    public void The_start_of_long_mixed_text_tokenises_to_the_first_ids_of_the_whole(string model, string? file)
    {
        var tokenizer = (PairTokenizer)GoldenTokenizationTests.Create(model, file);
        var random = new Random(11);
        string text = string.Join(' ', Enumerable.Range(0, 4_000).Select(_ => Mixed[random.Next(Mixed.Length)]));
        int[] whole = tokenizer.Encode(text);

        foreach (int wanted in new[] { 1, 17, 130, 513, 2_000, 9_000 })
        {
            int[] start = tokenizer.EncodeAtLeast(text, wanted, minimumCharactersBeforeCut: 0, out bool cut);
            Assert.That(cut, Is.True, $"{wanted} tokens of {whole.Length} come from a start of the text");
            Assert.That(start, Has.Length.GreaterThanOrEqualTo(wanted).And.Length.LessThan(whole.Length));
            Assert.That(start, Is.EqualTo(whole.Take(start.Length)), $"the ids of the start, {wanted} wanted");
        }
    }

    [TestCaseSource(nameof(Sources))]
    public void Text_without_a_space_to_cut_at_and_short_documents_are_tokenised_whole(string model, string? file)
    {
        var tokenizer = (PairTokenizer)GoldenTokenizationTests.Create(model, file);
        string unbroken = string.Concat(Enumerable.Repeat("漢字かなカナ", 3_000));
        string shortText = string.Join(' ', Enumerable.Repeat("compost heap", 1_000));

        Assert.That(tokenizer.EncodeAtLeast(unbroken, 10, minimumCharactersBeforeCut: 0, out bool unbrokenCut), Is.EqualTo(tokenizer.Encode(unbroken)));
        Assert.That(unbrokenCut, Is.False);
        Assert.That(tokenizer.EncodeAtLeast(shortText, 10, PairTokenizer.MinimumCharactersBeforeCut, out bool shortCut), Is.EqualTo(tokenizer.Encode(shortText)));
        Assert.That(shortCut, Is.False, "a document under the floor keeps exact truncation counts");
    }
}
