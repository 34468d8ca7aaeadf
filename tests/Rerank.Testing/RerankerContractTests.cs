using NUnit.Framework;

namespace Rerank.Testing;

/// <summary>
/// The contract every <see cref="IReranker"/> keeps (see docs/contract.md). Each provider and each middleware has a test
/// fixture that derives from this class; every rule is a test that fails when the rule is broken.
/// </summary>
public abstract class RerankerContractTests
{
    /// <summary>The documents most tests rank. Includes exact duplicates, so that ties are certain.</summary>
    protected static readonly string[] DefaultDocuments =
    [
        "Plants make energy from sunlight through photosynthesis in their leaves.",
        "The stock market fell sharply on Tuesday.",
        "Photosynthesis converts light energy into chemical energy.",
        "A recipe for sourdough bread with a crisp crust.",
        "Sunlight is absorbed by chlorophyll, which plants use to make sugar.",
        "The stock market fell sharply on Tuesday.",
        "Solar panels turn sunlight into electricity.",
        "How do bees make honey from nectar?",
        "The stock market fell sharply on Tuesday.",
        "Energy drinks contain caffeine and sugar.",
    ];

    /// <summary>Creates the reranker under test. Called once per test; the test disposes it.</summary>
    protected abstract IReranker CreateReranker();

    /// <summary>
    /// Gets the number of calls that reached the backend (the model, the network, the innermost reranker) since the
    /// current reranker was created.
    /// </summary>
    protected abstract long BackendCallCount { get; }

    /// <summary>Gets the query most tests use.</summary>
    protected virtual string Query => "how do plants make energy from sunlight";

    /// <summary>Gets the documents most tests rank.</summary>
    protected virtual IReadOnlyList<string> Documents => DefaultDocuments;

    /// <summary>Gets how far apart two scores of the same pair may be across calls (batching, padding, concurrency).</summary>
    protected virtual double ScoreTolerance => 1e-6;

    /// <summary>Gets a value indicating whether a document's score is independent of the other documents in the call.</summary>
    /// <remarks>True for pointwise rerankers; a listwise or set-normalised reranker (RRF, min-max fusion) overrides it with false.</remarks>
    protected virtual bool ScoresArePointwise => true;

    private IReranker? _reranker;

    /// <summary>Gets the reranker of the current test.</summary>
    protected IReranker Reranker => _reranker ??= CreateReranker();

    /// <summary>Disposes the current test's reranker.</summary>
    [TearDown]
    public void DisposeReranker()
    {
        _reranker?.Dispose();
        _reranker = null;
    }

    /// <summary>
    /// Gets the first-stage score <see cref="ToDocuments"/> gives a document with this text; <see langword="null"/> (none)
    /// by default. A fixture of a layer that reads first-stage scores (selective reranking) gives one, a function of the
    /// text alone, so that identical texts still tie.
    /// </summary>
    protected virtual double? FirstStageScore(string text) => null;

    /// <summary>Makes the documents of a call.</summary>
    protected List<RerankDocument> ToDocuments(IEnumerable<string> texts) => texts.Select((t, i) => new RerankDocument(t) { Id = $"doc-{i}", Score = FirstStageScore(t) }).ToList();

    [Test]
    public async Task Results_are_ordered_by_score_descending_and_cover_every_document()
    {
        List<RerankDocument> documents = ToDocuments(Documents);

        RerankResponse response = await Reranker.RerankAsync(Query, documents);

        Assert.That(response.Results, Has.Count.EqualTo(documents.Count), "without TopN or ScoreThreshold every document comes back");
        for (int i = 1; i < response.Results.Count; i++)
        {
            Assert.That(response.Results[i].Score, Is.LessThanOrEqualTo(response.Results[i - 1].Score), $"result {i} scores above result {i - 1}");
        }
    }

    [Test]
    public async Task Equal_scores_keep_their_input_order()
    {
        List<RerankDocument> documents = ToDocuments(Documents);
        int[] duplicates = Enumerable.Range(0, documents.Count).Where(i => Documents.Count(d => d == Documents[i]) > 1).ToArray();
        Assert.That(duplicates, Is.Not.Empty, "the fixture's Documents must contain exact duplicates, or this test checks nothing");

        RerankResponse response = await Reranker.RerankAsync(Query, documents);

        foreach (IGrouping<string, RerankResult> group in response.Results.GroupBy(r => r.Document.Text).Where(g => g.Count() > 1))
        {
            double first = group.First().Score;
            Assert.That(group.Select(r => r.Score), Is.All.EqualTo(first).Within(ScoreTolerance), $"identical texts must score alike: '{group.Key}'");
        }

        for (int i = 1; i < response.Results.Count; i++)
        {
            RerankResult previous = response.Results[i - 1], current = response.Results[i];
            if (previous.Score == current.Score)
            {
                Assert.That(current.Index, Is.GreaterThan(previous.Index), $"results {i - 1} and {i} tie at {current.Score} but are not in input order");
            }
        }

        // Identical texts in the same call must land in input order relative to one another.
        foreach (IGrouping<string, RerankResult> group in response.Results.GroupBy(r => r.Document.Text).Where(g => g.Count() > 1))
        {
            int[] indices = group.Select(r => r.Index).ToArray();
            if (group.Select(r => r.Score).Distinct().Count() == 1)
            {
                Assert.That(indices, Is.Ordered.Ascending, $"tied duplicates of '{group.Key}' are out of input order");
            }
        }
    }

