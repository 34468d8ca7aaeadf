namespace Rerank.Tests.Lexical;

[TestFixture]
public sealed class TextAnalyzerTests
{
    [Test]
    public void Splits_on_spaces_and_punctuation_and_lower_cases_invariantly()
    {
        IReadOnlyList<string> tokens = TextAnalyzer.Default.Analyze("Hello, WORLD! (Émile's) e-mail; ÄÖÜ");

        Assert.That(tokens, Is.EqualTo(new[] { "hello", "world", "émile's", "e", "mail", "äöü" }));
    }

    [Test]
    public void Joiners_follow_the_word_boundary_rules()
    {
        // Apostrophe between letters, full stop and comma between digits, underscore anywhere inside a word join;
        // a trailing or leading joiner, or a full stop between letters, does not.
        IReadOnlyList<string> tokens = TextAnalyzer.Default.Analyze("don't 3.14 1,000 snake_case e.g. rock'n' '90s end. 7.");

        Assert.That(tokens, Is.EqualTo(new[] { "don't", "3.14", "1,000", "snake_case", "e", "g", "rock'n", "90s", "end", "7" }));
    }

    [Test]
    public void The_ascii_fast_path_agrees_with_unicode_categories()
    {
        for (char c = '\0'; c < 128; c++)
        {
            // Between two letters: letters and digits continue the word; ' and _ join; anything else separates.
            string[] expected = char.IsLetterOrDigit(c) || c is '\'' or '_' ? [$"a{char.ToLowerInvariant(c)}b"] : ["a", "b"];

            Assert.That(TextAnalyzer.Default.Analyze($"a{c}b"), Is.EqualTo(expected), $"U+{(int)c:X4}");
        }
    }

    [Test]
    public void A_typographic_apostrophe_matches_a_straight_one()
    {
        Assert.That(TextAnalyzer.Default.Analyze("Don\u2019t"), Is.EqualTo(new[] { "don't" }));
    }

    [Test]
    public void Cjk_runs_become_bigrams_by_default()
    {
        Assert.That(TextAnalyzer.Default.Analyze("东京大学"), Is.EqualTo(new[] { "东京", "京大", "大学" }));
    }

    [Test]
    public void Cjk_runs_become_single_characters_with_unigrams()
    {
        var analyzer = new TextAnalyzer(new TextAnalyzerOptions { CjkTokenization = CjkTokenization.Unigrams });

        Assert.That(analyzer.Analyze("东京大学"), Is.EqualTo(new[] { "东", "京", "大", "学" }));
    }

    [Test]
    public void A_lone_cjk_character_is_a_token_and_cjk_ends_a_latin_word()
    {
        Assert.That(TextAnalyzer.Default.Analyze("我 AI模型训练 すし"), Is.EqualTo(new[] { "我", "ai", "模型", "型训", "训练", "すし" }));
    }

    [Test]
    public void Cjk_outside_the_basic_plane_is_split_by_character_not_by_code_unit()
    {
        // U+20000 and U+20001 (CJK Extension B) are two UTF-16 code units each; their bigram spans four.
        IReadOnlyList<string> tokens = TextAnalyzer.Default.Analyze("\U00020000\U00020001");

        Assert.That(tokens, Is.EqualTo(new[] { "\U00020000\U00020001" }));
        Assert.That(tokens[0], Has.Length.EqualTo(4));
    }

    [Test]
    public void Hangul_is_split_on_spaces_like_other_letters()
    {
        Assert.That(TextAnalyzer.Default.Analyze("안녕하세요 세계"), Is.EqualTo(new[] { "안녕하세요", "세계" }));
    }

    [Test]
    public void Combining_marks_stay_in_their_word()
    {
        Assert.That(TextAnalyzer.Default.Analyze("cafe\u0301 noir"), Is.EqualTo(new[] { "cafe\u0301", "noir" }));
    }

    [Test]
    public void Symbols_and_emoji_separate_tokens()
    {
        Assert.That(TextAnalyzer.Default.Analyze("rock🎸roll $5 a+b"), Is.EqualTo(new[] { "rock", "roll", "5", "a", "b" }));
    }

