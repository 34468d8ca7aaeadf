namespace Rerank.Tests.Middleware.LongDocuments;

[TestFixture]
public sealed class TextChunkerTests
{
    [Test]
    public void Chunks_are_cut_between_words_fit_the_window_and_overlap()
    {
        string text = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"w{i:D2}")); // 40 words of 3 chars
        var chunker = new TextChunker(window: 20, overlap: 8, length: null);

        List<(int Start, int Length)> chunks = chunker.Split(text, int.MaxValue, out _);
        string[] texts = [.. chunks.Select(c => text.Substring(c.Start, c.Length))];

        Assert.That(texts[0], Is.EqualTo("w00 w01 w02 w03 w04"));
        Assert.That(texts[1], Does.StartWith("w03 w04 "), "two words (8 characters) of overlap");
        Assert.That(texts.Select(t => t.Length), Is.All.LessThanOrEqualTo(20));
        Assert.That(texts, Has.All.Not.StartWith(" ").And.Not.EndWith(" "));
        Assert.That(texts[^1], Does.EndWith("w39"));
        string[] allWords = [.. texts.SelectMany(t => t.Split(' ')).Distinct()];
        Assert.That(allWords, Has.Length.EqualTo(40), "every word is in some chunk");
    }

    [Test]
    public void A_word_longer_than_the_window_is_cut_and_surrogate_pairs_are_never_split()
    {
        string emoji = "\U0001F600"; // a surrogate pair
        string text = "start " + string.Concat(Enumerable.Repeat("a" + emoji, 20)) + " end";
        var chunker = new TextChunker(window: 8, overlap: 2, length: null);

        List<(int Start, int Length)> chunks = chunker.Split(text, int.MaxValue, out _);

        Assert.That(chunks.Select(c => c.Length), Is.All.LessThanOrEqualTo(8));
        foreach ((int start, int length) in chunks)
        {
            Assert.That(char.IsLowSurrogate(text[start]), Is.False, $"chunk at {start} starts inside a pair");
            Assert.That(char.IsHighSurrogate(text[start + length - 1]), Is.False, $"chunk at {start} ends inside a pair");
        }

        Assert.That(string.Concat(chunks.Select(c => text.Substring(c.Start, c.Length))), Does.Contain("end"));
    }

    [Test]
    public void A_token_length_function_measures_the_window_in_tokens()
    {
        // Words as tokens: a window of 5 words with 2 words of overlap.
        static int Words(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        string text = string.Join(' ', Enumerable.Range(0, 12).Select(i => $"word{i}"));
        var chunker = new TextChunker(window: 5, overlap: 2, length: Words);

        string[] texts = [.. chunker.Split(text, int.MaxValue, out _).Select(c => text.Substring(c.Start, c.Length))];

        Assert.That(texts, Is.EqualTo(new[]
        {
            "word0 word1 word2 word3 word4",
            "word3 word4 word5 word6 word7",
            "word6 word7 word8 word9 word10",
            "word9 word10 word11",
        }));
    }

    [Test]
    public void White_space_only_and_single_character_windows_still_advance()
    {
        var chunker = new TextChunker(window: 1, overlap: 0, length: null);

        Assert.That(chunker.Split("abc", int.MaxValue, out _), Is.EqualTo(new[] { (0, 1), (1, 1), (2, 1) }));
        Assert.That(new TextChunker(10, 3, null).Split(new string(' ', 35), int.MaxValue, out _), Is.EqualTo(new[] { (0, 10) }), "white space alone is one window of it");
        Assert.That(new TextChunker(9, 0, null).Split("   aaaa bbbb cccc   ", int.MaxValue, out _), Is.EqualTo(new[] { (3, 9), (13, 4) }), "leading and trailing white space is left out");
    }
}