    [Test]
    public async Task Index_points_back_into_the_input_and_the_document_is_the_callers()
    {
        List<RerankDocument> documents = ToDocuments(Documents);

        RerankResponse response = await Reranker.RerankAsync(Query, documents);

        Assert.That(response.Results.Select(r => r.Index), Is.Unique);
        foreach (RerankResult result in response.Results)
        {
            Assert.That(result.Index, Is.InRange(0, documents.Count - 1));
            Assert.That(result.Document, Is.SameAs(documents[result.Index]), $"result for index {result.Index} carries another document");
        }
    }

    [Test]
    public void Metadata_declares_score_semantics_and_a_scoring_fingerprint()
    {
        RerankerMetadata? metadata = Reranker.GetService(typeof(RerankerMetadata)) as RerankerMetadata;

        Assert.That(metadata, Is.Not.Null, "GetService(typeof(RerankerMetadata)) must answer");
        Assert.That(metadata!.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.Pointwise).Or.EqualTo(RerankScoreSemantics.CandidateSetDependent), "the layers that cache, split, chunk or coalesce refuse Unspecified");
        Assert.That(metadata.ScoringFingerprint, Is.Not.Null.And.Not.Empty, "a score cache keys on it");
    }

    [Test]
    public async Task A_reranker_declared_pointwise_scores_each_document_alike_in_any_candidate_set()
    {
        if (Reranker.GetService(typeof(RerankerMetadata)) is not RerankerMetadata { ScoreSemantics: RerankScoreSemantics.Pointwise })
        {
            Assert.Ignore("Not applicable: the reranker does not declare pointwise scores.");
        }

        // A declaration the scores do not keep would let a cache or a batching layer return scores the reranker never gives.
        List<RerankDocument> documents = ToDocuments(Documents);
        RerankResponse all = await Reranker.RerankAsync(Query, documents);
        Dictionary<RerankDocument, double> inFull = all.Results.ToDictionary(r => r.Document, r => r.Score);
        for (int i = 0; i + 1 < documents.Count; i += 3)
        {
            RerankResponse pair = await Reranker.RerankAsync(Query, [documents[i], documents[^1]]);
            foreach (RerankResult result in pair.Results)
            {
                Assert.That(result.Score, Is.EqualTo(inFull[result.Document]).Within(ScoreTolerance), $"'{result.Document.Text}' scores differently next to other candidates, though declared pointwise");
            }
        }
    }

    [Test]
    public async Task A_documents_score_does_not_depend_on_input_order()
    {
        if (!ScoresArePointwise)
        {
            // Ignore, not Assume: the NUnit adapter reports an inconclusive test as passed, which would hide the skip.
            Assert.Ignore("Not applicable: this reranker's scores depend on the candidate set (ScoresArePointwise is false).");
        }
        List<RerankDocument> documents = ToDocuments(Documents);
        List<RerankDocument> reversed = Enumerable.Reverse(documents).ToList();

        RerankResponse forward = await Reranker.RerankAsync(Query, documents);
        RerankResponse backward = await Reranker.RerankAsync(Query, reversed);

        Dictionary<RerankDocument, double> backwardScores = backward.Results.ToDictionary(r => r.Document, r => r.Score);
        foreach (RerankResult result in forward.Results)
        {
            Assert.That(backwardScores[result.Document], Is.EqualTo(result.Score).Within(ScoreTolerance), $"'{result.Document.Text}' scores differently when the input is reversed");
            Assert.That(reversed[backward.Results.First(r => ReferenceEquals(r.Document, result.Document)).Index], Is.SameAs(result.Document));
        }
    }

    [Test]
    public async Task TopN_null_returns_all()
    {
        RerankResponse response = await Reranker.RerankAsync(Query, ToDocuments(Documents), new RerankOptions { TopN = null });

        Assert.That(response.Results, Has.Count.EqualTo(Documents.Count));
    }

    [Test]
    public async Task TopN_one_returns_the_best()
    {
        List<RerankDocument> documents = ToDocuments(Documents);
        RerankResponse all = await Reranker.RerankAsync(Query, documents);

        RerankResponse top = await Reranker.RerankAsync(Query, documents, new RerankOptions { TopN = 1 });

        Assert.That(top.Results, Has.Count.EqualTo(1));
        Assert.That(top.Results[0].Index, Is.EqualTo(all.Results[0].Index));
        Assert.That(top.Results[0].Score, Is.EqualTo(all.Results[0].Score).Within(ScoreTolerance));
    }

    [Test]
    public async Task TopN_is_a_prefix_of_the_full_ranking()
    {
        List<RerankDocument> documents = ToDocuments(Documents);
        RerankResponse all = await Reranker.RerankAsync(Query, documents);

        RerankResponse top = await Reranker.RerankAsync(Query, documents, new RerankOptions { TopN = 3 });

        Assert.That(top.Results.Select(r => r.Index), Is.EqualTo(all.Results.Take(3).Select(r => r.Index)));
    }

    [Test]
    public async Task TopN_larger_than_the_input_returns_all()
    {
        RerankResponse response = await Reranker.RerankAsync(Query, ToDocuments(Documents), new RerankOptions { TopN = Documents.Count + 100 });

        Assert.That(response.Results, Has.Count.EqualTo(Documents.Count));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void TopN_below_one_is_rejected(int topN)
    {
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Reranker.RerankAsync(Query, ToDocuments(Documents), new RerankOptions { TopN = topN }));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Reranker.RerankAsync(Query, [], new RerankOptions { TopN = topN }), "arguments are checked before the empty-input shortcut");
        Assert.That(BackendCallCount, Is.Zero);
    }

    [Test]
    public void A_NaN_ScoreThreshold_and_MaxTokensPerDocument_below_one_are_rejected()
    {
        foreach (RerankOptions options in new[] { new RerankOptions { ScoreThreshold = double.NaN }, new RerankOptions { MaxTokensPerDocument = 0 } })
        {
            Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Reranker.RerankAsync(Query, ToDocuments(Documents), options));
            Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Reranker.RerankAsync(Query, [], options), "arguments are checked before the empty-input shortcut");
        }

        Assert.That(BackendCallCount, Is.Zero);
    }

    [Test]
    public async Task ScoreThreshold_drops_results_below_it()
    {
        List<RerankDocument> documents = ToDocuments(Documents);
        RerankResponse all = await Reranker.RerankAsync(Query, documents);
        double threshold = all.Results[all.Results.Count / 2].Score;
        int expected = all.Results.Count(r => r.Score >= threshold);

        RerankResponse filtered = await Reranker.RerankAsync(Query, documents, new RerankOptions { ScoreThreshold = threshold });

        Assert.That(filtered.Results.Select(r => r.Score), Is.All.GreaterThanOrEqualTo(threshold));
        Assert.That(filtered.Results, Has.Count.EqualTo(expected).Within(1), "a result exactly at the threshold may move by rounding, no more");
        Assert.That(filtered.Results, Has.Count.LessThan(all.Results.Count));
    }

    [Test]
    public async Task ScoreThreshold_above_every_score_returns_nothing()
    {
        RerankResponse response = await Reranker.RerankAsync(Query, ToDocuments(Documents), new RerankOptions { ScoreThreshold = double.MaxValue });

        Assert.That(response.Results, Is.Empty);
    }

    [Test]
    public async Task Empty_input_returns_an_empty_response_without_a_backend_call()
    {
        RerankResponse response = await Reranker.RerankAsync(Query, Array.Empty<RerankDocument>());

        Assert.That(response.Results, Is.Empty);
        Assert.That(BackendCallCount, Is.Zero);
    }

    [Test]
    public void Null_query_throws_ArgumentNullException()
    {
        Assert.ThrowsAsync<ArgumentNullException>(() => Reranker.RerankAsync(null!, ToDocuments(Documents)));
        Assert.That(BackendCallCount, Is.Zero);
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Empty_query_throws_ArgumentException(string query)
    {
        Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => Reranker.RerankAsync(query, ToDocuments(Documents)));
        Assert.That(BackendCallCount, Is.Zero);
    }

    [Test]
    public void Null_documents_throw_ArgumentNullException()
    {
        Assert.ThrowsAsync<ArgumentNullException>(() => Reranker.RerankAsync(Query, null!));
    }

    [Test]
    public void A_null_document_throws_ArgumentException_naming_its_index()
    {
        List<RerankDocument> documents = ToDocuments(Documents);
        documents[2] = null!;

        var ex = Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => Reranker.RerankAsync(Query, documents));

        Assert.That(ex!.Message, Does.Contain("index 2"));
        Assert.That(((ArgumentException)ex).ParamName, Is.EqualTo("documents"), "the exception names the argument that holds the null");
        Assert.That(BackendCallCount, Is.Zero);
    }

    [Test]
    public void A_null_string_document_throws_ArgumentException_naming_its_index()
    {
        string?[] texts = [.. Documents];
        texts[3] = null;

        var ex = Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => Reranker.RerankAsync(Query, texts!));

        Assert.That(ex!.Message, Does.Contain("index 3"));
        Assert.That(BackendCallCount, Is.Zero);
    }

    [Test]
    public async Task Empty_document_text_is_scored()
    {
        RerankResponse response = await Reranker.RerankAsync(Query, ToDocuments(["", .. Documents.Take(2)]));

        Assert.That(response.Results, Has.Count.EqualTo(3));
        Assert.That(response.Results.Select(r => r.Score), Is.All.Not.NaN);
    }

    [Test]
    public async Task The_documents_sequence_is_enumerated_once()
    {
        int enumerations = 0;
        IEnumerable<RerankDocument> Lazy()
        {
            enumerations++;
            foreach (RerankDocument d in ToDocuments(Documents))
            {
                yield return d;
            }
        }

        RerankResponse response = await Reranker.RerankAsync(Query, Lazy());

        Assert.That(enumerations, Is.EqualTo(1));
        Assert.That(response.Results, Has.Count.EqualTo(Documents.Count));
    }

    [Test]
    public async Task The_callers_options_are_not_changed()
    {
        var options = new RerankOptions { TopN = 3, AdditionalProperties = new Dictionary<string, object?> { ["caller"] = "value" } };

        await Reranker.RerankAsync(Query, ToDocuments(Documents), options);

        Assert.That(options.TopN, Is.EqualTo(3));
        Assert.That(options.ScoreThreshold, Is.Null);
        Assert.That(options.MaxTokensPerDocument, Is.Null);
        Assert.That(options.AdditionalProperties, Is.EquivalentTo(new Dictionary<string, object?> { ["caller"] = "value" }));
    }

    [Test]
    public void A_cancelled_token_stops_the_call_before_the_backend()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => Reranker.RerankAsync(Query, ToDocuments(Documents), cancellationToken: cts.Token));
        Assert.That(BackendCallCount, Is.Zero);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Sixty_four_concurrent_callers_get_the_same_answers_as_one()
    {
        const int Callers = 64;
        var calls = Enumerable.Range(0, Callers).Select(i =>
        {
            // Each caller ranks a different rotation of the documents, so mixed-up responses would be caught.
            List<string> texts = [.. Documents.Skip(i % Documents.Count), .. Documents.Take(i % Documents.Count)];
            return (Query: i % 2 == 0 ? Query : Query + " leaves", Documents: ToDocuments(texts));
        }).ToArray();

        var expected = new RerankResponse[Callers];
        for (int i = 0; i < Callers; i++)
        {
            expected[i] = await Reranker.RerankAsync(calls[i].Query, calls[i].Documents);
        }

        using var start = new ManualResetEventSlim();
        Task<RerankResponse>[] tasks = calls.Select(c => Task.Run(() =>
        {
            start.Wait();
            return Reranker.RerankAsync(c.Query, c.Documents);
        })).ToArray();
        start.Set();
        RerankResponse[] actual = await Task.WhenAll(tasks);

        for (int i = 0; i < Callers; i++)
        {
            Assert.That(actual[i].Results.Select(r => r.Document), Is.EquivalentTo(calls[i].Documents), $"caller {i} got another caller's documents");
            foreach (RerankResult result in actual[i].Results)
            {
                Assert.That(result.Document, Is.SameAs(calls[i].Documents[result.Index]));
                double alone = expected[i].Results.Single(r => r.Index == result.Index).Score;
                Assert.That(result.Score, Is.EqualTo(alone).Within(ScoreTolerance), $"caller {i}, index {result.Index}");
            }
        }
    }

    [Test]
    public void GetService_rejects_a_null_type_and_finds_IReranker()
    {
        Assert.Throws<ArgumentNullException>(() => Reranker.GetService(null!));
        Assert.That(Reranker.GetService(typeof(IReranker)), Is.SameAs(Reranker), "asked for IReranker, the outermost reranker answers for itself");
        Assert.That(Reranker.GetService(typeof(string)), Is.Null);
    }

    [Test]
    public void After_Dispose_calls_throw_ObjectDisposedException_and_Dispose_is_idempotent()
    {
        IReranker reranker = Reranker;
        reranker.Dispose();

        Assert.DoesNotThrow(reranker.Dispose);
        Assert.ThrowsAsync<ObjectDisposedException>(() => reranker.RerankAsync(Query, ToDocuments(Documents)));
    }
}
