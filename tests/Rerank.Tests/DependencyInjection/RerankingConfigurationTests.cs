using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rerank.Testing;
using Rerank.Tests.Middleware;

namespace Rerank.Tests.DependencyInjection;

/// <summary><c>services.AddReranking(section)</c>: every key bound, and every start-up failure with its configuration path.</summary>
[TestFixture]
public sealed class RerankingConfigurationTests
{
    [Test]
    public async Task The_documented_schema_builds_each_pipeline_with_its_layers()
    {
        var probe = new ProbeProviderFactory();
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddReranking(ReRankingConfig.Section("""
            { "Reranking": {
                "Default": "primary",
                "Rerankers": {
                  "primary": { "Provider": "probe", "Model": "probe-v2", "Timeout": "00:00:00.800", "Cache": "distributed", "FallbackTo": [ "lexical", "order" ] },
                  "lexical": { "Provider": "bm25" },
                  "order":   { "Provider": "first-stage" } } } }
            """)).AddProvider(probe);
        using ServiceProvider provider = services.BuildServiceProvider();

        IReranker primary = provider.GetRequiredService<IReranker>();
        Assert.That(provider.GetRequiredService<IRerankerProvider>().Names, Is.EqualTo(new[] { "lexical", "order", "primary" }), "configuration lists its keys in order");
        Assert.That(primary, Is.SameAs(provider.GetRequiredKeyedService<IReranker>("primary")));
        Assert.That(primary.GetService<CachingReranker>(), Is.Not.Null, "Cache: distributed");
        Assert.That(primary.GetService<FallbackReranker>(), Is.Not.Null, "FallbackTo");
        Assert.That(primary.GetService<TimeoutReranker>()?.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(800)), "Timeout");
        Assert.That(primary.GetService<RerankerMetadata>()?.DefaultModelId, Is.EqualTo("probe-v2"), "Model");

