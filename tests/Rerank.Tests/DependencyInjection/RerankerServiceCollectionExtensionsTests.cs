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
    public void AddReranker_with_an_instance_registers_that_instance()
    {
        var services = new ServiceCollection();
        var instance = new TestReranker();
        services.AddReranker(instance);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IReranker>(), Is.SameAs(instance));
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

        Assert.That(provider.GetRequiredService<IReranker>(), Is.SameAs(plain));
        Assert.That(provider.GetRequiredKeyedService<IReranker>("cohere"), Is.SameAs(cohere));
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

    private sealed class RecordingLayer(IReranker inner, string name, List<string> order) : DelegatingReranker(inner)
    {
        public override Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
        {
            order.Add(name);
            return base.RerankAsync(query, documents, options, cancellationToken);
        }
    }
}
