using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Rerank.Tests.Hybrid;

/// <summary>Recency: 0.5^(age / half-life) from metadata timestamps, on a fake clock.</summary>
[TestFixture]
public sealed class HybridRecencyTests
{
    private const double Tolerance = 1e-12;

    private static readonly DateTimeOffset Now = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static RerankDocument Dated(int id, object? timestamp, string key = "timestamp") =>
        new($"document {id}") { Id = $"d{id}", Metadata = new Dictionary<string, object?> { [key] = timestamp } };

    [Test]
    public async Task Worked_example_with_a_ten_day_half_life()
    {
        var clock = new FakeTimeProvider(Now);
        using HybridReranker reranker = new HybridRerankerBuilder().AddRecency(TimeSpan.FromDays(10)).UseTimeProvider(clock).Build();
        List<RerankDocument> documents =
        [
            Dated(0, Now),                                   // age 0        → 0.5^0   = 1
            Dated(1, Now.AddDays(-10)),                      // age 10 days  → 0.5^1   = 0.5
            Dated(2, Now.AddDays(-20)),                      // age 20 days  → 0.5^2   = 0.25
            Dated(3, Now.AddDays(-5)),                       // age 5 days   → 0.5^0.5 ≈ 0.707107
            Dated(4, Now.AddDays(3)),                        // future       → counts as now = 1
        ];

        RerankResult[] results = (await reranker.RerankAsync("q", documents)).ByIndex();

        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 1, 0.5, 0.25, Math.Sqrt(0.5), 1 }).Within(Tolerance));
        Assert.That(results[1].Component("recency").RawValue, Is.EqualTo(0.5).Within(Tolerance));
    }

    [Test]
    public async Task Age_follows_the_injected_clock()
    {
        var clock = new FakeTimeProvider(Now);
        using HybridReranker reranker = new HybridRerankerBuilder().AddRecency(TimeSpan.FromHours(1)).UseTimeProvider(clock).Build();
        List<RerankDocument> documents = [Dated(0, Now)];

        double before = (await reranker.RerankAsync("q", documents)).Results[0].Score;
        clock.Advance(TimeSpan.FromHours(2));
        double after = (await reranker.RerankAsync("q", documents)).Results[0].Score;

        Assert.That(before, Is.EqualTo(1));
        Assert.That(after, Is.EqualTo(0.25).Within(Tolerance));
    }

    [Test]
    public async Task Timestamps_are_read_from_the_usual_types()
    {
        var clock = new FakeTimeProvider(Now);
        using HybridReranker reranker = new HybridRerankerBuilder().AddRecency(TimeSpan.FromDays(1), metadataKey: "published").UseTimeProvider(clock).Build();
        using JsonDocument json = JsonDocument.Parse("\"2024-05-31T00:00:00Z\"");
        List<RerankDocument> documents =
        [
            Dated(0, Now.AddDays(-1), "published"),                                          // DateTimeOffset
            Dated(1, new DateTime(2024, 5, 31, 0, 0, 0, DateTimeKind.Utc), "published"),     // DateTime, UTC
            Dated(2, new DateTime(2024, 5, 31, 0, 0, 0, DateTimeKind.Unspecified), "published"), // unspecified = UTC
            Dated(3, new DateOnly(2024, 5, 31), "published"),                                // DateOnly = midnight UTC
            Dated(4, "2024-05-31T00:00:00Z", "published"),                                   // ISO 8601
            Dated(5, "2024-05-31T02:00:00+02:00", "published"),                              // ISO 8601 with offset
            Dated(6, "2024-05-31", "published"),                                             // ISO date, UTC
            Dated(7, json.RootElement.Clone(), "published"),                                 // JsonElement string
        ];

        RerankResult[] results = (await reranker.RerankAsync("q", documents)).ByIndex();

        // Every one is exactly one day (one half-life) old → 0.5.
        Assert.That(results.Select(r => r.Score), Is.All.EqualTo(0.5).Within(Tolerance));
    }

    [Test]
    public async Task A_local_DateTime_is_converted_to_UTC()
    {
        var clock = new FakeTimeProvider(Now);
        using HybridReranker reranker = new HybridRerankerBuilder().AddRecency(TimeSpan.FromDays(1)).UseTimeProvider(clock).Build();
        DateTime local = Now.AddDays(-1).LocalDateTime;

        RerankResponse response = await reranker.RerankAsync("q", [Dated(0, local)]);

        Assert.That(response.Results[0].Score, Is.EqualTo(0.5).Within(Tolerance));
    }

    [Test]
    public async Task Missing_and_unreadable_timestamps_are_missing_values()
    {
        var clock = new FakeTimeProvider(Now);
        using HybridReranker reranker = new HybridRerankerBuilder().AddRecency(TimeSpan.FromDays(1)).UseTimeProvider(clock).Build();
        List<RerankDocument> documents =
        [
            Dated(0, Now.AddDays(-1)),
            Dated(1, "yesterday"),
            Dated(2, 12345),
            Dated(3, null),
            new RerankDocument("no metadata") { Id = "d4" },
            Dated(5, Now, "other-key"),
        ];

        RerankResult[] results = (await reranker.RerankAsync("q", documents)).ByIndex();

        // The only present value is 0.5; the missing ones take that minimum.
        Assert.That(results.Select(r => r.Score), Is.All.EqualTo(0.5).Within(Tolerance));
        Assert.That(results.Skip(1).Select(r => r.Component("recency").RawValue), Is.All.NaN);
    }

    [Test]
    public async Task A_selector_can_read_the_timestamp_from_anywhere()
    {
        var clock = new FakeTimeProvider(Now);
        using HybridReranker reranker = new HybridRerankerBuilder()
            .AddRecency(TimeSpan.FromDays(7), d => d.Id == "d0" ? Now.AddDays(-7) : null, 0.5)
            .AddFirstStageScore(0.5)
            .UseTimeProvider(clock)
            .Build();

        RerankResult[] results = (await reranker.RerankAsync("q", HybridTestData.Documents(2, 0.1, 0.9))).ByIndex();

        // recency: d0 = 0.5, d1 missing → minimum 0.5; first_stage: [0, 1]. d0 = 0.25, d1 = 0.75
        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.25, 0.75 }).Within(Tolerance));
    }

    [Test]
    public async Task Extreme_dates_stay_finite()
    {
        var clock = new FakeTimeProvider(Now);
        using HybridReranker reranker = new HybridRerankerBuilder().AddRecency(TimeSpan.FromTicks(1)).UseTimeProvider(clock).Build();

        RerankResult[] results = (await reranker.RerankAsync("q", [Dated(0, DateTimeOffset.MinValue), Dated(1, DateTimeOffset.MaxValue)])).ByIndex();

        Assert.That(results.Select(r => r.Score), Is.EqualTo(new[] { 0.0, 1.0 }));
    }
}
