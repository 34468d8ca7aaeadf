namespace Rerank.Tests.Llm;

/// <summary>The output parser on its own: forms it accepts and forms it refuses.</summary>
[TestFixture]
public sealed class LlmOutputParserTests
{
    [TestCase("d3", 3)]
    [TestCase("D12", 12)]
    [TestCase(" [4] ", 4)]
    [TestCase("[d2]", 2)]
    [TestCase("7", 7)]
    [TestCase("0", -1)]
    [TestCase("-1", -1)]
    [TestCase("d", -1)]
    [TestCase("3.0", -1)]
    [TestCase("doc3", -1)]
    [TestCase("99999999999", -1)]
    [TestCase("", -1)]
    [TestCase(null, -1)]
    public void ParseId_reads_only_plain_positive_ids(string? raw, int expected)
    {
        Assert.That(LlmOutputParser.ParseId(raw), Is.EqualTo(expected));
    }

    [Test]
    public void ParseScores_reads_the_canonical_form_a_map_a_bare_array_and_a_single_entry()
    {
        Assert.That(LlmOutputParser.ParseScores("""{"scores":[{"id":"d1","score":7},{"id":"d2","score":1.5}]}"""),
            Is.EqualTo(new[] { new LlmOutputParser.ScoreEntry("d1", 7), new LlmOutputParser.ScoreEntry("d2", 1.5) }));
        Assert.That(LlmOutputParser.ParseScores("""{"Scores":{"d1":7,"d2":"3"}}"""),
            Is.EqualTo(new[] { new LlmOutputParser.ScoreEntry("d1", 7), new LlmOutputParser.ScoreEntry("d2", 3) }));
        Assert.That(LlmOutputParser.ParseScores("""[{"id":"d2","relevance":4}]"""), Is.EqualTo(new[] { new LlmOutputParser.ScoreEntry("d2", 4) }));
        Assert.That(LlmOutputParser.ParseScores("""{"id":"d1","score":6}"""), Is.EqualTo(new[] { new LlmOutputParser.ScoreEntry("d1", 6) }));
        Assert.That(LlmOutputParser.ParseScores("""{"result":{"output":{"scores":[{"id":"d2","score":3}]}}}"""), Is.EqualTo(new[] { new LlmOutputParser.ScoreEntry("d2", 3) }));
        Assert.That(LlmOutputParser.ParseScores("""{"a":{"b":{"c":{"d":{"scores":[{"id":"d2","score":3}]}}}}}"""), Is.Null, "nesting is looked into only three levels deep");
    }

    [Test]
    public void ParseScores_skips_json_that_holds_no_scores_and_finds_the_one_that_does()
    {
        string output = "Thinking {\"step\": 1} ... [1, 2] ... {bad json: } final: ```json\n{\"scores\":[{\"id\":\"d1\",\"score\":8,}]}\n```";

        Assert.That(LlmOutputParser.ParseScores(output), Is.EqualTo(new[] { new LlmOutputParser.ScoreEntry("d1", 8) }));
    }

    [TestCase("")]
    [TestCase("no numbers here")]
    [TestCase("[9, 1, 5]")]
    [TestCase("""{"scores":[9,1,5]}""")]
    [TestCase("Step 1: 5 documents were read. Score: 7")]
    public void ParseScores_finds_nothing_without_ids(string output)
    {
        List<LlmOutputParser.ScoreEntry>? entries = LlmOutputParser.ParseScores(output);

        Assert.That(entries is null || entries.Count == 0, Is.True);
    }

    [Test]
    public void ParseScores_keeps_a_non_numeric_score_as_NaN_so_it_counts_as_missing()
    {
        List<LlmOutputParser.ScoreEntry>? entries = LlmOutputParser.ParseScores("""{"scores":[{"id":"d1","score":"high"},{"id":"d2","score":null}]}""");

        Assert.That(entries!.Select(e => double.IsNaN(e.Score)), Is.All.True);
    }

    [TestCase("""{"ranking":[2,1]}""", new[] { "2", "1" })]
    [TestCase("""{"order":["[2]","[1]"]}""", new[] { "[2]", "[1]" })]
    [TestCase("[2] > [1] > [3]", new[] { "2", "1", "3" })]
    [TestCase("[2,1,3]", new[] { "2", "1", "3" })]
    [TestCase("```\n2 > 1 > 3\n```", new[] { "2", "1", "3" })]
    [TestCase("2, 1, 3", new[] { "2", "1", "3" })]
    [TestCase("[2]", new[] { "2" })]
    [TestCase("""{"answer":{"result":{"ranking":[2,1]}}}""", new[] { "2", "1" })]
    public void ParseRanking_reads_json_and_text_permutations(string output, string[] expected)
    {
        Assert.That(LlmOutputParser.ParseRanking(output), Is.EqualTo(expected));
    }

    [TestCase("[2] is weak, [5] better: [5] > [2] > [1]", new[] { "5", "2", "1" })]
    [TestCase("[2] and [1] are close; [1] edges it.", new[] { "2", "1", "1" })]
    [TestCase("""{"ranking":[3, null, "d1", true, 2]}""", new[] { "3", "null", "d1", "true", "2" })]
    [TestCase("""{"ranking":[3,1,2]} then {"ranking":[1,2,3]}""", new[] { "1", "2", "3" })]
    [TestCase("The scores went 0.9 > 0.5 for [2] and [1]", new[] { "2", "1" })]
    public void ParseRanking_prefers_a_ranking_to_mentions_and_the_last_of_equals(string output, string[] expected)
    {
        Assert.That(LlmOutputParser.ParseRanking(output), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("The best passage is the second one.")]
    [TestCase("I read 3 passages and 2 are relevant.")]
    public void ParseRanking_finds_nothing_in_prose_without_ids(string output)
    {
        Assert.That(LlmOutputParser.ParseRanking(output), Is.Null);
    }

    [Test]
    [CancelAfter(30_000)]
    public void Pathological_output_is_parsed_in_bounded_work()
    {
        // Thousands of unterminated objects: each failed parse reads to the end; the attempt cap keeps this linear-ish.
        string output = string.Concat(Enumerable.Repeat("{\"a\":[", 20_000)) + " d1: 4";

        Assert.That(LlmOutputParser.ParseScores(output), Is.EqualTo(new[] { new LlmOutputParser.ScoreEntry("d1", 4) }));
        Assert.That(LlmOutputParser.ParseRanking(string.Concat(Enumerable.Repeat("1 ", 50_000)) + "x"), Is.Null);
    }
}
