using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Onnx.Tests.Fakes;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>Truncation is never silent: the response and the log say which document lost how many tokens.</summary>
[TestFixture]
public sealed class TruncationTests
{
    [Test]
    public async Task A_document_over_the_limit_is_reported_in_the_response_and_the_log()
    {
        var logger = new FakeLogger();
        string longDocument = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.Logger = logger);
        Assert.That(reranker.MaxLength, Is.EqualTo(48), "tokenizer_config.json's model_max_length 48 is below the 64 positions");

        RerankResponse response = await reranker.RerankAsync("two words", ["short one", longDocument, "another short"]);

        var truncations = (IReadOnlyList<CrossEncoderTruncation>)response.AdditionalProperties![RerankResponseProperties.OnnxTruncations]!;
        // 48 tokens = 3 special + 2 query + 43 document tokens: 57 of the 100 document tokens are dropped.
        Assert.That(truncations, Is.EqualTo(new[] { new CrossEncoderTruncation(1, 57, 0) }));
        FakeLogRecord warning = logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Warning);
        Assert.That(warning.Message, Does.Contain("Truncated 1 of 3 documents").And.Contain("#1: 57 tokens").And.Contain("48 tokens"));
    }

    [Test]
    public async Task The_OpenTelemetry_layer_counts_the_documents_the_cross_encoder_truncated()
    {
        // The shared key written by the real provider, read by the real layer; a standalone meter (no factory) is what the collector listens to.
        using var truncations = new MetricCollector<long>(null, RerankTelemetry.SourceName, RerankTelemetry.TruncationsMetric);
        string longDocument = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));
        using IReranker reranker = new RerankerBuilder(ToyModels.Create(ToyModels.Bert)).UseOpenTelemetry().Build();

        await reranker.RerankAsync("two words", ["short one", longDocument, "another short", longDocument + " more"]);

        Assert.That(truncations.GetMeasurementSnapshot().Sum(m => m.Value), Is.EqualTo(2));
    }

    [Test]
    public async Task Nothing_truncated_means_no_report()
    {
        var logger = new FakeLogger();
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.Logger = logger);

        RerankResponse response = await reranker.RerankAsync("query", ["short one", "short two"]);

        Assert.That(response.AdditionalProperties, Is.Null);
        Assert.That(logger.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning), Is.Empty);
    }

    [Test]
    public async Task A_long_query_is_cut_too_and_both_counts_are_reported()
    {
        string query = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"q{i}"));
        string document = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"d{i}"));
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert);

        RerankResponse response = await reranker.RerankAsync(query, [document]);

        // Budget 45: both sides exceed half of it, so the shorter side (the document) keeps 22 and the longer 23.
        var truncation = ((IReadOnlyList<CrossEncoderTruncation>)response.AdditionalProperties![RerankResponseProperties.OnnxTruncations]!).Single();
        Assert.That(truncation, Is.EqualTo(new CrossEncoderTruncation(0, 30 - 22, 40 - 23)));
    }

    [Test]
    public async Task MaxTokensPerDocument_caps_the_document_and_reports_it()
    {
        string document = string.Join(' ', Enumerable.Range(0, 20).Select(i => $"d{i}"));
        var tokenizer = new FakeWordTokenizer();
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, tokenizer: tokenizer);

        RerankResponse capped = await reranker.RerankAsync("a query", [document], new RerankOptions { MaxTokensPerDocument = 5 });
        RerankResponse reference = await reranker.RerankAsync("a query", [string.Join(' ', Enumerable.Range(0, 5).Select(i => $"d{i}"))]);

        var truncation = ((IReadOnlyList<CrossEncoderTruncation>)capped.AdditionalProperties![RerankResponseProperties.OnnxTruncations]!).Single();
        Assert.That(truncation, Is.EqualTo(new CrossEncoderTruncation(0, 15, 0)));
        Assert.That(capped.Results[0].Score, Is.EqualTo(reference.Results[0].Score).Within(1e-6), "the capped document scores as its first five tokens");
    }
}
