namespace Rerank.Tests.Lexical;

[TestFixture]
public sealed class Bm25RerankerTests
{
    private const double Tolerance = 1e-12;

    private static async Task<double[]> ScoresAsync(IReranker reranker, string query, params string[] documents)
    {
        RerankResponse response = await reranker.RerankAsync(query, documents);
        return [.. response.Results.OrderBy(r => r.Index).Select(r => r.Score)];
    }

    [Test]
    public async Task Worked_example_over_the_candidate_set()
    {
        using var bm25 = new Bm25Reranker();

        double[] scores = await ScoresAsync(bm25, "cat dog", "cat cat dog", "cat fish", "bird");

        // N = 3 documents, lengths 3, 2, 1, so avgdl = 6 / 3 = 2. n(cat) = 2, n(dog) = 1.
        // idf(cat) = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln(1 + 1.5 / 2.5) = ln 1.6       ≈ 0.470004
        // idf(dog) = ln(1 + (3 − 1 + 0.5) / (1 + 0.5)) = ln(1 + 2.5 / 1.5) = ln(8 / 3)   ≈ 0.980829
        // d0: |D| = 3, K = k1 · (1 − b + b · 3 / 2) = 1.2 · (0.25 + 1.125) = 1.65
        //     cat: tf = 2 → 2 · 2.2 / (2 + 1.65) = 4.4 / 3.65 ≈ 1.205479
        //     dog: tf = 1 → 1 · 2.2 / (1 + 1.65) = 2.2 / 2.65 ≈ 0.830189
        //     score = ln 1.6 · 4.4 / 3.65 + ln(8/3) · 2.2 / 2.65 ≈ 0.566580 + 0.814273 = 1.380853
        // d1: |D| = 2, K = 1.2 · (0.25 + 0.75) = 1.2; cat: tf = 1 → 2.2 / 2.2 = 1; score = ln 1.6 ≈ 0.470004
        // d2: no query term → 0
        Assert.That(scores[0], Is.EqualTo((Math.Log(1.6) * 4.4 / 3.65) + (Math.Log(8.0 / 3) * 2.2 / 2.65)).Within(Tolerance));
        Assert.That(scores[0], Is.EqualTo(1.380853059569857).Within(1e-12));
        Assert.That(scores[1], Is.EqualTo(Math.Log(1.6)).Within(Tolerance));
        Assert.That(scores[2], Is.Zero);
    }

    [Test]
    public async Task Worked_example_with_corpus_statistics()
    {
        var statistics = new Bm25CorpusStatistics(1000, 10, new Dictionary<string, long> { ["cat"] = 10, ["dog"] = 500 });
        using var bm25 = new Bm25Reranker(new Bm25Options { CorpusStatistics = statistics });

        double[] scores = await ScoresAsync(bm25, "cat dog", "cat cat dog", "dog");

        // idf(cat) = ln(1 + (1000 − 10 + 0.5) / 10.5) = ln(1 + 990.5 / 10.5) ≈ 4.557380
        // idf(dog) = ln(1 + (1000 − 500 + 0.5) / 500.5) = ln 2 ≈ 0.693147
        // d0: K = 1.2 · (0.25 + 0.75 · 3 / 10) = 1.2 · 0.475 = 0.57
        //     score = idf(cat) · 2 · 2.2 / (2 + 0.57) + ln 2 · 2.2 / (1 + 0.57) ≈ 7.802517 + 0.971289 = 8.773807
        double idfCat = Math.Log(1 + (990.5 / 10.5)), idfDog = Math.Log(2);
        Assert.That(scores[0], Is.EqualTo((idfCat * 4.4 / 2.57) + (idfDog * 2.2 / 1.57)).Within(Tolerance));
        Assert.That(scores[0], Is.EqualTo(8.773806512654632).Within(1e-12));

        // d1: |D| = 1, K = 1.2 · (0.25 + 0.75 · 0.1) = 0.39; dog: 2.2 / 1.39
        Assert.That(scores[1], Is.EqualTo(idfDog * 2.2 / 1.39).Within(Tolerance));
    }

    [Test]
    public async Task Corpus_statistics_from_a_corpus_match_candidate_statistics_over_the_same_texts()
    {
        string[] texts = ["cat cat dog", "cat fish", "bird"];
        using var fromCandidates = new Bm25Reranker();
        using var fromCorpus = new Bm25Reranker(new Bm25Options { CorpusStatistics = Bm25CorpusStatistics.Create(texts) });

        Assert.That(await ScoresAsync(fromCorpus, "cat dog", texts), Is.EqualTo(await ScoresAsync(fromCandidates, "cat dog", texts)).Within(Tolerance));

        Bm25CorpusStatistics statistics = Bm25CorpusStatistics.Create(texts);
        Assert.That(statistics.DocumentCount, Is.EqualTo(3));
        Assert.That(statistics.AverageDocumentLength, Is.EqualTo(2));
        Assert.That(statistics.GetDocumentFrequency("cat"), Is.EqualTo(2), "a term counts once per document");
        Assert.That(statistics.GetDocumentFrequency("unknown"), Is.Zero);
    }

