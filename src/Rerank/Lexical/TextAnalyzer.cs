using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Rerank;

/// <summary>
/// Turns text into the tokens that BM25 matches: Unicode word splitting, invariant lower-casing and optional stop words,
/// the same for the query and the documents.
/// </summary>
/// <remarks>
/// <para>
/// A token is a run of letters (with their combining marks) and digits, in any script. A few characters join a word
/// when they stand between word characters, after the word-boundary rules of Unicode UAX #29: an apostrophe
/// (<c>'</c> or <c>’</c>) between letters (<c>don't</c>), a full stop or comma between digits (<c>3.14</c>,
/// <c>1,000</c>) and an underscore (<c>snake_case</c>). Everything else (spaces, punctuation, symbols, emoji) separates
/// tokens. <c>’</c> is stored as <c>'</c>, so both spellings match.
/// </para>
/// <para>
/// Chinese and Japanese characters (Han, Hiragana, Katakana) are split into bigrams or single characters, as
/// <see cref="TextAnalyzerOptions.CjkTokenization"/> says; they also end an adjacent Latin word (<c>AI模型</c> →
/// <c>ai</c>, <c>模型</c>). Scripts written without spaces and not covered here (Thai, Lao, Khmer, Myanmar) come out
/// as one token per run; give those a <see cref="TextAnalyzerOptions.Tokenizer"/>. No Unicode normalisation or
/// stemming is applied.
/// </para>
/// <para>An instance is immutable and safe to share between threads.</para>
/// </remarks>
public sealed class TextAnalyzer
{
    private const int InitialBufferSize = 128;

    private readonly FrozenSet<string>? _stopWords;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _stopWordLookup;
    private readonly Func<string, IEnumerable<string>>? _tokenizer;