        RerankResponse response = await primary.RerankAsync("plants energy", ["stocks", "plants make energy"]);
        Assert.That(response.Results[0].Index, Is.EqualTo(1));
        Assert.That(probe.Single("primary").BackendCalls, Is.EqualTo(1));
    }

    [Test]
    public async Task FallbackTo_answers_with_the_named_rerankers_in_order_and_leaves_them_usable()
    {
        var probe = new ProbeProviderFactory();
        var services = new ServiceCollection();
        services.AddReranking(ReRankingConfig.Section("""
            { "Reranking": { "Rerankers": {
                "primary": { "Provider": "probe", "FallbackTo": "lexical" },
                "lexical": { "Provider": "bm25" } } } }
            """)).AddProvider(probe);
        using ServiceProvider provider = services.BuildServiceProvider();
        IReranker primary = provider.GetRequiredKeyedService<IReranker>("primary");
        probe.Single("primary").OnCall = _ => throw new HttpRequestException("503");

        RerankResponse response = await primary.RerankAsync("plants energy", ["stocks", "plants make energy"]);

        Assert.That(response.AdditionalProperties?.ContainsKey(RerankResponseProperties.FallbackAttempts), Is.True);
        Assert.That(response.ModelId, Is.EqualTo(Bm25Reranker.ModelId));
        primary.Dispose();
        Assert.That(
            (await provider.GetRequiredKeyedService<IReranker>("lexical").RerankAsync("q", ["q"])).Results,
            Has.Count.EqualTo(1),
            "the fallback is another named pipeline: the primary's layers never dispose it");
    }

    [TestCase("memory")]
    [TestCase("Memory")]
    [TestCase("hybrid")]
    [TestCase("none")]
    public void Cache_selects_the_cache_layer(string cache)
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        services.AddReranking(ReRankingConfig.Section($$"""{ "Reranking": { "Rerankers": { "p": { "Provider": "probe", "Cache": "{{cache}}" } } } }"""))
            .AddProvider(new ProbeProviderFactory());
        using ServiceProvider provider = services.BuildServiceProvider();

        CachingReranker? layer = provider.GetRequiredKeyedService<IReranker>("p").GetService<CachingReranker>();

        Assert.That(layer, cache == "none" ? Is.Null : Is.Not.Null);
    }

    [Test]
    public void Bm25_binds_K1_and_B()
    {
        Bm25Options options = Bm25ProviderFactory.Bind(Context("""{ "Provider": "bm25", "K1": "2.5", "B": "0.1" }"""));

        Assert.That(options.K1, Is.EqualTo(2.5));
        Assert.That(options.B, Is.EqualTo(0.1));
    }

    [Test]
    public void Llm_binds_every_key()
    {
        LlmRerankerOptions options = LlmProviderFactory.Bind(Context("""
            { "Provider": "llm", "Model": "gpt-4o-mini", "Mode": "listwise", "BatchSize": 7, "MaxConcurrency": 3, "MinScore": 1, "MaxScore": 5,
              "NormalizeScores": false, "WindowSize": 12, "StepSize": 4, "MaxCharactersPerDocument": 900, "MaxOutputRetries": 2, "Temperature": 0.25 }
            """));

        Assert.Multiple(() =>
        {
            Assert.That(options.ModelId, Is.EqualTo("gpt-4o-mini"));
            Assert.That(options.Mode, Is.EqualTo(LlmRerankMode.Listwise));
            Assert.That(options.BatchSize, Is.EqualTo(7));
            Assert.That(options.MaxConcurrency, Is.EqualTo(3));
            Assert.That(options.MinScore, Is.EqualTo(1));
            Assert.That(options.MaxScore, Is.EqualTo(5));
            Assert.That(options.NormalizeScores, Is.False);
            Assert.That(options.WindowSize, Is.EqualTo(12));
            Assert.That(options.StepSize, Is.EqualTo(4));
            Assert.That(options.MaxCharactersPerDocument, Is.EqualTo(900));
            Assert.That(options.MaxOutputRetries, Is.EqualTo(2));
            Assert.That(options.Temperature, Is.EqualTo(0.25f));
        });
    }

    [Test]
    public async Task Llm_uses_the_chat_client_named_by_ChatClient()
    {
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("judge", new Llm.RelevanceChatClient(TestReranker.Score, LlmRerankMode.Pointwise));
        services.AddReranking(ReRankingConfig.Section("""{ "Reranking": { "Rerankers": { "judge": { "Provider": "llm", "ChatClient": "judge" } } } }"""));
        using ServiceProvider provider = services.BuildServiceProvider();

        RerankResponse response = await provider.GetRequiredService<IReranker>().RerankAsync("plants energy", ["stocks", "plants make energy"]);

        Assert.That(response.Results[0].Index, Is.EqualTo(1));
    }

    [Test]
    public void Default_and_Loading_are_bound()
    {
        var services = new ServiceCollection();
        services.AddReranking(ReRankingConfig.Section("""{ "Reranking": { "Default": "b", "Loading": "background", "Rerankers": { "a": { "Provider": "bm25" }, "b": { "Provider": "first-stage" } } } }"""));
        using ServiceProvider provider = services.BuildServiceProvider();

        RerankingOptions options = provider.GetRequiredService<IOptions<RerankingOptions>>().Value;
        Assert.That(options.Default, Is.EqualTo("b"));
        Assert.That(options.Loading, Is.EqualTo(RerankerLoading.Background));
        Assert.That(provider.GetRequiredService<IReranker>().GetService<FirstStageOrderReranker>(), Is.Not.Null);
    }

    // Each start-up failure names the configuration path of what is wrong.
    [TestCase("""{ "Rerankers": { "x": { "Provider": "nope" } } }""", "Reranking:Rerankers:x:Provider: 'nope' is not a registered provider; registered providers: bm25, first-stage, llm, probe.")]
    [TestCase("""{ "Rerankers": { "local": { "Provider": "onnx" } } }""", "Reranking:Rerankers:local:Provider: 'onnx' is provided by the Rerank.Onnx package, which is not registered: reference it and call AddOnnxProvider()")]
    [TestCase("""{ "Rerankers": { "cohere": { "Provider": "cohere" } } }""", "Reranking:Rerankers:cohere:Provider: 'cohere' is provided by the Rerank.Cohere package")]
    [TestCase("""{ "Rerankers": { "x": { "Model": "m" } } }""", "Reranking:Rerankers:x:Provider: required")]
    [TestCase("""{ "Rerankers": { "x": "bm25" } }""", "Reranking:Rerankers:x: expected a section with a Provider key")]
    [TestCase("""{ "Rerankers": "bm25" }""", "Reranking:Rerankers: expected a section")]
    [TestCase("""{ "Rerankerz": { }, "Rerankers": { "x": { "Provider": "bm25" } } }""", "Reranking:Rerankerz: unknown key; the section takes Default, Loading, Rerankers.")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "Modle": "m" } } }""", "Reranking:Rerankers:x:Modle: unknown key for provider 'bm25'; it takes Provider, Model, Timeout, Cache, FallbackTo, K1, B.")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "Timeout": "soon" } } }""", "Reranking:Rerankers:x:Timeout: 'soon' is not a valid time span")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "Timeout": "-00:00:01" } } }""", "Reranking:Rerankers:x:Timeout: must be positive")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "Timeout": "00:00:00" } } }""", "Reranking:Rerankers:x:Timeout: must be positive")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "probe", "Cache": "redis" } } }""", "Reranking:Rerankers:x:Cache: 'redis' is not one of None, Memory, Distributed, Hybrid.")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "probe", "Cache": "1" } } }""", "Reranking:Rerankers:x:Cache: '1' is not one of")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "probe", "Cache": "distributed" } } }""", "Reranking:Rerankers:x:Cache: 'distributed' needs an IDistributedCache service")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "probe", "Cache": "hybrid" } } }""", "Reranking:Rerankers:x:Cache: 'hybrid' needs a HybridCache service")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "FallbackTo": [ "nope" ] } } }""", "Reranking:Rerankers:x:FallbackTo:0: 'nope' is not a registered reranker; registered: x.")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "FallbackTo": [ "" ] } } }""", "Reranking:Rerankers:x:FallbackTo:0: expected the name of a registered reranker.")]
    [TestCase("""{ "Rerankers": { "a": { "Provider": "bm25", "FallbackTo": [ "b" ] }, "b": { "Provider": "bm25", "FallbackTo": [ "a" ] } } }""", "Reranking:Rerankers:a:FallbackTo: fallback cycle a -> b -> a")]
    [TestCase("""{ "Rerankers": { "a": { "Provider": "bm25", "FallbackTo": "a" } } }""", "Reranking:Rerankers:a:FallbackTo: fallback cycle a -> a")]
    [TestCase("""{ "Rerankers": { "a": { "Provider": "bm25", "FallbackTo": ["b"] }, "b": { "Provider": "bm25", "FallbackTo": ["c"] }, "c": { "Provider": "bm25", "FallbackTo": ["b"] } } }""", "Reranking:Rerankers:b:FallbackTo: fallback cycle b -> c -> b")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "K1": "-1" } } }""", "Reranking:Rerankers:x:K1: Bm25Options.K1 must be a finite number of at least 0")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "B": "2" } } }""", "Reranking:Rerankers:x:B: Bm25Options.B must be between 0 and 1")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "K1": "high" } } }""", "Reranking:Rerankers:x:K1: 'high' is not a valid number")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "bm25", "Model": "bm25-v2" } } }""", "Reranking:Rerankers:x:Model: the 'bm25' provider takes no model")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "first-stage", "Model": "m" } } }""", "Reranking:Rerankers:x:Model: the 'first-stage' provider takes no model")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm" } } }""", "Reranking:Rerankers:x:Provider: the 'llm' provider needs an IChatClient service")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "ChatClient": "judge" } } }""", "Reranking:Rerankers:x:ChatClient: no IChatClient is registered with the key 'judge'")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "Mode": "pairwise" } } }""", "Reranking:Rerankers:x:Mode: 'pairwise' is not one of Pointwise, Listwise.")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "BatchSize": 0 } } }""", "Reranking:Rerankers:x:BatchSize: LlmRerankerOptions.BatchSize must be at least 1")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "MaxConcurrency": 0 } } }""", "Reranking:Rerankers:x:MaxConcurrency:")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "MaxScore": -1 } } }""", "Reranking:Rerankers:x:MaxScore:")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "StepSize": 30 } } }""", "Reranking:Rerankers:x:StepSize:")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "WindowSize": 1 } } }""", "Reranking:Rerankers:x:WindowSize:")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "MaxCharactersPerDocument": 0 } } }""", "Reranking:Rerankers:x:MaxCharactersPerDocument:")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "MaxOutputRetries": 9 } } }""", "Reranking:Rerankers:x:MaxOutputRetries:")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "NormalizeScores": "maybe" } } }""", "Reranking:Rerankers:x:NormalizeScores: 'maybe' is not a valid boolean")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "Temperature": "warm" } } }""", "Reranking:Rerankers:x:Temperature: 'warm' is not a valid number")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "llm", "MinScore": "low" } } }""", "Reranking:Rerankers:x:MinScore: 'low' is not a valid number")]
    [TestCase("""{ "Loading": "eager", "Rerankers": { "x": { "Provider": "bm25" } } }""", "Reranking:Loading: 'eager' is not one of Lazy, Background, Startup.")]
    [TestCase("""{ "Default": "cohere", "Rerankers": { "x": { "Provider": "bm25" } } }""", "Reranking:Default: 'cohere' is not a registered reranker; registered: x.")]
    [TestCase("""{ "Rerankers": { "x": { "Provider": "probe", "Fail": "sometimes" } } }""", "Reranking:Rerankers:x:Fail: 'sometimes' is not a valid boolean")]
    public void A_bad_section_fails_at_start_up_naming_the_path(string reranking, string expected)
    {
        OptionsValidationException ex = ReRankingConfig.Failure($$"""{ "Reranking": {{reranking}} }""", b => b.AddProvider(new ProbeProviderFactory()));

        Assert.That(ex.Message, Does.Contain(expected));
        Assert.That(ex.OptionsType, Is.EqualTo(typeof(RerankingOptions)));
    }

    [Test]
    public void Every_error_of_a_section_is_reported_at_once()
    {
        OptionsValidationException ex = ReRankingConfig.Failure("""
            { "Reranking": { "Rerankers": { "a": { "Provider": "nope" }, "b": { "Provider": "bm25", "Timeout": "x", "Cache": "y" } } } }
            """);

        Assert.That(ex.Failures.Count(), Is.EqualTo(3));
        Assert.That(ex.Failures, Has.Some.StartsWith("Reranking:Rerankers:a:Provider"));
        Assert.That(ex.Failures, Has.Some.StartsWith("Reranking:Rerankers:b:Timeout"));
        Assert.That(ex.Failures, Has.Some.StartsWith("Reranking:Rerankers:b:Cache"));
    }

    [Test]
    public void A_missing_section_fails_at_start_up()
    {
        var services = new ServiceCollection();
        services.AddReranking(ReRankingConfig.Section("""{ "Reranking": { "Rerankers": { } } }""", "Rerankng"));

        Assert.That(ReRankingConfig.Failure(services).Message, Does.Contain("Rerankng: the section is missing or empty"));
    }

    [Test]
    public void A_name_in_code_and_in_configuration_fails_at_start_up()
    {
        var services = new ServiceCollection();
        services.AddReranking().AddBm25();
        services.AddReranking(ReRankingConfig.Section("""{ "Reranking": { "Rerankers": { "bm25": { "Provider": "bm25" } } } }"""));

        Assert.That(ReRankingConfig.Failure(services).Message, Does.Contain("Reranking:Rerankers:bm25: a reranker named 'bm25' is already registered (code)"));
    }

    [Test]
    public void An_unknown_key_is_named_but_its_value_never_appears()
    {
        OptionsValidationException ex = ReRankingConfig.Failure("""{ "Reranking": { "Rerankers": { "x": { "Provider": "bm25", "ApiKye": "sk-live-0123456789" } } } }""");

        Assert.That(ex.Message, Does.Contain("Reranking:Rerankers:x:ApiKye: unknown key"));
        Assert.That(ex.Message, Does.Not.Contain("sk-live-0123456789"));
    }

    [Test]
    public void The_whole_configuration_instead_of_a_section_is_rejected()
    {
        var root = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();

        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddReranking(root))!;
        Assert.That(ex.Message, Does.Contain("GetSection(\"Reranking\")"));
    }

    [Test]
    public void Configured_names_resolve_as_keyed_services_with_their_configured_case()
    {
        var services = new ServiceCollection();
        services.AddReranking(ReRankingConfig.Section("""{ "Reranking": { "Rerankers": { "Lexical": { "Provider": "bm25" } } } }"""));
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetKeyedService<IReranker>("Lexical"), Is.Not.Null);
        Assert.That(provider.GetRequiredService<IRerankerProvider>().GetReranker("lexical"), Is.SameAs(provider.GetKeyedService<IReranker>("Lexical")));
        Assert.That(provider.GetService<IDistributedCache>(), Is.Null, "nothing else is registered on the application's behalf");
    }

    private static RerankerConfigurationContext Context(string json) =>
        new("x", ReRankingConfig.Section($$"""{ "Reranking": { "Rerankers": { "x": {{json}} } } }""", "Reranking:Rerankers:x"));
}
