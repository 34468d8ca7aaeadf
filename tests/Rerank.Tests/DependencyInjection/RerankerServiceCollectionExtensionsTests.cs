using Microsoft.Extensions.DependencyInjection;
using Rerank.Testing;

namespace Rerank.Tests.DependencyInjection;

[TestFixture]
public sealed class RerankerServiceCollectionExtensionsTests
{
    [Test]
    public void AddReranker_registers_a_singleton_by_default()
    {
        var services = new ServiceCollection();
        services.AddReranker(_ => new TestReranker());
        using ServiceProvider provider = services.BuildServiceProvider();

        IReranker first = provider.GetRequiredService<IReranker>();
        IReranker second = provider.GetRequiredService<IReranker>();

        Assert.That(first, Is.SameAs(second));
        Assert.That(services.Single(d => d.ServiceType == typeof(IReranker)).Lifetime, Is.EqualTo(ServiceLifetime.Singleton));
    }

    [Test]
    public void AddReranker_with_an_instance_serves_that_instance_and_leaves_it_to_the_caller()
    {
        var services = new ServiceCollection();
        var instance = new TestReranker();
        services.AddReranker(instance);
        ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IReranker>().GetService<TestReranker>(), Is.SameAs(instance));
        provider.Dispose();
        Assert.That(instance.IsDisposed, Is.False, "the container disposes what the registration built, never an instance passed in");
    }

    [Test]
    public void Scoped_lifetime_gives_one_instance_per_scope()
    {
        var services = new ServiceCollection();
        services.AddReranker(_ => new TestReranker(), ServiceLifetime.Scoped);
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        using IServiceScope scope1 = provider.CreateScope();
        using IServiceScope scope2 = provider.CreateScope();
        IReranker a = scope1.ServiceProvider.GetRequiredService<IReranker>();

        Assert.That(scope1.ServiceProvider.GetRequiredService<IReranker>(), Is.SameAs(a));
        Assert.That(scope2.ServiceProvider.GetRequiredService<IReranker>(), Is.Not.SameAs(a));
    }

    [TestCase(ServiceLifetime.Scoped, false)]
    [TestCase(ServiceLifetime.Scoped, true)]
    [TestCase(ServiceLifetime.Transient, false)]
    [TestCase(ServiceLifetime.Transient, true)]
    public async Task A_registered_instance_outlives_the_scopes_of_a_scoped_or_transient_pipeline(ServiceLifetime lifetime, bool keyed)
    {
        var services = new ServiceCollection();
        var instance = new TestReranker();
        RerankerBuilder builder = keyed ? services.AddKeyedReranker("k", instance, lifetime) : services.AddReranker(instance, lifetime);
        builder.Use(inner => new RecordingLayer(inner, "layer", []));
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        IReranker Resolve(IServiceProvider sp) => keyed ? sp.GetRequiredKeyedService<IReranker>("k") : sp.GetRequiredService<IReranker>();

        for (int i = 0; i < 2; i++)
        {
            using IServiceScope scope = provider.CreateScope();
            RerankResponse response = await Resolve(scope.ServiceProvider).RerankAsync("q", ["a", "q"]);
            Assert.That(response.Results[0].Index, Is.EqualTo(1), $"scope {i} ranks with the shared instance");
        }

        Assert.That(instance.IsDisposed, Is.False, "ending a scope must not dispose the instance every scope shares");
        Assert.That(instance.BackendCalls, Is.EqualTo(2));
        Assert.That(Resolve(provider.CreateScope().ServiceProvider).GetService<TestReranker>(), Is.SameAs(instance), "GetService still reaches the instance");
    }

    [Test]
    public void A_disposed_scoped_pipeline_refuses_calls_but_leaves_the_instance_usable()
    {
        var services = new ServiceCollection();
        var instance = new TestReranker();
        services.AddReranker(instance, ServiceLifetime.Scoped);
        using ServiceProvider provider = services.BuildServiceProvider();
        IReranker pipeline;
        using (IServiceScope scope = provider.CreateScope())
        {
            pipeline = scope.ServiceProvider.GetRequiredService<IReranker>();
        }

        Assert.ThrowsAsync<ObjectDisposedException>(() => pipeline.RerankAsync("q", ["a"]));
        Assert.That(instance.IsDisposed, Is.False);
    }

    [TestCase(ServiceLifetime.Scoped, false)]
    [TestCase(ServiceLifetime.Scoped, true)]
    [TestCase(ServiceLifetime.Transient, false)]
    [TestCase(ServiceLifetime.Transient, true)]
    public async Task A_scoped_or_transient_pipeline_is_built_once_so_its_cache_and_coalescer_serve_every_scope(ServiceLifetime lifetime, bool keyed)
    {
        var services = new ServiceCollection();
        int built = 0;
        var inner = new TestReranker();
        Func<IServiceProvider, IReranker> factory = _ =>
        {
            Interlocked.Increment(ref built);
            return new DeclaredPointwise(inner);
        };
        RerankerBuilder builder = keyed ? services.AddKeyedReranker("k", factory, lifetime) : services.AddReranker(factory, lifetime);
        builder.UseMemoryCache().UseBatching(8);
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        IReranker Resolve(IServiceProvider sp) => keyed ? sp.GetRequiredKeyedService<IReranker>("k") : sp.GetRequiredService<IReranker>();

        var coalescers = new List<BatchingReranker?>();
        for (int i = 0; i < 2; i++)
        {
            using IServiceScope scope = provider.CreateScope();
            IReranker reranker = Resolve(scope.ServiceProvider);
            coalescers.Add(reranker.GetService<BatchingReranker>());
            RerankResponse response = await reranker.RerankAsync("q", ["a", "q"]);
            Assert.That(response.Results[0].Index, Is.EqualTo(1), $"scope {i}");
        }

        Assert.That(built, Is.EqualTo(1), "the inner reranker (and a model session in it) is created once per container, not per scope");
        Assert.That(inner.BackendCalls, Is.EqualTo(1), "the second scope's call is a hit in the cache the first scope filled");
        Assert.That(coalescers[0], Is.Not.Null.And.SameAs(coalescers[1]), "both scopes coalesce in the same batching layer");
        Assert.That(inner.IsDisposed, Is.False, "ending scopes leaves the shared pipeline alive");

        provider.Dispose();
        Assert.That(inner.IsDisposed, Is.True, "what the factory created is disposed with the container");
    }

    [Test]
    public void Transient_lifetime_gives_a_new_instance_each_time()
    {
        var services = new ServiceCollection();
        services.AddReranker(_ => new TestReranker(), ServiceLifetime.Transient);
        using ServiceProvider provider = services.BuildServiceProvider();

        IReranker first = provider.GetRequiredService<IReranker>();
        IReranker second = provider.GetRequiredService<IReranker>();

        Assert.That(second, Is.Not.SameAs(first));
    }

    [Test]
    public async Task Use_calls_on_the_returned_builder_wrap_the_registered_reranker_outermost_first()
    {
        var order = new List<string>();
        var services = new ServiceCollection();
        services.AddSingleton(order);
        services.AddReranker(_ => new TestReranker())
            .Use((inner, sp) => new RecordingLayer(inner, "outer", sp.GetRequiredService<List<string>>()))
            .Use((inner, sp) => new RecordingLayer(inner, "inner", sp.GetRequiredService<List<string>>()));
        using ServiceProvider provider = services.BuildServiceProvider();

        IReranker reranker = provider.GetRequiredService<IReranker>();
        await reranker.RerankAsync("q", ["a"]);

        Assert.That(order, Is.EqualTo(new[] { "outer", "inner" }));
        Assert.That(reranker.GetService<TestReranker>(), Is.Not.Null);
    }

    [Test]
    public void Keyed_and_unkeyed_registrations_resolve_independently()
    {
        var services = new ServiceCollection();
        var plain = new TestReranker { ModelId = "plain" };
        var cohere = new TestReranker { ModelId = "cohere" };
        var onnx = new TestReranker { ModelId = "onnx" };
        services.AddReranker(plain);
        services.AddKeyedReranker("cohere", cohere);
        services.AddKeyedReranker("onnx", _ => onnx);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IReranker>().GetService<TestReranker>(), Is.SameAs(plain));
        Assert.That(provider.GetRequiredKeyedService<IReranker>("cohere").GetService<TestReranker>(), Is.SameAs(cohere));
        Assert.That(provider.GetRequiredKeyedService<IReranker>("onnx"), Is.SameAs(onnx));
        Assert.That(provider.GetKeyedService<IReranker>("missing"), Is.Null);
    }

    [Test]
    public void Keyed_registrations_honour_their_lifetime()
    {
        var services = new ServiceCollection();
        services.AddKeyedReranker("t", _ => new TestReranker(), ServiceLifetime.Transient);
        services.AddKeyedReranker("s", _ => new TestReranker());
        using ServiceProvider provider = services.BuildServiceProvider();

        IReranker transient = provider.GetRequiredKeyedService<IReranker>("t");
        IReranker singleton = provider.GetRequiredKeyedService<IReranker>("s");

        Assert.That(provider.GetRequiredKeyedService<IReranker>("t"), Is.Not.SameAs(transient));
        Assert.That(provider.GetRequiredKeyedService<IReranker>("s"), Is.SameAs(singleton));
    }

    [Test]
    public void Disposing_the_provider_disposes_a_singleton_pipeline()
    {
        var services = new ServiceCollection();
        var inner = new TestReranker();
        services.AddReranker(_ => inner).Use(i => new RecordingLayer(i, "x", []));
        ServiceProvider provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IReranker>();

        provider.Dispose();

        Assert.That(inner.IsDisposed, Is.True);
    }

    [Test]
    public void Null_arguments_are_rejected()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentNullException>(() => RerankerServiceCollectionExtensions.AddReranker(null!, new TestReranker()));
        Assert.Throws<ArgumentNullException>(() => services.AddReranker((IReranker)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddReranker((Func<IServiceProvider, IReranker>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddKeyedReranker("k", (IReranker)null!));
    }

    /// <summary>Declares the test reranker's scores pointwise (they are), so that the caching and batching layers accept it.</summary>
    private sealed class DeclaredPointwise(IReranker inner) : DelegatingReranker(inner)
    {
        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(RerankerMetadata) && serviceKey is null
                ? new RerankerMetadata("test", null, "test-lexical") { ScoreSemantics = RerankScoreSemantics.Pointwise, ScoringFingerprint = "test" }
                : base.GetService(serviceType, serviceKey);
    }

    private sealed class RecordingLayer(IReranker inner, string name, List<string> order) : DelegatingReranker(inner)
    {
        public override Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
        {
            order.Add(name);
            return base.RerankAsync(query, documents, options, cancellationToken);
        }
    }
}
