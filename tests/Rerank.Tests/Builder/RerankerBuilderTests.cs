using Rerank.Testing;

namespace Rerank.Tests.Builder;

[TestFixture]
public sealed class RerankerBuilderTests
{
    [Test]
    public async Task The_first_Use_is_the_outermost_layer()
    {
        var order = new List<string>();
        using var inner = new TestReranker();

        using IReranker pipeline = new RerankerBuilder(inner)
            .Use(Recording("first", order))
            .Use(Recording("second", order))
            .Use(Recording("third", order))
            .Build();
        await pipeline.RerankAsync("query", ["a document"]);

        Assert.That(order, Is.EqualTo(new[] { "first>", "second>", "third>", "<third", "<second", "<first" }));
    }

    [Test]
    public void GetService_reaches_through_every_layer()
    {
        using var inner = new TestReranker();
        Layer? outer = null, middle = null;

        using IReranker pipeline = new RerankerBuilder(inner)
            .Use(i => outer = new Layer(i, "outer"))
            .Use((query, documents, options, next, ct) => next.RerankAsync(query, documents, options, ct))
            .Use(i => middle = new Layer(i, "middle"))
            .Build();

        Assert.That(pipeline, Is.SameAs(outer));
        Assert.That(pipeline.GetService<Layer>(), Is.SameAs(outer), "the outermost matching layer answers first");
        Assert.That(pipeline.GetService<TestReranker>(), Is.SameAs(inner), "the innermost reranker is reachable");
        Assert.That(pipeline.GetService<RerankerMetadata>()?.ProviderName, Is.EqualTo("test"));
        Assert.That(pipeline.GetService<IReranker>(), Is.SameAs(outer));
        Assert.That(pipeline.GetService<Layer>("some key"), Is.Null, "a keyed request is passed inward, and the inner reranker has no keyed services");
        Assert.That(middle!.Inner, Is.SameAs(inner));
    }

    [Test]
    public void A_layer_factory_returning_null_fails_with_a_clear_message()
    {
        using var inner = new TestReranker();
        RerankerBuilder builder = new RerankerBuilder(inner).Use(i => i).Use(_ => null!);

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.That(ex!.Message, Does.Contain("layer 1").And.Contain("returned null"));
    }

    [Test]
    public void An_inner_factory_returning_null_fails_with_a_clear_message()
    {
        var builder = new RerankerBuilder(_ => null!);

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.That(ex!.Message, Does.Contain("inner reranker factory returned null"));
    }

    [Test]
    public void Build_passes_the_service_provider_to_every_factory()
    {
        var services = new SingleServiceProvider("a service");
        IServiceProvider? seenByInner = null, seenByLayer = null;

        using IReranker pipeline = new RerankerBuilder(sp =>
            {
                seenByInner = sp;
                return new TestReranker();
            })
            .Use((inner, sp) =>
            {
                seenByLayer = sp;
                return inner;
            })
            .Build(services);

        Assert.That(seenByInner, Is.SameAs(services));
        Assert.That(seenByLayer, Is.SameAs(services));
    }

    [Test]
    public void Build_without_services_gives_factories_an_empty_provider()
    {
        IServiceProvider? seen = null;

        using IReranker pipeline = new RerankerBuilder(new TestReranker()).Use((inner, sp) => { seen = sp; return inner; }).Build();

        Assert.That(seen, Is.Not.Null);
        Assert.That(seen!.GetService(typeof(string)), Is.Null);
    }

    [Test]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => new RerankerBuilder((IReranker)null!));
        Assert.Throws<ArgumentNullException>(() => new RerankerBuilder((Func<IServiceProvider, IReranker>)null!));
        var builder = new RerankerBuilder(new TestReranker());
        Assert.Throws<ArgumentNullException>(() => builder.Use((Func<IReranker, IReranker>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.Use((Func<IReranker, IServiceProvider, IReranker>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.Use((Func<string, IEnumerable<RerankDocument>, RerankOptions?, IReranker, CancellationToken, Task<RerankResponse>>)null!));
    }

    [Test]
    public void Disposing_the_pipeline_disposes_the_inner_reranker_once()
    {
        var inner = new TestReranker();
        IReranker pipeline = new RerankerBuilder(inner).Use(i => new Layer(i, "a")).Use((q, d, o, next, ct) => next.RerankAsync(q, d, o, ct)).Build();

        pipeline.Dispose();
        pipeline.Dispose();

        Assert.That(inner.IsDisposed, Is.True);
    }

    [Test]
    public async Task A_lambda_layer_can_answer_without_calling_inner()
    {
        var inner = new TestReranker();
        using IReranker pipeline = new RerankerBuilder(inner)
            .Use((query, documents, options, next, ct) => Task.FromResult(new RerankResponse([]) { ModelId = "short-circuit" }))
            .Build();

        RerankResponse response = await pipeline.RerankAsync("q", ["a"]);

        Assert.That(response.ModelId, Is.EqualTo("short-circuit"));
        Assert.That(inner.BackendCalls, Is.Zero);
    }

    private static Func<string, IEnumerable<RerankDocument>, RerankOptions?, IReranker, CancellationToken, Task<RerankResponse>> Recording(string name, List<string> order) =>
        async (query, documents, options, next, ct) =>
        {
            order.Add(name + ">");
            RerankResponse response = await next.RerankAsync(query, documents, options, ct);
            order.Add("<" + name);
            return response;
        };

    private sealed class Layer(IReranker inner, string name) : DelegatingReranker(inner)
    {
        public string Name { get; } = name;

        public IReranker Inner => InnerReranker;
    }

    private sealed class SingleServiceProvider(object service) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType.IsInstanceOfType(service) ? service : null;
    }
}
