using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rerank.Testing;
using Rerank.Tests.Middleware;

namespace Rerank.Tests.DependencyInjection;

/// <summary><c>services.AddReranking()</c> in code: keyed, default and by-name resolution, sharing across scopes, and ownership.</summary>
[TestFixture]
public sealed class AddRerankingTests
{
    [Test]
    public void Named_rerankers_resolve_keyed_by_name_and_as_the_default()
    {
        var services = new ServiceCollection();
        var mine = new TestReranker { ModelId = "mine" };
        IRerankingBuilder reranking = services.AddReranking(o => o.Default = "mine");
        reranking.AddBm25();
        reranking.AddFirstStageOrder();
        reranking.AddReranker("mine", mine);
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        IRerankerProvider rerankers = provider.GetRequiredService<IRerankerProvider>();

        Assert.That(rerankers.Names, Is.EqualTo(new[] { "bm25", "first-stage", "mine" }), "in registration order");
        Assert.That(rerankers.DefaultName, Is.EqualTo("mine"));
        IReranker keyed = provider.GetRequiredKeyedService<IReranker>("mine");
        Assert.That(provider.GetRequiredService<IReranker>(), Is.SameAs(keyed), "the default is the named pipeline itself");
        Assert.That(rerankers.GetReranker("MINE"), Is.SameAs(keyed), "names compare as configuration keys do: case-insensitively");
        Assert.That(keyed.GetService<TestReranker>(), Is.SameAs(mine));
        Assert.That(provider.GetRequiredKeyedService<IReranker>("bm25").GetService<Bm25Reranker>(), Is.Not.Null);
        Assert.That(provider.GetRequiredKeyedService<IReranker>("first-stage").GetService<FirstStageOrderReranker>(), Is.Not.Null);
        Assert.That(provider.GetKeyedService<IReranker>("missing"), Is.Null);
        Assert.That(rerankers.TryGetReranker("missing", out IReranker? none), Is.False);
        Assert.That(none, Is.Null);
        var notFound = Assert.Throws<KeyNotFoundException>(() => rerankers.GetReranker("missing"))!;
        Assert.That(notFound.Message, Does.Contain("'missing'").And.Contain("bm25, first-stage, mine"));
    }