    [Test]
    public async Task Inconsistent_statistics_never_make_a_negative_or_NaN_score()
    {
        // n(cat) = 50 > N = 10 is clamped to N: idf = ln(1 + 0.5 / 10.5) > 0. An average length of 0 disables length normalisation.
        var statistics = new Bm25CorpusStatistics(10, 0, new Dictionary<string, long> { ["cat"] = 50 });
        using var bm25 = new Bm25Reranker(new Bm25Options { CorpusStatistics = statistics });

        double[] scores = await ScoresAsync(bm25, "cat", "cat", "dog");

        // K = 1.2 · (1 − 0.75 + 0.75 · 1) = 1.2, tf = 1 → 2.2 / 2.2 = 1
        Assert.That(scores[0], Is.EqualTo(Math.Log(1 + (0.5 / 10.5))).Within(Tolerance));
        Assert.That(scores[1], Is.Zero);
    }

    [Test]
    public async Task A_term_in_every_candidate_still_counts_a_little()
    {
        using var bm25 = new Bm25Reranker();

        double[] scores = await ScoresAsync(bm25, "cat", "cat", "cat", "dog cat");

        // n = N = 3: idf = ln(1 + 0.5 / 3.5) ≈ 0.133531, positive unlike the classic ln((N − n + 0.5) / (n + 0.5)) < 0.
        Assert.That(scores, Is.All.GreaterThan(0));
        Assert.That(scores[0], Is.GreaterThan(scores[2]), "the shorter document wins");
    }

    [Test]
    public async Task K1_zero_ignores_term_frequency_and_b_zero_ignores_length()
    {
        using var binary = new Bm25Reranker(new Bm25Options { K1 = 0 });
        using var noLength = new Bm25Reranker(new Bm25Options { B = 0 });

        double[] binaryScores = await ScoresAsync(binary, "cat", "cat cat cat", "cat", "dog");
        double[] lengthScores = await ScoresAsync(noLength, "cat", "cat dog dog dog", "cat", "dog");

        // k1 = 0: each term contributes idf · tf · 1 / tf = idf; idf(cat) = ln(1 + 1.5 / 2.5) = ln 1.6.
        Assert.That(binaryScores[0], Is.EqualTo(Math.Log(1.6)).Within(Tolerance));
        Assert.That(binaryScores[1], Is.EqualTo(Math.Log(1.6)).Within(Tolerance));

        // b = 0: K = k1, so a long and a short document with tf = 1 score alike.
        Assert.That(lengthScores[0], Is.EqualTo(lengthScores[1]).Within(Tolerance));
    }

    [Test]
    public async Task A_query_term_repeated_counts_once_per_occurrence()
    {
        using var bm25 = new Bm25Reranker();

        double[] once = await ScoresAsync(bm25, "cat dog", "cat", "dog fish", "bird");
        double[] twice = await ScoresAsync(bm25, "cat cat dog", "cat", "dog fish", "bird");

        Assert.That(twice[0], Is.EqualTo(2 * once[0]).Within(Tolerance));
        Assert.That(twice[1], Is.EqualTo(once[1]).Within(Tolerance));
    }

    [TestCase("???")]
    [TestCase("the of and")]
    public async Task A_query_without_tokens_scores_every_document_zero(string query)
    {
        using var bm25 = new Bm25Reranker(new Bm25Options { Analyzer = TextAnalyzer.English });

        double[] scores = await ScoresAsync(bm25, query, "the cat", "a dog", "");

        Assert.That(scores, Is.All.EqualTo(0));
    }

    [Test]
    public async Task Empty_documents_score_zero_without_NaN()
    {
        using var bm25 = new Bm25Reranker();

        Assert.That(await ScoresAsync(bm25, "cat", "", "", ""), Is.All.EqualTo(0));
        Assert.That(await ScoresAsync(bm25, "cat", "cat"), Has.All.GreaterThan(0).And.All.Not.NaN);
    }

