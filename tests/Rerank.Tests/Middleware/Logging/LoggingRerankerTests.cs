using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace Rerank.Tests.Middleware.Logging;

[TestFixture]
public sealed class LoggingRerankerTests
{
    private const string Query = "secret medical question";
    private static readonly string[] Texts = ["patient record alpha", "patient record beta", "unrelated"];

    [Test]
    public async Task Information_has_counts_and_duration_but_never_text()
    {
        (IReranker reranker, FakeLogCollector logs) = Create(LogLevel.Information);

        await reranker.RerankAsync(Query, Texts, new RerankOptions { TopN = 2 });

        FakeLogRecord record = logs.GetSnapshot().Single();
        Assert.That(record.Level, Is.EqualTo(LogLevel.Information));
        Assert.That(record.Message, Does.Match(@"^Rerank completed: 2 results of 3 documents from model probe-model in \d+(\.\d+)? ms\.$"));
        AssertNoText(record);
    }

    [Test]
    public async Task Debug_adds_the_start_with_counts_and_options_and_still_no_text()
    {
        (IReranker reranker, FakeLogCollector logs) = Create(LogLevel.Debug);

        await reranker.RerankAsync(Query, Texts.Select(t => t), new RerankOptions { TopN = 2, ScoreThreshold = 0.1, ModelId = "m" });

        FakeLogRecord[] records = [.. logs.GetSnapshot()];
        Assert.That(records.Select(r => r.Level), Is.EqualTo(new[] { LogLevel.Debug, LogLevel.Information }));
        Assert.That(records[0].Message, Is.EqualTo("Rerank invoked: 3 documents, TopN 2, ScoreThreshold 0.1, model m."));
        Assert.That(records, Has.All.Matches<FakeLogRecord>(r => !Texts.Any(t => r.Message.Contains(t)) && !r.Message.Contains(Query)));
    }

    [Test]
    public async Task Trace_includes_the_query_texts_and_scores()
    {
        (IReranker reranker, FakeLogCollector logs) = Create(LogLevel.Trace);

        await reranker.RerankAsync(Query, Texts);

        FakeLogRecord[] records = [.. logs.GetSnapshot()];
        Assert.That(records.Select(r => r.Level), Is.EqualTo(new[] { LogLevel.Trace, LogLevel.Information, LogLevel.Trace }));
        Assert.That(records[0].Message, Is.EqualTo($"Rerank invoked: 3 documents for query {Query}: #0 {Texts[0]} | #1 {Texts[1]} | #2 {Texts[2]}"));
        Assert.That(records[2].Message, Does.StartWith("Rerank results: #"));
        AssertNoText(records[1]);
    }

    [Test]
    public async Task Failures_are_logged_as_errors_with_the_exception_and_cancellations_at_debug()
    {
        (IReranker reranker, FakeLogCollector logs) = Create(LogLevel.Debug, new ProbeReranker { OnCall = _ => throw new HttpRequestException("503") });
        Assert.ThrowsAsync<HttpRequestException>(() => reranker.RerankAsync(Query, Texts));
        FakeLogRecord failure = logs.LatestRecord;
        Assert.That((failure.Level, failure.Exception?.Message), Is.EqualTo((LogLevel.Error, "503")));
        Assert.That(failure.Message, Does.Match(@"^Rerank of 3 documents failed after \d+(\.\d+)? ms\.$"));

        using var cts = new CancellationTokenSource();
        var gate = new Gate();
        (IReranker slow, FakeLogCollector slowLogs) = Create(LogLevel.Debug, new ProbeReranker { OnCall = gate.PassAsync });
        Task<RerankResponse> call = slow.RerankAsync(Query, Texts, cancellationToken: cts.Token);
        await gate.WaitForArrivalsAsync();
        cts.Cancel();
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => call);
        Assert.That(slowLogs.LatestRecord.Level, Is.EqualTo(LogLevel.Debug));
        Assert.That(slowLogs.LatestRecord.Message, Does.StartWith("Rerank canceled by the caller after"));
    }

    [Test]
    public void Invalid_arguments_are_left_to_the_inner_reranker_and_logged_as_failures()
    {
        (IReranker reranker, FakeLogCollector logs) = Create(LogLevel.Information);

        Assert.ThrowsAsync<ArgumentNullException>(() => reranker.RerankAsync(Query, null!));

        Assert.That(logs.LatestRecord.Exception, Is.InstanceOf<ArgumentNullException>());
        Assert.That(logs.LatestRecord.Message, Does.StartWith("Rerank of 0 documents failed"));
    }

    [Test]
    public async Task The_logger_factory_is_resolved_from_dependency_injection_and_no_layer_is_added_without_one()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Information));
        services.AddReranker(new ProbeReranker()).UseLogging();
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IReranker>().RerankAsync(Query, Texts);

        Assert.That(provider.GetFakeLogCollector().LatestRecord.Category, Is.EqualTo(typeof(LoggingReranker).FullName));
        using IReranker none = new RerankerBuilder(new ProbeReranker()).UseLogging().Build();
        using IReranker nullFactory = new RerankerBuilder(new ProbeReranker()).UseLogging(NullLoggerFactory.Instance).Build();
        Assert.That(none.GetService<LoggingReranker>(), Is.Null);
        Assert.That(nullFactory.GetService<LoggingReranker>(), Is.Null);
    }

    private static (IReranker Reranker, FakeLogCollector Logs) Create(LogLevel level, ProbeReranker? probe = null)
    {
        var collector = new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions()));
        var logger = new FakeLogger(collector);
        foreach (LogLevel each in Enum.GetValues<LogLevel>())
        {
            logger.ControlLevel(each, each >= level && each != LogLevel.None);
        }

        return (new LoggingReranker(probe ?? new ProbeReranker(), logger), collector);
    }

    private static void AssertNoText(FakeLogRecord record)
    {
        Assert.That(record.Message, Does.Not.Contain(Query));
        foreach (string text in Texts)
        {
            Assert.That(record.Message, Does.Not.Contain(text));
        }

        Assert.That(record.StructuredState!.Select(s => s.Value), Has.None.Contains("patient").And.None.Contains("secret"));
    }
}