    [Test]
    public void The_only_reranker_is_the_default_without_naming_it()
    {
        var services = new ServiceCollection();
        services.AddReranking().AddBm25("lexical");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IRerankerProvider>().DefaultName, Is.EqualTo("lexical"));
        Assert.That(provider.GetRequiredService<IReranker>().GetService<Bm25Reranker>(), Is.Not.Null);
    }

    [Test]
    public void With_several_rerankers_and_no_default_the_unkeyed_service_asks_for_one_and_named_ones_still_resolve()
    {
        var services = new ServiceCollection();
        services.AddReranking().AddBm25();
        services.AddReranking().AddFirstStageOrder();
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IReranker>())!;
        Assert.That(ex.Message, Does.Contain("bm25, first-stage").And.Contain("Default"));
        Assert.That(provider.GetRequiredKeyedService<IReranker>("bm25"), Is.Not.Null);
    }

    [Test]
    public void With_no_rerankers_the_unkeyed_service_says_how_to_add_one()
    {
        var services = new ServiceCollection();
        services.AddReranking();
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IReranker>())!;
        Assert.That(ex.Message, Does.Contain("No rerankers are registered").And.Contain("AddReranking()"));
    }

    [Test]
    public void An_unknown_default_fails_at_start_up()
    {
        var services = new ServiceCollection();
        services.AddReranking(o => o.Default = "cohere").AddBm25();

        OptionsValidationException ex = ReRankingConfig.Failure(services);

        Assert.That(ex.Message, Does.Contain("RerankingOptions.Default: 'cohere' is not a registered reranker; registered: bm25"));
    }

    [Test]
    public void A_name_registered_twice_fails_at_start_up()
    {
        var services = new ServiceCollection();
        services.AddReranking().AddBm25("x");
        services.AddReranking().AddFirstStageOrder("x");

        Assert.That(ReRankingConfig.Failure(services).Message, Does.Contain("'x' is registered twice"));
    }

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("a:b")]
    public void Names_that_configuration_could_not_hold_are_rejected(string name)
    {
        IRerankingBuilder builder = new ServiceCollection().AddReranking();

        Assert.Throws<ArgumentException>(() => builder.AddBm25(name));
    }

    [Test]
    public void Null_arguments_are_rejected()
    {
        var services = new ServiceCollection();
        IRerankingBuilder builder = services.AddReranking();

        Assert.Throws<ArgumentNullException>(() => RerankingServiceCollectionExtensions.AddReranking(null!));
        Assert.Throws<ArgumentNullException>(() => services.AddReranking((Action<RerankingOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddReranking((Microsoft.Extensions.Configuration.IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddReranker("x", (IReranker)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddReranker("x", (Func<IServiceProvider, IReranker>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddHybrid("x", null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddProvider(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddBm25(null!));
    }

    [Test]
    public async Task A_pipeline_is_built_once_and_its_cache_serves_every_scope()
    {
        var services = new ServiceCollection();
        int built = 0;
        var probe = new ProbeReranker();
        services.AddReranking().AddReranker("cached", _ =>
        {
            Interlocked.Increment(ref built);
            return new ProbeProviderFactory.Pointwise(probe);
        }).UseMemoryCache();
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        IReranker first, second;
        using (IServiceScope scope = provider.CreateScope())
        {
            first = scope.ServiceProvider.GetRequiredKeyedService<IReranker>("cached");
            await first.RerankAsync("q", ["a", "b"]);
        }

        using (IServiceScope scope = provider.CreateScope())
        {
            second = scope.ServiceProvider.GetRequiredKeyedService<IReranker>("cached");
            RerankResponse response = await second.RerankAsync("q", ["a", "b"]);
            Assert.That(response.Results, Has.Count.EqualTo(2));
        }

        Assert.That(second, Is.SameAs(first), "every scope gets the one pipeline");
        Assert.That(built, Is.EqualTo(1));
        Assert.That(probe.BackendCalls, Is.EqualTo(1), "the second scope's call is answered by the first scope's cache entries");
    }

    [Test]
    public async Task Disposing_the_container_disposes_what_the_builder_created_and_nothing_the_caller_passed_in()
    {
        var services = new ServiceCollection();
        var passedIn = new TestReranker();
        var chat = new DisposalTrackingChatClient();
        services.AddSingleton<IChatClient>(chat);
        ProbeReranker? created = null;
        IRerankingBuilder reranking = services.AddReranking();
        reranking.AddReranker("created", _ => created = new ProbeReranker())
            .UseFallback(sp => [sp.GetRequiredService<IRerankerProvider>().GetReranker("passed")]);
        reranking.AddReranker("passed", passedIn);
        reranking.AddLlm("judge");
        ServiceProvider provider = services.BuildServiceProvider();
        IReranker pipeline = provider.GetRequiredKeyedService<IReranker>("created");
        _ = provider.GetRequiredKeyedService<IReranker>("judge");
        await pipeline.RerankAsync("q", ["a"]);

        provider.Dispose();

        Assert.That(created!.IsDisposed, Is.True, "the factory's reranker is the container's");
        Assert.That(passedIn.IsDisposed, Is.False, "an instance passed in stays the caller's, even behind another pipeline's fallback");
        Assert.That(chat.IsDisposed, Is.False, "a dependency is never disposed by the reranker over it");
        Assert.ThrowsAsync<ObjectDisposedException>(() => pipeline.RerankAsync("q", ["a"]));
    }

    [Test]
    public void A_factory_that_asks_for_its_own_reranker_gets_a_clear_error_not_a_stack_overflow()
    {
        var services = new ServiceCollection();
        services.AddReranking().AddReranker("loop", sp => sp.GetRequiredService<IRerankerProvider>().GetReranker("loop"));
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IReranker>("loop"))!;
        Assert.That(ex.Message, Does.Contain("'loop'").And.Contain("could not be built"));
        Assert.That(ex.InnerException?.Message, Does.Contain("refers back to itself"));
    }

    [Test]
    public void A_build_failure_names_the_reranker_and_is_retried_on_the_next_use()
    {
        var services = new ServiceCollection();
        bool fail = true;
        services.AddReranking().AddReranker("flaky", _ => fail ? throw new IOException("model.onnx is missing") : new TestReranker());
        using ServiceProvider provider = services.BuildServiceProvider();
        IRerankerProvider rerankers = provider.GetRequiredService<IRerankerProvider>();

        var ex = Assert.Throws<InvalidOperationException>(() => rerankers.GetReranker("flaky"))!;
        Assert.That(ex.Message, Does.Contain("The reranker 'flaky' (code) could not be built: model.onnx is missing"));
        Assert.That(ex.InnerException, Is.TypeOf<IOException>());

        fail = false;
        Assert.That(rerankers.GetReranker("flaky").GetService<TestReranker>(), Is.Not.Null);
    }

    [Test]
    public async Task AddLlm_uses_the_registered_chat_client_keyed_or_not()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(new Llm.RelevanceChatClient(TestReranker.Score, LlmRerankMode.Pointwise));
        services.AddKeyedSingleton<IChatClient>("judge", new Llm.RelevanceChatClient((q, d) => 1 - TestReranker.Score(q, d), LlmRerankMode.Pointwise));
        IRerankingBuilder reranking = services.AddReranking();
        reranking.AddLlm("plain");
        reranking.AddLlm("inverse", chatClientKey: "judge");
        using ServiceProvider provider = services.BuildServiceProvider();

        RerankResponse plain = await provider.GetRequiredKeyedService<IReranker>("plain").RerankAsync("plants energy", ["stocks", "plants make energy"]);
        RerankResponse inverse = await provider.GetRequiredKeyedService<IReranker>("inverse").RerankAsync("plants energy", ["stocks", "plants make energy"]);

        Assert.That(plain.Results[0].Index, Is.EqualTo(1));
        Assert.That(inverse.Results[0].Index, Is.EqualTo(0));
    }

    [Test]
    public async Task AddHybrid_fuses_signals_including_another_named_reranker()
    {
        var services = new ServiceCollection();
        var cross = new TestReranker();
        IRerankingBuilder reranking = services.AddReranking();
        reranking.AddReranker("cross", cross);
        reranking.AddHybrid("hybrid", (hybrid, sp) => hybrid.AddBm25(0.5).AddReranker(sp.GetRequiredService<IRerankerProvider>().GetReranker("cross"), 0.5));
        using ServiceProvider provider = services.BuildServiceProvider();

        RerankResponse response = await provider.GetRequiredKeyedService<IReranker>("hybrid").RerankAsync("plants energy", ["stocks fell", "plants make energy"]);

        Assert.That(response.Results[0].Index, Is.EqualTo(1));
        Assert.That(response.Results[0].ScoreComponents, Has.Count.EqualTo(2));
        Assert.That(cross.BackendCalls, Is.EqualTo(1));
    }

    [Test]
    public void An_explicit_AddReranker_stays_the_unkeyed_service()
    {
        var services = new ServiceCollection();
        var plain = new TestReranker();
        services.AddReranker(plain);
        services.AddReranking().AddBm25();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IReranker>().GetService<TestReranker>(), Is.SameAs(plain));
        Assert.That(provider.GetRequiredKeyedService<IReranker>("bm25").GetService<Bm25Reranker>(), Is.Not.Null);
    }

    private sealed class DisposalTrackingChatClient : IChatClient
    {
        public bool IsDisposed { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() => IsDisposed = true;
    }
}