    /// <summary>Initializes a new instance of the <see cref="TextAnalyzer"/> class.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults (lower-casing, CJK bigrams, no stop words).</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TextAnalyzerOptions.CjkTokenization"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><see cref="TextAnalyzerOptions.StopWords"/> contains <see langword="null"/>.</exception>
    public TextAnalyzer(TextAnalyzerOptions? options = null)
    {
        options ??= new TextAnalyzerOptions();
        if (!Enum.IsDefined(options.CjkTokenization))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CjkTokenization, "TextAnalyzerOptions.CjkTokenization is not a defined value.");
        }

        LowerCase = options.LowerCase;
        CjkTokenization = options.CjkTokenization;
        _tokenizer = options.Tokenizer;
        if (options.StopWords is not null)
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            foreach (string word in options.StopWords)
            {
                if (word is null)
                {
                    throw new ArgumentException("TextAnalyzerOptions.StopWords contains null.", nameof(options));
                }

                words.Add(NormalizeStopWord(word));
            }

            _stopWords = words.ToFrozenSet(StringComparer.Ordinal);
            _stopWordLookup = _stopWords.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    /// <summary>Gets the default analyser: Unicode words, invariant lower-casing, CJK bigrams, no stop words.</summary>
    public static TextAnalyzer Default { get; } = new();

    /// <summary>Gets the default analyser with <see cref="Rerank.StopWords.English"/> removed.</summary>
    public static TextAnalyzer English { get; } = new(new TextAnalyzerOptions { StopWords = Rerank.StopWords.English });

    /// <summary>Gets a value indicating whether tokens are lower-cased.</summary>
    public bool LowerCase { get; }

    /// <summary>Gets how Chinese and Japanese text is split.</summary>
    public CjkTokenization CjkTokenization { get; }

    /// <summary>Gets the stop words, after lower-casing; empty when none are removed.</summary>
    public IReadOnlySet<string> StopWords => _stopWords ?? FrozenSet<string>.Empty;

    /// <summary>Gets the custom tokenizer, if any, for the scoring fingerprint.</summary>
    internal Func<string, IEnumerable<string>>? Tokenizer => _tokenizer;

    /// <summary>Splits <paramref name="text"/> into tokens.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens, in text order, with repeats.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<string> Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sink = new ListSink([]);
        Analyze(text, ref sink);
        return sink.Tokens;
    }

    /// <summary>Splits <paramref name="text"/> into tokens and hands each to <paramref name="sink"/>, allocating no string per token.</summary>
    internal void Analyze<TSink>(string text, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        char[] buffer = ArrayPool<char>.Shared.Rent(InitialBufferSize);
        try
        {
            if (_tokenizer is not null)
            {
                foreach (string token in _tokenizer(text) ?? [])
                {
                    if (!string.IsNullOrEmpty(token))
                    {
                        Emit(token, ref buffer, ref sink);
                    }
                }
            }
            else
            {
                Split(text, ref buffer, ref sink);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private void Split<TSink>(ReadOnlySpan<char> text, ref char[] buffer, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        int i = 0;
        while (i < text.Length)
        {
            switch (ClassifyAt(text, i, out _, out int length))
            {
                case CharClass.Cjk:
                    i = SplitCjkRun(text, i, ref buffer, ref sink);
                    break;
                case CharClass.Letter or CharClass.Digit:
                    int start = i;
                    i = EndOfWord(text, i);
                    Emit(text[start..i], ref buffer, ref sink);
                    break;
                default:
                    i += length;
                    break;
            }
        }
    }

    /// <summary>Finds where the word starting at <paramref name="start"/> ends, following the joiner rules.</summary>
    private static int EndOfWord(ReadOnlySpan<char> text, int start)
    {
        CharClass previous = ClassifyAt(text, start, out _, out int length);
        int i = start + length;
        while (i < text.Length)
        {
            CharClass current = ClassifyAt(text, i, out Rune rune, out length);
            if (current is CharClass.Letter or CharClass.Digit)
            {
                previous = current;
                i += length;
                continue;
            }

            if (current == CharClass.Other && i + length < text.Length)
            {
                CharClass following = ClassifyAt(text, i + length, out _, out int nextLength);
                if (Joins(rune, previous, following))
                {
                    previous = following;
                    i += length + nextLength;
                    continue;
                }
            }

            break;
        }

        return i;
    }

    /// <summary>UAX #29 word-boundary rules WB6/7 (MidLetter), WB11/12 (MidNum) and WB13a/b (ExtendNumLet), in brief.</summary>
    private static bool Joins(Rune joiner, CharClass before, CharClass after) => joiner.Value switch
    {
        '\'' or '\u2019' => before == CharClass.Letter && after == CharClass.Letter,
        '.' or ',' => before == CharClass.Digit && after == CharClass.Digit,
        _ => after is CharClass.Letter or CharClass.Digit && Rune.GetUnicodeCategory(joiner) == UnicodeCategory.ConnectorPunctuation,
    };

    private int SplitCjkRun<TSink>(ReadOnlySpan<char> text, int start, ref char[] buffer, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        // previousStart is where the CJK character before the current one began, for the bigram that spans both.
        int previousStart = -1;
        int i = start;
        int count = 0;
        while (i < text.Length)
        {
            if (ClassifyAt(text, i, out _, out int length) != CharClass.Cjk)
            {
                break;
            }

            if (CjkTokenization == CjkTokenization.Unigrams)
            {
                Emit(text.Slice(i, length), ref buffer, ref sink);
            }
            else if (previousStart >= 0)
            {
                Emit(text[previousStart..(i + length)], ref buffer, ref sink);
            }

            previousStart = i;
            i += length;
            count++;
        }

        if (CjkTokenization == CjkTokenization.Bigrams && count == 1)
        {
            Emit(text[start..i], ref buffer, ref sink);
        }

        return i;
    }

    private void Emit<TSink>(ReadOnlySpan<char> token, ref char[] buffer, ref TSink sink)
        where TSink : ITokenSink, allows ref struct
    {
        if (token.Length > buffer.Length)
        {
            ArrayPool<char>.Shared.Return(buffer);
            buffer = ArrayPool<char>.Shared.Rent(token.Length);
        }

        Span<char> normalized = buffer.AsSpan(0, token.Length);
        if (LowerCase)
        {
            // Invariant lower-casing maps UTF-16 code units one to one, so the length is unchanged.
            token.ToLowerInvariant(normalized);
        }
        else
        {
            token.CopyTo(normalized);
        }

        normalized.Replace('\u2019', '\'');
        if (_stopWords is not null && _stopWordLookup.Contains(normalized))
        {
            return;
        }

        sink.Accept(normalized);
    }

    private string NormalizeStopWord(string word)
    {
        string normalized = LowerCase ? word.ToLowerInvariant() : word;
        return normalized.Replace('\u2019', '\'');
    }

    /// <summary>Classifies the character at <paramref name="index"/>, with a table for ASCII, which is most text.</summary>
    private static CharClass ClassifyAt(ReadOnlySpan<char> text, int index, out Rune rune, out int length)
    {
        char c = text[index];
        if (c < AsciiClasses.Length)
        {
            rune = new Rune(c);
            length = 1;
            return AsciiClasses[c];
        }

        // An unpaired surrogate decodes as U+FFFD, a symbol, and separates tokens.
        Rune.DecodeFromUtf16(text[index..], out rune, out length);
        return Classify(rune);
    }

    private static CharClass Classify(Rune rune)
    {
        if (IsCjk(rune.Value))
        {
            return CharClass.Cjk;
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
                return CharClass.Letter;
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                return CharClass.Digit;
            default:
                return CharClass.Other;
        }
    }

    private static bool IsCjk(int codePoint) =>
        codePoint is (>= 0x3040 and <= 0x30FF) // Hiragana, Katakana
            or (>= 0x31F0 and <= 0x31FF) // Katakana phonetic extensions
            or (>= 0x3400 and <= 0x4DBF) // CJK Unified Ideographs Extension A
            or (>= 0x4E00 and <= 0x9FFF) // CJK Unified Ideographs
            or (>= 0xF900 and <= 0xFAFF) // CJK Compatibility Ideographs
            or (>= 0xFF66 and <= 0xFF9F) // Halfwidth Katakana
            or (>= 0x20000 and <= 0x3134F) // Extensions B to G and compatibility supplement
            or 0x3005 or 0x3006 or 0x3007; // 々 〆 〇

    private static readonly CharClass[] AsciiClasses =
    [
        // 0x00–0x2F: controls, space, punctuation
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,

        // 0x30–0x39: digits; 0x3A–0x40: punctuation
        CharClass.Digit, CharClass.Digit, CharClass.Digit, CharClass.Digit, CharClass.Digit,
        CharClass.Digit, CharClass.Digit, CharClass.Digit, CharClass.Digit, CharClass.Digit,
        0, 0, 0, 0, 0, 0, 0,

        // 0x41–0x5A: A–Z; 0x5B–0x60: punctuation
        CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter,
        CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter,
        CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter,
        CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter,
        0, 0, 0, 0, 0, 0,

        // 0x61–0x7A: a–z; 0x7B–0x7F: punctuation, DEL
        CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter,
        CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter,
        CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter,
        CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter, CharClass.Letter,
        0, 0, 0, 0, 0,
    ];

    private enum CharClass
    {
        Other,
        Letter,
        Digit,
        Cjk,
    }

    private readonly struct ListSink(List<string> tokens) : ITokenSink
    {
        public List<string> Tokens { get; } = tokens;

        public void Accept(ReadOnlySpan<char> token) => Tokens.Add(token.ToString());
    }
}