    [Test]
    public async Task Case_and_script_do_not_stop_a_match()
    {
        using var bm25 = new Bm25Reranker();

        RerankResponse latin = await bm25.RerankAsync("PHOTOSYNTHESIS", ["Bread", "photosynthesis in plants"]);
        RerankResponse chinese = await bm25.RerankAsync("东京大学", ["京都大学的历史", "东京大学的历史"]);

        Assert.That(latin.Results[0].Index, Is.EqualTo(1));
        Assert.That(chinese.Results[0].Index, Is.EqualTo(1), "the bigram 东京 only matches the second document");
        Assert.That(chinese.Results[1].Score, Is.GreaterThan(0), "京都大学 shares the bigram 大学");
    }

    [Test]
    public async Task A_thousand_hostile_candidates_score_finitely()
    {
        var random = new Random(7);
        string[] words = ["energy", "plants", "sun", "light", "ÉNERGIE", "能源", "🌞", "\uD800", "don't", "x"];
        var documents = new List<string>();
        for (int i = 0; i < 1000; i++)
        {
            int length = i == 0 ? 200_000 : random.Next(0, 60);
            documents.Add(string.Join(i % 3 == 0 ? " " : ",", Enumerable.Range(0, length).Select(_ => words[random.Next(words.Length)])));
        }

        string query = string.Join(' ', Enumerable.Range(0, 5000).Select(i => $"term{i}")) + " energy 能源";
        using var bm25 = new Bm25Reranker();

        RerankResponse response = await bm25.RerankAsync(query, documents);

        Assert.That(response.Results, Has.Count.EqualTo(1000));
        Assert.That(response.Results.Select(r => r.Score), Is.All.GreaterThanOrEqualTo(0).And.All.LessThan(double.PositiveInfinity));
    }

    [Test]
    public void Cancellation_during_scoring_stops_it()
    {
        using var cts = new CancellationTokenSource();
        int seen = 0;
        var analyzer = new TextAnalyzer(new TextAnalyzerOptions
        {
            Tokenizer = text =>
            {
                if (Interlocked.Increment(ref seen) == 10)
                {
                    cts.Cancel();
                }

                return text.Split(' ');
            },
        });
        using var bm25 = new Bm25Reranker(new Bm25Options { Analyzer = analyzer });
        string[] documents = [.. Enumerable.Range(0, 1000).Select(i => $"doc {i}")];

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => bm25.RerankAsync("doc", documents, cancellationToken: cts.Token));
        Assert.That(seen, Is.LessThan(200), "scoring checks the token every 64 documents");
    }

    [Test]
    public void Failures_travel_in_the_task()
    {
        using var bm25 = new Bm25Reranker();

        Task<RerankResponse> task = bm25.RerankAsync(null!, ["x"]);

        Assert.That(task.IsFaulted, Is.True);
        Assert.ThrowsAsync<ArgumentNullException>(() => task);
    }

    [TestCase(-0.1, 0.75)]
    [TestCase(double.NaN, 0.75)]
    [TestCase(double.PositiveInfinity, 0.75)]
    [TestCase(1.2, -0.01)]
    [TestCase(1.2, 1.01)]
    [TestCase(1.2, double.NaN)]
    public void Out_of_range_parameters_are_rejected(double k1, double b)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Bm25Reranker(new Bm25Options { K1 = k1, B = b }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRerankerBuilder().AddBm25(bm25Options: new Bm25Options { K1 = k1, B = b }));
    }

    [Test]
    public void Invalid_corpus_statistics_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Bm25CorpusStatistics(-1, 1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Bm25CorpusStatistics(1, double.NaN, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Bm25CorpusStatistics(1, -1, []));
        Assert.Throws<ArgumentNullException>(() => _ = new Bm25CorpusStatistics(1, 1, null!));
        Assert.Throws<ArgumentException>(() => _ = new Bm25CorpusStatistics(1, 1, new Dictionary<string, long> { ["x"] = -1 }));
        var ex = Assert.Throws<ArgumentException>(() => Bm25CorpusStatistics.Create(["a", null!]));
        Assert.That(ex!.Message, Does.Contain("index 1"));
    }

    [Test]
    public void GetService_offers_metadata_and_the_analyzer()
    {
        using var bm25 = new Bm25Reranker(new Bm25Options { Analyzer = TextAnalyzer.English });

        Assert.That(bm25.GetService<RerankerMetadata>()!.DefaultModelId, Is.EqualTo("bm25"));
        Assert.That(bm25.GetService<TextAnalyzer>(), Is.SameAs(TextAnalyzer.English));
        Assert.That(bm25.GetService<Bm25Reranker>(), Is.SameAs(bm25));
        Assert.That(bm25.GetService<Bm25Reranker>("key"), Is.Null);
    }
}
