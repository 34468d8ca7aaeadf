namespace Rerank;

/// <summary>Cuts a text into overlapping chunks of at most a window's length, between words where it can.</summary>
/// <remarks>
/// In characters a chunk's length is exact: from its first word's start to its last word's end. With a length function
/// (tokens) a chunk's length is the sum of its words' lengths, white space counting nothing, which is exact for
/// tokenizers that split on white space first (WordPiece, most BPE pre-tokenizers).
/// </remarks>
internal sealed class TextChunker
{
    private readonly int _window;
    private readonly int _overlap;
    private readonly Func<string, int>? _length;

    public TextChunker(int window, int overlap, Func<string, int>? length)
    {
        _window = window;
        _overlap = overlap;
        _length = length;
    }

    /// <summary>Measures a text.</summary>
    public int Measure(string text) => _length is null ? text.Length : _length(text);

    /// <summary>Splits <paramref name="text"/>, which is longer than the window, into chunks given as (start, length) in characters.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxChunks">The most chunks to make; the rest of the text is left out.</param>
    /// <param name="complete"><see langword="false"/> when text was left out because of <paramref name="maxChunks"/>.</param>
    public List<(int Start, int Length)> Split(string text, int maxChunks, out bool complete)
    {
        // A word measures at least 1 for any sane length, so maxChunks windows never hold more words than this: a 1 MB
        // document capped at a few chunks is neither scanned nor measured past what those chunks can hold.
        int maxWords = (int)Math.Min(int.MaxValue, (long)maxChunks * _window);
        List<Word> words = Words(text, maxWords, out bool allWords);
        complete = allWords;
        if (words.Count == 0)
        {
            // Nothing but white space: one window of it says all there is.
            return [(0, Math.Min(_window, text.Length))];
        }

        // Prefix sums of the word sizes make a chunk's length O(1) with a length function.
        var sizes = new long[words.Count + 1];
        for (int i = 0; i < words.Count; i++)
        {
            sizes[i + 1] = sizes[i] + words[i].Size;
        }

        var chunks = new List<(int Start, int Length)>();
        int first = 0;
        while (true)
        {
            // As many whole words as fit; at least one (no word is longer than the window).
            int end = first + 1;
            while (end < words.Count && Cost(words, sizes, first, end + 1) <= _window)
            {
                end++;
            }

            chunks.Add((words[first].Start, words[end - 1].End - words[first].Start));
            if (end == words.Count)
            {
                return chunks;
            }

            if (chunks.Count == maxChunks)
            {
                complete = false;
                return chunks;
            }

            // The next chunk starts with as many of this chunk's last words as fit in the overlap, and always moves on.
            int next = end;
            while (next - 1 > first && Cost(words, sizes, next - 1, end) <= _overlap)
            {
                next--;
            }

            first = next;
        }
    }

    /// <summary>The length of words [first, end) as one chunk.</summary>
    private long Cost(List<Word> words, long[] sizes, int first, int end) =>
        _length is null ? words[end - 1].End - words[first].Start : sizes[end] - sizes[first];

    /// <summary>The runs of non-white-space characters; one longer than the window is cut into pieces that fit.</summary>
    private List<Word> Words(string text, int maxWords, out bool complete)
    {
        var words = new List<Word>();
        int position = 0;
        complete = true;
        while (position < text.Length)
        {
            if (words.Count >= maxWords)
            {
                // Only white space may follow; anything else is text the chunks will not hold.
                complete = text.AsSpan(position).IsWhiteSpace();
                break;
            }

            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            int end = position;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            if (end > position)
            {
                AddFitting(text, position, end - position, words);
            }

            position = end;
        }

        return words;
    }

    private void AddFitting(string text, int start, int length, List<Word> words)
    {
        while (length > 0)
        {
            int size = MeasureSpan(text, start, length);
            if (size <= _window)
            {
                words.Add(new Word(start, start + length, size));
                return;
            }

            // The longest prefix that fits, found by bisection; at least one character (or one surrogate pair).
            int low = 1, high = length - 1;
            while (low < high)
            {
                int middle = (low + high + 1) / 2;
                if (MeasureSpan(text, start, middle) <= _window)
                {
                    low = middle;
                }
                else
                {
                    high = middle - 1;
                }
            }

            int take = low;
            if (char.IsHighSurrogate(text[start + take - 1]) && take < length)
            {
                take = take > 1 ? take - 1 : take + 1;
            }

            words.Add(new Word(start, start + take, MeasureSpan(text, start, take)));
            start += take;
            length -= take;
        }
    }

    private int MeasureSpan(string text, int start, int length) => _length is null ? length : _length(text.Substring(start, length));

    /// <summary>A word: [Start, End) in characters, and its length in the window's units.</summary>
    private readonly record struct Word(int Start, int End, int Size);
}