    [Test]
    public void Lone_surrogates_and_control_characters_are_skipped()
    {
        Assert.That(TextAnalyzer.Default.Analyze("\uD800abc\u0000def\uDC00"), Is.EqualTo(new[] { "abc", "def" }));
    }

    [Test]
    public void English_stop_words_are_removed()
    {
        Assert.That(TextAnalyzer.English.Analyze("The cat is on the mat, and it's not THERE"), Is.EqualTo(new[] { "cat", "mat", "it's" }));
    }

    [Test]
    public void Custom_stop_words_are_lower_cased_when_tokens_are()
    {
        var analyzer = new TextAnalyzer(new TextAnalyzerOptions { StopWords = ["The", "Don\u2019t"] });

        Assert.That(analyzer.Analyze("THE end, don't"), Is.EqualTo(new[] { "end" }));
    }

    [Test]
    public void Lower_casing_can_be_turned_off()
    {
        var analyzer = new TextAnalyzer(new TextAnalyzerOptions { LowerCase = false });

        Assert.That(analyzer.Analyze("NASA Launch"), Is.EqualTo(new[] { "NASA", "Launch" }));
    }

    [Test]
    public void A_custom_tokenizer_replaces_splitting_but_keeps_lower_casing_and_stop_words()
    {
        var analyzer = new TextAnalyzer(new TextAnalyzerOptions
        {
            Tokenizer = text => text.Split('|'),
            StopWords = StopWords.English,
        });

        Assert.That(analyzer.Analyze("New York|THE||Big Apple"), Is.EqualTo(new[] { "new york", "big apple" }));
    }

    [Test]
    public void A_custom_tokenizer_returning_null_gives_no_tokens()
    {
        var analyzer = new TextAnalyzer(new TextAnalyzerOptions { Tokenizer = _ => null! });

        Assert.That(analyzer.Analyze("anything"), Is.Empty);
    }

    [Test]
    public void A_huge_token_is_kept_whole()
    {
        string word = new('A', 100_000);

        IReadOnlyList<string> tokens = TextAnalyzer.Default.Analyze($"x {word} y");

        Assert.That(tokens, Has.Count.EqualTo(3));
        Assert.That(tokens[1], Is.EqualTo(new string('a', 100_000)));
    }

    [Test]
    public void Empty_and_blank_text_give_no_tokens()
    {
        Assert.That(TextAnalyzer.Default.Analyze(""), Is.Empty);
        Assert.That(TextAnalyzer.Default.Analyze(" \t\n...!?"), Is.Empty);
    }

    [Test]
    public void Invalid_settings_and_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.Default.Analyze(null!));
        Assert.Throws<ArgumentException>(() => _ = new TextAnalyzer(new TextAnalyzerOptions { StopWords = ["a", null!] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TextAnalyzer(new TextAnalyzerOptions { CjkTokenization = (CjkTokenization)7 }));
    }

    [Test]
    public void The_english_list_is_lucenes_33_words()
    {
        Assert.That(StopWords.English, Has.Count.EqualTo(33));
        Assert.That(StopWords.English, Does.Contain("the").And.Contain("with").And.Not.Contain("how"));
        Assert.That(TextAnalyzer.English.StopWords, Is.EquivalentTo(StopWords.English));
        Assert.That(TextAnalyzer.Default.StopWords, Is.Empty);
    }

    [Test]
    public void Shared_instances_are_safe_under_concurrency()
    {
        string text = string.Join(' ', Enumerable.Range(0, 200).Select(i => $"Word{i} 东京{i}"));
        IReadOnlyList<string> expected = TextAnalyzer.Default.Analyze(text);

        IReadOnlyList<string>[] results = new IReadOnlyList<string>[32];
        Parallel.For(0, results.Length, i => results[i] = TextAnalyzer.Default.Analyze(text));

        Assert.That(expected, Has.Count.EqualTo(600).And.Contain("word199").And.Contain("东京").And.Contain("199"));
        Assert.That(results, Is.All.EqualTo(expected));
    }
}
