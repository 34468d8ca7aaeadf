using Rerank.Testing;

namespace Rerank.Tests.Middleware.Fallback;

/// <summary>
/// A fallback chain of different models, even pointwise ones, must not sit below a layer that merges several calls'
/// scores into one response: a cache would return the primary's stored scores beside a fallback's, on two scales.
/// </summary>
[TestFixture]
public sealed class FallbackScaleMixingTests
{
    [Test]
    public void A_chain_of_different_pointwise_models_is_set_dependent_and_a_cache_above_it_is_refused()
    {
        using var chain = new FallbackReranker(new TestReranker { ModelId = "primary" }, [new TestReranker { ModelId = "other" }]);

        Assert.That(chain.GetService<RerankerMetadata>()!.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.CandidateSetDependent));
        Assert.That(
            () => new RerankerBuilder(new TestReranker { ModelId = "primary" }).UseMemoryCache().UseFallback(new TestReranker { ModelId = "other" }).Build(),
            Throws.InvalidOperationException.With.Message.Contains("CandidateSetDependent"));
    }

    [Test]
    public void A_chain_of_replicas_of_one_model_stays_pointwise_and_may_be_cached()
    {
        using var chain = new FallbackReranker(new TestReranker { ModelId = "same" }, [new TestReranker { ModelId = "same" }]);

        Assert.That(chain.GetService<RerankerMetadata>()!.ScoreSemantics, Is.EqualTo(RerankScoreSemantics.Pointwise));
        using IReranker cached = new RerankerBuilder(new TestReranker { ModelId = "same" }).UseMemoryCache().UseFallback(new TestReranker { ModelId = "same" }).Build();
        Assert.That(cached, Is.Not.Null);
    }

    [Test]
    public async Task Below_the_fallback_the_cache_serves_the_primary_and_a_failure_is_answered_by_the_fallback_alone()
    {
        var primary = new ProbeReranker("primary", "p");
        bool failing = false;
        primary.OnCall = _ => failing ? throw new HttpRequestException("503") : Task.CompletedTask;
        var fallback = new TestReranker { ModelId = "fallback" };
        // The first layer is the outermost: the fallback, then the cache around the primary alone.
        using IReranker reranker = new RerankerBuilder(primary).UseFallback(fallback).UseMemoryCache().Build();

        RerankResponse warm = await reranker.RerankAsync("plants", ["plants make energy", "bees"]);
        failing = true;
        RerankResponse mixed = await reranker.RerankAsync("plants", ["plants make energy", "bees", "new document"]);

        Assert.That(warm.Results.Select(r => r.Document.Text), Does.Contain("bees"));
        double[] fallbackAlone = [.. (await fallback.RerankAsync("plants", ["plants make energy", "bees", "new document"])).Results.OrderBy(r => r.Index).Select(r => r.Score)];
        Assert.That(mixed.Results.OrderBy(r => r.Index).Select(r => r.Score), Is.EqualTo(fallbackAlone), "one model's scores in one response: the fallback's, for every document");
    }
}
