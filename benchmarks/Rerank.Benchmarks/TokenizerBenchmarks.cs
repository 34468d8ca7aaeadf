using System.Text;
using BenchmarkDotNet.Attributes;
using Rerank.Onnx.Tokenization;

namespace Rerank.Benchmarks;

/// <summary>
/// Tokenisation cost of one rerank call: 1 query x 50 realistic passages (~1,500 characters each), encoded as pairs at
/// max_length 512, for each tokenizer family and source. Reads the fixtures in tests/Rerank.Onnx.Tests/Fixtures.
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private IPairTokenizer _tokenizer = null!;
    private string _query = null!;
    private string[] _passages = null!;

    /// <summary>Gets or sets the tokenizer under test.</summary>
    [Params("bert/tokenizer.json", "bert/vocab.txt", "xlmr/tokenizer.json", "xlmr/sentencepiece.bpe.model")]
    public string Source { get; set; } = "";

    /// <summary>Loads the tokenizer and builds the passages.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string fixtures = FindFixtures();
        string[] parts = Source.Split('/');
        string folder = Path.Combine(fixtures, parts[0] == "bert" ? "tiny-bert-cross-encoder" : "tiny-xlmr-cross-encoder");
        string file = Path.Combine(folder, parts[1]);
        string config = Path.Combine(folder, "tokenizer_config.json");
        _tokenizer = parts[1] switch
        {
            "tokenizer.json" => TokenizerLoader.FromTokenizerJson(file, config),
            "vocab.txt" => TokenizerLoader.FromVocabFile(file, config),
            _ => TokenizerLoader.FromSentencePieceModel(file, config),
        };

        _query = "How do I process organic waste at home without attracting pests?";
        string[] sentences =
        [
            "Composting turns kitchen scraps and garden waste into a dark, crumbly soil amendment.",
            "A balanced pile mixes nitrogen-rich greens (coffee grounds, peels) with carbon-rich browns (leaves, cardboard).",
            "Turn the pile every 1-2 weeks; keep it as moist as a wrung-out sponge, at 55-65 °C in the core.",
            "Plastic recycling sorts bottles by resin code (#1 PET, #2 HDPE) before shredding and washing.",
            "Industrial waste may contain heavy metals, so it's handled under stricter permits than household trash.",
            "Bokashi fermentation (from Japanese, 'fermented organic matter') pickles food waste in a sealed bucket.",
            "Vermicomposting uses red wigglers; 1 kg of worms can process about 0.5 kg of scraps per day.",
            "Avoid meat, dairy and oily food in open piles: they attract rodents, flies and raccoons.",
        ];
        var random = new Random(42);
        _passages = new string[50];
        for (int i = 0; i < _passages.Length; i++)
        {
            var passage = new StringBuilder();
            while (passage.Length < 1500)
            {
                passage.Append(sentences[random.Next(sentences.Length)]).Append(' ');
            }

            _passages[i] = passage.ToString();
        }
    }

    /// <summary>Encodes the 50 pairs of one rerank call.</summary>
    /// <returns>The total number of tokens, so that nothing is optimised away.</returns>
    [Benchmark]
    public int EncodeFiftyPairs()
    {
        int tokens = 0;
        foreach (string passage in _passages)
        {
            tokens += _tokenizer.EncodePair(_query, passage, 512).Length;
        }

        return tokens;
    }

    private static string FindFixtures()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "Rerank.Onnx.Tests", "Fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/Rerank.Onnx.Tests/Fixtures was not found above " + AppContext.BaseDirectory);
    }
}
