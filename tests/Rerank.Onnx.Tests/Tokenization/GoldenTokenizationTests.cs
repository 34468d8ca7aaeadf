using System.Text;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Tests.Tokenization;

/// <summary>Every golden pair, through every way of loading each family's tokenizer, gives the reference ids exactly.</summary>
public class GoldenTokenizationTests
{
    public static IEnumerable<TestCaseData> Sources()
    {
        yield return new TestCaseData(Golden.Bert, "tokenizer.json").SetName("Bert_FromTokenizerJson");
        yield return new TestCaseData(Golden.Bert, "vocab.txt").SetName("Bert_FromVocabTxt");
        yield return new TestCaseData(Golden.Bert, null).SetName("Bert_FromFolder");
        yield return new TestCaseData(Golden.XlmRoberta, "tokenizer.json").SetName("XlmRoberta_FromTokenizerJson");
        yield return new TestCaseData(Golden.XlmRoberta, "sentencepiece.bpe.model").SetName("XlmRoberta_FromSentencePieceModel");
        yield return new TestCaseData(Golden.XlmRoberta, null).SetName("XlmRoberta_FromFolder");
    }

    internal static IPairTokenizer Create(string model, string? file)
    {
        string directory = Golden.ModelDirectory(model);
        string config = Path.Combine(directory, "tokenizer_config.json");
        return file switch
        {
            null => TokenizerLoader.Load(directory),
            "tokenizer.json" => TokenizerLoader.FromTokenizerJson(Path.Combine(directory, file), config),
            "vocab.txt" => TokenizerLoader.FromVocabFile(Path.Combine(directory, file), config),
            _ => TokenizerLoader.FromSentencePieceModel(Path.Combine(directory, file), config),
        };
    }

    [TestCaseSource(nameof(Sources))]
    public void EveryGoldenPairEncodesToTheReferenceIds(string model, string? file)
    {
        IPairTokenizer tokenizer = Create(model, file);
        IReadOnlyList<GoldenPair> pairs = Golden.Load(model);
        Assert.That(pairs, Has.Count.GreaterThanOrEqualTo(200));

        var failures = new StringBuilder();
        foreach (GoldenPair pair in pairs)
        {
            PairEncoding encoding = tokenizer.EncodePair(pair.Query, pair.Document, pair.MaxLength);
            if (!encoding.InputIds.SequenceEqual(pair.InputIds) || !encoding.TokenTypeIds.SequenceEqual(pair.TokenTypeIds)
                || encoding.QueryTokensDropped != pair.QueryTokensDropped || encoding.DocumentTokensDropped != pair.DocumentTokensDropped)
            {
                failures.AppendLine($"{pair.Name}: expected [{string.Join(",", pair.InputIds.Take(40))}] dropped {pair.QueryTokensDropped}/{pair.DocumentTokensDropped}");
                failures.AppendLine($"{new string(' ', pair.Name.Length)}  actual [{string.Join(",", encoding.InputIds.Take(40))}] dropped {encoding.QueryTokensDropped}/{encoding.DocumentTokensDropped}");
            }
        }

        Assert.That(failures.ToString(), Is.Empty);
    }
}
