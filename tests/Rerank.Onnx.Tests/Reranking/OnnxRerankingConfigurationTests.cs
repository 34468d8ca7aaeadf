using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rerank.Onnx.Tests.Goldens;
using Rerank.Testing;

namespace Rerank.Onnx.Tests.Reranking;

/// <summary>The <c>onnx</c> provider of <c>AddReranking</c>: keys bound, bad values failing at start-up with their path, one session per container.</summary>
[TestFixture]
public sealed class OnnxRerankingConfigurationTests
{
    internal static string Folder => GoldenFile.ModelDirectory("tiny-bert-cross-encoder").Replace("\\", "/", StringComparison.Ordinal);

    [Test]
    public void Every_key_is_bound()
    {
        OnnxConfiguredModel local = OnnxProviderFactory.Bind(Context($$"""
            { "Provider": "onnx", "Model": "tiny", "ModelDirectory": "{{Folder}}", "Variant": "quantized", "ModelPath": "onnx/model.onnx", "TokenizerPath": "tokenizer.json",
              "MaxLength": 128, "BatchSize": 8, "IntraOpNumThreads": 2, "InterOpNumThreads": 1, "Activation": "Identity", "LabelIndex": 0 }
            """));
        OnnxConfiguredModel hub = OnnxProviderFactory.Bind(Context("""
            { "Provider": "onnx", "Model": "cross-encoder/ms-marco-MiniLM-L-6-v2", "Revision": "v1", "CacheDirectory": "/tmp/hf", "Offline": true,
              "HubEndpoint": "http://127.0.0.1:9", "HubToken": "t" }
            """));

        Assert.Multiple(() =>
        {
            Assert.That(local.Options.ModelDirectory, Is.EqualTo(Path.GetFullPath(Folder)));
            Assert.That(local.Options.ModelId, Is.EqualTo("tiny"));
            Assert.That(local.Options.ModelVariant, Is.EqualTo(OnnxModelVariant.Quantized));
            Assert.That(local.Options.ModelPath, Is.EqualTo("onnx/model.onnx"));
            Assert.That(local.Options.TokenizerPath, Is.EqualTo("tokenizer.json"));
            Assert.That(local.Options.MaxLength, Is.EqualTo(128));
            Assert.That(local.Options.BatchSize, Is.EqualTo(8));
            Assert.That(local.Options.IntraOpNumThreads, Is.EqualTo(2));
            Assert.That(local.Options.InterOpNumThreads, Is.EqualTo(1));
            Assert.That(local.Options.Activation, Is.EqualTo(CrossEncoderActivation.Identity));
            Assert.That(local.Options.LabelIndex, Is.EqualTo(0));
            Assert.That(local.Hub, Is.Null);
            Assert.That(hub.RepoId, Is.EqualTo("cross-encoder/ms-marco-MiniLM-L-6-v2"));
            Assert.That(hub.Revision, Is.EqualTo("v1"));
            Assert.That(hub.Hub!.CacheDirectory, Is.EqualTo("/tmp/hf"));
            Assert.That(hub.Hub.Offline, Is.True);
            Assert.That(hub.Hub.Endpoint, Is.EqualTo(new Uri("http://127.0.0.1:9")));
            Assert.That(hub.Hub.Token, Is.EqualTo("t"));
        });
    }

