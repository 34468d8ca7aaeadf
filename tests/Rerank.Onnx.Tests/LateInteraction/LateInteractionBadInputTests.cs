using Rerank.Onnx.Tests.Runtime;

namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>The bad inputs of issue 14: punctuation-only and empty documents, truncation, long queries, missing projections, wrong settings.</summary>
public sealed class LateInteractionBadInputTests
{
    private static readonly ColBertGolden Golden = ColBertGolden.Load();

    private static OnnxLateInteractionReranker Create(string? directory = null, Action<OnnxLateInteractionOptions>? configure = null)
    {
        var options = new OnnxLateInteractionOptions(directory ?? ColBertGolden.Directory) { IntraOpNumThreads = 1 };
        configure?.Invoke(options);
        return new OnnxLateInteractionReranker(options);
    }

    [Test]
    public async Task A_document_of_punctuation_only_keeps_its_special_tokens_and_scores_as_the_reference()
    {
        using OnnxLateInteractionReranker reranker = Create();
        ColBertGoldenDocument punctuation = Golden.Documents[3];

        IReadOnlyList<LateInteractionEmbeddings> embeddings = await reranker.EncodeDocumentsAsync([punctuation.Text]);
        RerankResponse response = await reranker.RerankAsync(Golden.Queries[0].Text, [new RerankDocument(punctuation.Text)]);

        Assert.That(embeddings[0].TokenCount, Is.EqualTo(3), "[CLS], [D] and [SEP] survive the skiplist");
        Assert.That(response.Results[0].Score, Is.EqualTo(Golden.Scores[0][3]).Within(1e-4));
    }

    [Test]
    public async Task A_document_empty_after_tokenisation_scores_as_the_reference()
    {
        using OnnxLateInteractionReranker reranker = Create();

        RerankResponse response = await reranker.RerankAsync(Golden.Queries[0].Text, [new RerankDocument(Golden.Documents[4].Text), new RerankDocument("")]);

        Assert.That(response.Results.OrderBy(r => r.Index).Select(r => r.Score), Is.EqualTo(new[] { Golden.Scores[0][4], Golden.Scores[0][2] }).Within(1e-4));
    }

    [Test]
    public async Task A_document_left_without_tokens_by_its_skiplist_scores_zero()
    {
        using OnnxLateInteractionReranker reranker = Create(configure: o => o.SkiplistWords = ["[CLS]", "[D] ", "[SEP]", "short"]);

        IReadOnlyList<LateInteractionEmbeddings> embeddings = await reranker.EncodeDocumentsAsync(["short"]);
        RerankResponse response = await reranker.RerankAsync("anything", [new RerankDocument("short")]);

        Assert.That(embeddings[0].TokenCount, Is.Zero);
        Assert.That(response.Results[0].Score, Is.Zero);
    }

    [Test]
    public async Task A_long_document_is_truncated_and_reported()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        using OnnxLateInteractionReranker reranker = Create(configure: o => o.Logger = logger);
        RerankDocument[] documents = [new("short"), new(Golden.Documents[5].Text)];

        RerankResponse response = await reranker.RerankAsync(Golden.Queries[0].Text, documents);

        var truncations = (IReadOnlyList<LateInteractionTruncation>)response.AdditionalProperties![RerankResponseProperties.LateInteractionTruncations]!;
        Assert.That(truncations, Is.EqualTo(new[] { new LateInteractionTruncation(1, 21, Golden.Documents[5].TokensDropped) }));
        Assert.That(response.AdditionalProperties[RerankResponseProperties.TruncatedDocuments], Is.EqualTo(1));
        Assert.That(logger.Collector.GetSnapshot().Select(r => r.Message), Has.Some.Contains("Truncated 1 of 2 documents"));

