namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>
/// The reranker against the reference built from PyLate's algorithm over transformers.js ids and onnxruntime-node
/// hidden states: ids, masks and skiplist id by id, embeddings and MaxSim scores to 1e-4.
/// </summary>
public sealed class LateInteractionGoldenTests
{
    private const double Tolerance = 1e-4;
    private static readonly ColBertGolden Golden = ColBertGolden.Load();

    private static OnnxLateInteractionReranker Create(Action<OnnxLateInteractionOptions>? configure = null)
    {
        var options = new OnnxLateInteractionOptions(ColBertGolden.Directory) { IntraOpNumThreads = 1, BatchSize = 4 };
        configure?.Invoke(options);
        return new OnnxLateInteractionReranker(options);
    }

    [Test]
    public void Settings_are_read_from_the_checkpoint()
    {
        using OnnxLateInteractionReranker reranker = Create();

        Assert.Multiple(() =>
        {
            Assert.That(reranker.QueryLength, Is.EqualTo(Golden.QueryLength));
            Assert.That(reranker.DocumentLength, Is.EqualTo(Golden.DocumentLength));
            Assert.That(reranker.Dimension, Is.EqualTo(Golden.Dimension));
            Assert.That(reranker.Tokenizer.QueryPrefixId, Is.EqualTo(Golden.QueryPrefixId), "PyLate's added [Q] token");
            Assert.That(reranker.Tokenizer.DocumentPrefixId, Is.EqualTo(Golden.DocumentPrefixId), "PyLate's added [D] token");
            Assert.That(reranker.Tokenizer.Skiplist, Is.EqualTo(Golden.Skiplist), "string.punctuation through convert_tokens_to_ids");
        });
    }

    [Test]
    public void Queries_are_laid_out_id_by_id()
    {
        using OnnxLateInteractionReranker reranker = Create();
        using OnnxLateInteractionReranker attending = Create(o => o.AttendToExpansionTokens = true);

        foreach (ColBertGoldenQuery query in Golden.Queries)
        {
            var encoding = reranker.Tokenizer.EncodeQuery(query.Text);
            Assert.That(encoding.InputIds, Is.EqualTo(query.InputIds), query.Text);
            Assert.That(encoding.AttentionMask, Is.EqualTo(query.AttentionMask), query.Text);
            Assert.That(encoding.Keep, Is.All.True, "every query position is kept, expansion tokens included");
            Assert.That(encoding.TokensDropped, Is.EqualTo(query.TokensDropped), query.Text);
            Assert.That(attending.Tokenizer.EncodeQuery(query.Text).AttentionMask, Is.EqualTo(query.AttentionMaskAttending), query.Text);
        }
    }

    [Test]
    public void Documents_are_laid_out_id_by_id_with_the_skiplist()
    {
        using OnnxLateInteractionReranker reranker = Create();

        foreach (ColBertGoldenDocument document in Golden.Documents)
        {
            var encoding = reranker.Tokenizer.EncodeDocument(document.Text);
            Assert.That(encoding.InputIds, Is.EqualTo(document.InputIds), document.Text);
            Assert.That(encoding.AttentionMask, Is.EqualTo(document.AttentionMask), document.Text);
            Assert.That(encoding.Keep.Select(k => k ? 1 : 0), Is.EqualTo(document.SkiplistMask), document.Text);
            Assert.That(encoding.TokensDropped, Is.EqualTo(document.TokensDropped), document.Text);
        }
    }

    [Test]
    public async Task Document_embeddings_match_the_reference()
    {
        using OnnxLateInteractionReranker reranker = Create();

        IReadOnlyList<LateInteractionEmbeddings> embeddings = await reranker.EncodeDocumentsAsync(Golden.DocumentTexts);

        for (int d = 0; d < Golden.Documents.Count; d++)
        {
            float[][] expected = Golden.Documents[d].Embeddings;
            Assert.That(embeddings[d].TokenCount, Is.EqualTo(expected.Length), Golden.Documents[d].Text);
            for (int t = 0; t < expected.Length; t++)
            {
                Assert.That(embeddings[d].GetToken(t).ToArray(), Is.EqualTo(expected[t]).Within(1e-5), $"document {d} token {t}");
            }
        }
    }

    [TestCase("onnx/model.onnx", false)]
    [TestCase("onnx/model_projected.onnx", false)]
    [TestCase("onnx/model.onnx", true)]
    public async Task Scores_match_the_reference_MaxSim(string onnxFile, bool attend)
    {
        using OnnxLateInteractionReranker reranker = Create(o =>
        {
            o.ModelPath = onnxFile;
            o.AttendToExpansionTokens = attend;
        });
        double[][] expected = attend ? Golden.ScoresAttending : Golden.Scores;

        for (int q = 0; q < Golden.Queries.Count; q++)
        {
            if (string.IsNullOrWhiteSpace(Golden.Queries[q].Text))
            {
                continue; // The contract rejects a blank query; its layout is checked above.
            }

            RerankResponse response = await reranker.RerankAsync(Golden.Queries[q].Text, Golden.DocumentTexts.Select(t => new RerankDocument(t)));
            double[] scores = [.. response.Results.OrderBy(r => r.Index).Select(r => r.Score)];
            Assert.That(scores, Is.EqualTo(expected[q]).Within(Tolerance), $"{onnxFile}, query {q}: {Golden.Queries[q].Text}");
        }
    }

    [Test]
    public async Task Scores_do_not_depend_on_the_batch_size()
    {
        using OnnxLateInteractionReranker one = Create(o => o.BatchSize = 1);
        using OnnxLateInteractionReranker three = Create(o => o.BatchSize = 3);
        RerankDocument[] documents = [.. Golden.DocumentTexts.Select(t => new RerankDocument(t))];

        RerankResponse a = await one.RerankAsync(Golden.Queries[0].Text, documents);
        RerankResponse b = await three.RerankAsync(Golden.Queries[0].Text, documents);

        Assert.That(b.Results.Select(r => r.Score), Is.EqualTo(a.Results.Select(r => r.Score)).Within(1e-5));
        Assert.That(b.Usage!.AdditionalCounts!["batches"], Is.LessThan(a.Usage!.AdditionalCounts!["batches"]));
    }

    [Test]
    public void Metadata_is_pointwise_with_a_fingerprint_of_every_scoring_setting()
    {
        using OnnxLateInteractionReranker reranker = Create();
        using OnnxLateInteractionReranker attending = Create(o => o.AttendToExpansionTokens = true);

        RerankerMetadata metadata = reranker.GetService<RerankerMetadata>()!;

        Assert.That(metadata.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.Pointwise));
        Assert.That(metadata.ProviderName, Is.EqualTo(OnnxLateInteractionReranker.ProviderName));
        Assert.That(metadata.DefaultModelId, Is.EqualTo(ColBertGolden.Model));
        Assert.That(metadata.ScoringFingerprint, Does.Contain("query_length=16").And.Contain("document_length=24").And.Contain("projection=1_Dense/model.safetensors:8")
            .And.Contain("query_prefix=30522").And.Contain("skiplist=999,"));
        Assert.That(attending.GetService<RerankerMetadata>()!.ScoringFingerprint, Is.Not.EqualTo(metadata.ScoringFingerprint));
        Assert.That(reranker.GetService<Microsoft.ML.OnnxRuntime.InferenceSession>(), Is.Not.Null);
    }
}