    [TestCase("""{ "Provider": "onnx" }""", "Reranking:Rerankers:local:Model: required: a Hugging Face repository id")]
    [TestCase("""{ "Provider": "onnx", "ModelDirectory": "/no/such/folder" }""", "Reranking:Rerankers:local:ModelDirectory: the folder '/no/such/folder' does not exist")]
    [TestCase("""{ "Provider": "onnx", "Model": "not a repo" }""", "Reranking:Rerankers:local:Model: 'not a repo' is not a Hugging Face repository id")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "Revision": "../x" }""", "Reranking:Rerankers:local:Revision: '../x' is not a usable revision")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "Variant": "int4" }""", "Reranking:Rerankers:local:Variant: 'int4' is not one of Float32, Quantized, Float16.")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "Activation": "Softplus" }""", "Reranking:Rerankers:local:Activation: 'Softplus' is not one of")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "BatchSize": 0 }""", "Reranking:Rerankers:local:BatchSize: must be at least 1; got 0.")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "MaxLength": 2 }""", "Reranking:Rerankers:local:MaxLength: must be at least 3")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "IntraOpNumThreads": -1 }""", "Reranking:Rerankers:local:IntraOpNumThreads: must be at least 0")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "InterOpNumThreads": "two" }""", "Reranking:Rerankers:local:InterOpNumThreads: 'two' is not a valid whole number")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "LabelIndex": -1 }""", "Reranking:Rerankers:local:LabelIndex: must be at least 0")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "Offline": "sometimes" }""", "Reranking:Rerankers:local:Offline: 'sometimes' is not a valid boolean")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "HubEndpoint": "file:///x" }""", "Reranking:Rerankers:local:HubEndpoint: must be an absolute http or https address.")]
    [TestCase("""{ "Provider": "onnx", "Model": "a/b", "Varient": "Quantized" }""", "Reranking:Rerankers:local:Varient: unknown key for provider 'onnx'")]
    public void A_bad_value_fails_at_start_up_naming_its_path(string reranker, string expected)
    {
        var services = new ServiceCollection();
        services.AddReranking(Section($$"""{ "Reranking": { "Rerankers": { "local": {{reranker}} } } }""")).AddOnnxProvider();
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRerankerProvider>())!;
        Assert.That(ex.Message, Does.Contain(expected));
    }

    [Test]
    public void A_hub_model_that_is_not_cached_offline_fails_on_first_use_naming_the_reranker()
    {
        string cache = Directory.CreateTempSubdirectory("rerank-hf-").FullName;
        try
        {
            var services = new ServiceCollection();
            services.AddReranking(Section($$"""{ "Reranking": { "Rerankers": { "local": { "Provider": "onnx", "Model": "cross-encoder/ms-marco-MiniLM-L-6-v2", "Offline": true, "CacheDirectory": "{{cache}}" } } } }"""))
                .AddOnnxProvider();
            using ServiceProvider provider = services.BuildServiceProvider();

            var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IReranker>())!;
            Assert.That(ex.Message, Does.Contain("The reranker 'local' (Reranking:Rerankers:local) could not be built"));
            Assert.That(ex.InnerException, Is.InstanceOf<Rerank.Onnx.Hub.HuggingFaceHubOfflineException>());
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Test]
    public void One_session_serves_every_scope_and_is_disposed_with_the_container()
    {
        var services = new ServiceCollection();
        services.AddReranking(Section($$"""{ "Reranking": { "Rerankers": { "local": { "Provider": "onnx", "ModelDirectory": "{{Folder}}" } } } }""")).AddOnnxProvider();
        ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        OnnxCrossEncoderReranker first, second;
        using (IServiceScope scope = provider.CreateScope())
        {
            first = scope.ServiceProvider.GetRequiredService<IReranker>().GetService<OnnxCrossEncoderReranker>()!;
        }

        using (IServiceScope scope = provider.CreateScope())
        {
            second = scope.ServiceProvider.GetRequiredKeyedService<IReranker>("local").GetService<OnnxCrossEncoderReranker>()!;
        }

        Assert.That(second, Is.SameAs(first));
        provider.Dispose();
        Assert.ThrowsAsync<ObjectDisposedException>(() => first.RerankAsync("q", ["d"]));
    }

    internal static IConfigurationSection Section(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build().GetSection("Reranking");

    private static RerankerConfigurationContext Context(string json) =>
        new("local", new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "local": {{json}} }"""))).Build().GetSection("local"));
}

/// <summary>The contract suite against a cross-encoder read from configuration, with a memory cache and a timeout.</summary>
[TestFixture]
public sealed class ConfiguredOnnxContractTests : RerankerContractTests
{
    private ServiceProvider? _services;
    private IReranker? _reranker;

    protected override long BackendCallCount => _reranker!.GetService<OnnxCrossEncoderReranker>()!.SessionRunCount;

    protected override double ScoreTolerance => 1e-5;

    [TearDown]
    public void DisposeServices() => _services?.Dispose();

    protected override IReranker CreateReranker()
    {
        var services = new ServiceCollection();
        services.AddReranking(OnnxRerankingConfigurationTests.Section($$"""
            { "Reranking": { "Rerankers": { "local": { "Provider": "onnx", "ModelDirectory": "{{OnnxRerankingConfigurationTests.Folder}}", "BatchSize": 4, "Timeout": "00:01:00" } } } }
            """)).AddOnnxProvider();
        _services = services.BuildServiceProvider();
        return _reranker = _services.GetRequiredService<IReranker>();
    }
}
