using System.Text;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// Hugging Face tokenizers' WordPiece model (models/wordpiece): greedy longest match from the left, continuations
/// looked up with the <c>##</c> prefix, and a word longer than <c>max_input_chars_per_word</c> characters, or one with
/// any piece missing from the vocabulary, becomes the unknown token as a whole.
/// </summary>
internal sealed class WordPieceModel
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordStarts;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;

    /// <summary>Initializes a new instance of the <see cref="WordPieceModel"/> class.</summary>
    /// <param name="vocabulary">Token to id.</param>
    /// <param name="unknownToken">The token a word that cannot be split becomes.</param>
    /// <param name="continuingSubwordPrefix">The prefix of pieces that continue a word (<c>##</c>).</param>
    /// <param name="maxInputCharsPerWord">Longer words become the unknown token.</param>
    /// <exception cref="InvalidDataException">The unknown token is not in the vocabulary.</exception>
    public WordPieceModel(IReadOnlyDictionary<string, int> vocabulary, string unknownToken, string continuingSubwordPrefix, int maxInputCharsPerWord)
    {
        Vocabulary = vocabulary;
        if (!vocabulary.TryGetValue(unknownToken, out int unknownId))
        {
            throw new InvalidDataException($"The WordPiece vocabulary has no unknown token '{unknownToken}'.");
        }

        UnknownId = unknownId;
        MaxInputCharsPerWord = maxInputCharsPerWord;

        // Continuations live in their own table without the prefix, so lookups need no string concatenation.
        var starts = new Dictionary<string, int>(vocabulary.Count, StringComparer.Ordinal);
        var continuations = new Dictionary<string, int>(vocabulary.Count / 4, StringComparer.Ordinal);
        foreach ((string token, int id) in vocabulary)
        {
            starts[token] = id;
            if (continuingSubwordPrefix.Length > 0 && token.StartsWith(continuingSubwordPrefix, StringComparison.Ordinal))
            {
                continuations[token[continuingSubwordPrefix.Length..]] = id;
            }
        }

        _wordStarts = starts.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets the vocabulary, token to id.</summary>
    public IReadOnlyDictionary<string, int> Vocabulary { get; }

    /// <summary>Gets the id of the unknown token.</summary>
    public int UnknownId { get; }

    /// <summary>Gets the longest word, in Unicode scalars, that is split rather than made unknown.</summary>
    public int MaxInputCharsPerWord { get; }

    /// <summary>Appends the pieces of one pre-tokenised word to <paramref name="ids"/>.</summary>
    /// <param name="word">A word without whitespace.</param>
    /// <param name="ids">Receives the ids.</param>
    public void EncodeWord(ReadOnlySpan<char> word, List<int> ids)
    {
        if (CountScalars(word) > MaxInputCharsPerWord)
        {
            ids.Add(UnknownId);
            return;
        }

        int firstPiece = ids.Count;
        int start = 0;
        while (start < word.Length)
        {
            var lookup = start == 0 ? _wordStarts : _continuations;
            int end = word.Length;
            int id = -1;
            while (start < end)
            {
                if (lookup.TryGetValue(word[start..end], out id))
                {
                    break;
                }

                id = -1;
                end -= end - 2 >= start && char.IsSurrogatePair(word[end - 2], word[end - 1]) ? 2 : 1;
            }

            if (id < 0)
            {
                ids.RemoveRange(firstPiece, ids.Count - firstPiece);
                ids.Add(UnknownId);
                return;
            }

            ids.Add(id);
            start = end;
        }
    }

    private static int CountScalars(ReadOnlySpan<char> text)
    {
        int count = 0;
        foreach (Rune _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