        RerankResponse cached = await reranker.RerankAsync(Golden.Queries[1].Text, documents);
        Assert.That(cached.AdditionalProperties![RerankResponseProperties.LateInteractionTruncations], Is.EqualTo(truncations), "a cached document is still reported");
    }

    [Test]
    public async Task A_query_longer_than_the_query_length_is_cut_and_the_drop_reported()
    {
        using OnnxLateInteractionReranker reranker = Create();
        ColBertGoldenQuery longQuery = Golden.Queries[3];

        RerankResponse response = await reranker.RerankAsync(longQuery.Text, Golden.DocumentTexts.Select(t => new RerankDocument(t)));

        Assert.That(response.AdditionalProperties![RerankResponseProperties.LateInteractionQueryTokensDropped], Is.EqualTo(longQuery.TokensDropped));
        Assert.That(response.Results.OrderBy(r => r.Index).Select(r => r.Score), Is.EqualTo(Golden.Scores[3]).Within(1e-4));
    }

    [Test]
    public void A_huge_document_is_tokenised_only_as_far_as_needed()
    {
        using OnnxLateInteractionReranker reranker = Create();
        string huge = string.Concat(Enumerable.Repeat("token after token, ", 200_000)) + "the end";
        string moderate = huge[..10_000];

        var encoding = reranker.Tokenizer.EncodeDocument(huge);

        Assert.That(encoding.InputIds, Is.EqualTo(reranker.Tokenizer.EncodeDocument(moderate).InputIds));
        Assert.That(encoding.TokensDropped, Is.Null, "too long to count");
        Assert.That(encoding.Length, Is.EqualTo(Golden.DocumentLength));
    }

    [Test]
    public async Task MaxTokensPerDocument_caps_the_document_side()
    {
        using OnnxLateInteractionReranker reranker = Create();

        RerankResponse response = await reranker.RerankAsync(Golden.Queries[0].Text, [new RerankDocument(Golden.Documents[0].Text)], new RerankOptions { MaxTokensPerDocument = 5 });

        var truncations = (IReadOnlyList<LateInteractionTruncation>)response.AdditionalProperties![RerankResponseProperties.LateInteractionTruncations]!;
        Assert.That(truncations[0].TokensKept, Is.EqualTo(5));
        Assert.That(response.Results[0].Score, Is.Not.EqualTo(Golden.Scores[0][0]).Within(1e-6));
    }

    [Test]
    public void A_checkpoint_without_a_projection_names_the_missing_file()
    {
        using var folder = new TempModelFolder(ColBertGolden.Directory);
        File.Delete(folder["modules.json"]);
        Directory.Delete(folder["1_Dense"], recursive: true);

        var error = Assert.Throws<OnnxModelNotFoundException>(() => Create(folder.Path).Dispose())!;

        Assert.That(error.Message, Does.Contain(Path.Combine(folder.Path, "1_Dense", "model.safetensors")).And.Contain("ProjectionInGraph"));
        Assert.That(error.SearchedPaths, Does.Contain(folder["modules.json"]));
        using OnnxLateInteractionReranker inGraph = Create(folder.Path, o => o.ModelPath = "onnx/model_projected.onnx");
        Assert.That(inGraph.Dimension, Is.EqualTo(Golden.Dimension), "a graph narrower than the encoder holds the projection");
    }

    [Test]
    public void A_projection_folder_without_its_weights_names_them()
    {
        using var folder = new TempModelFolder(ColBertGolden.Directory);
        File.Delete(folder[Path.Combine("1_Dense", "model.safetensors")]);

        var error = Assert.Throws<OnnxModelNotFoundException>(() => Create(folder.Path).Dispose())!;

        Assert.That(error.Message, Does.Contain(folder[Path.Combine("1_Dense", "model.safetensors")]));
    }

    [Test]
    public void A_corrupt_projection_is_a_load_error_naming_the_file()
    {
        using var folder = new TempModelFolder(ColBertGolden.Directory);
        File.WriteAllBytes(folder[Path.Combine("1_Dense", "model.safetensors")], [255, 255, 255, 255, 0, 0, 0, 0, 1, 2]);

        var error = Assert.Throws<OnnxModelLoadException>(() => Create(folder.Path).Dispose())!;

        Assert.That(error.FilePath, Is.EqualTo(folder[Path.Combine("1_Dense", "model.safetensors")]));
    }

    [Test]
    public void A_marker_missing_from_the_vocabulary_is_a_clear_error()
    {
        var error = Assert.Throws<OnnxModelLoadException>(() => Create(configure: o => o.QueryPrefix = "[QueryMarker]").Dispose())!;

        Assert.That(error.Message, Does.Contain("[QueryMarker]").And.Contain("QueryPrefix"));
    }

    [Test]
    public async Task Colbert_ai_markers_can_be_chosen_instead()
    {
        using OnnxLateInteractionReranker reranker = Create(configure: o =>
        {
            o.QueryPrefix = "[unused0]";
            o.DocumentPrefix = "";
        });

        var query = reranker.Tokenizer.EncodeQuery("hello");
        var document = reranker.Tokenizer.EncodeDocument("hello");

        Assert.That(query.InputIds[..3], Is.EqualTo(new[] { 101, 1, 7592 }));
        Assert.That(document.InputIds, Is.EqualTo(new[] { 101, 7592, 102 }), "an empty prefix adds no marker");
        Assert.That((await reranker.RerankAsync("hello", ["hello"])).Results, Has.Count.EqualTo(1));
    }

    [TestCase(0, null, null)]
    [TestCase(4, 3, null)]
    [TestCase(4, null, 1000)]
    public void Out_of_range_settings_are_rejected(int batchSize, int? queryLength, int? documentLength)
    {
        Assert.That(() => Create(configure: o =>
        {
            o.BatchSize = batchSize;
            o.QueryLength = queryLength;
            o.DocumentLength = documentLength;
        }), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void A_missing_folder_names_the_paths_looked_at()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-colbert-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<OnnxModelNotFoundException>(() => Create(missing).Dispose())!;

        Assert.That(error.Message, Does.Contain(missing));
        Assert.That(() => new OnnxLateInteractionReranker(new OnnxLateInteractionOptions()), Throws.ArgumentException.With.Message.Contains("ModelDirectory"));
    }
}
