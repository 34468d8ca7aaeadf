using Rerank.Onnx.Hub;

namespace Rerank.Onnx.Tests.Hub;

/// <summary><c>OnnxCrossEncoderReranker.FromPretrainedAsync</c> against the test Hub serving the real tiny BERT fixture.</summary>
public sealed class OnnxCrossEncoderHubTests : HubTestBase
{
    private const string TinyBertId = "cross-encoder/tiny-bert";

    private static readonly string[] Documents =
    [
        "Composting turns food scraps and garden waste into humus.",
        "Plastic bottles are shredded, washed and melted into pellets.",
        "The quick brown fox jumps over the lazy dog.",
    ];

    private static string FixtureFolder => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "tiny-bert-cross-encoder");

    [Test]
    public async Task FromPretrained_DownloadsTheFixture_AndScoresAsTheFolderDoes()
    {
        string commit = PublishFixture();
        var progress = new ProgressLog();

        using OnnxCrossEncoderReranker fromHub = await OnnxCrossEncoderReranker.FromPretrainedAsync(
            TinyBertId, new OnnxCrossEncoderOptions { IntraOpNumThreads = 1 }, HubOptions(), progress: progress);
        using var fromFolder = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(FixtureFolder) { IntraOpNumThreads = 1 });

        Assert.That(fromHub.ModelId, Is.EqualTo(TinyBertId));
        Assert.That(fromHub.ModelPath, Is.EqualTo(Path.Combine(CacheDirectory, "models--cross-encoder--tiny-bert", "snapshots", commit, "onnx", "model.onnx")));
        Assert.That(await ScoresAsync(fromHub), Is.EqualTo(await ScoresAsync(fromFolder)), "the same files give the same scores");
        Assert.That(progress.Reports.Where(r => r.IsFileComplete).Select(r => r.FilePath), Does.Contain("onnx/model.onnx").And.Contain("tokenizer.json").And.Contain("config.json"));
        Assert.That(Server.Requests.Where(r => r.Method == "HEAD").Select(r => r.Path), Has.None.Contains("quantized"), "Float32 asks only for the float32 files");
    }

    [Test]
    public async Task FromPretrained_SecondTime_LoadsFromTheCacheWithoutRequests()
    {
        PublishFixture();
        using (await OnnxCrossEncoderReranker.FromPretrainedAsync(TinyBertId, hubOptions: HubOptions()))
        {
        }

        int requests = Server.Requests.Count;
        using OnnxCrossEncoderReranker again = await OnnxCrossEncoderReranker.FromPretrainedAsync(TinyBertId, hubOptions: HubOptions(o => o.Endpoint = HubTestServer.UnreachableEndpoint()));

        Assert.That(Server.Requests, Has.Count.EqualTo(requests));
        Assert.That(await ScoresAsync(again), Has.Length.EqualTo(Documents.Length));
    }

    [Test]
    public async Task QuantizedVariant_DownloadsTheQuantizedFileOnly()
    {
        string commit = PublishFixture(extra: ("onnx/model_quantized.onnx", "onnx/model.onnx"));
        using var downloader = new HuggingFaceModelDownloader(HubOptions());

        using OnnxCrossEncoderReranker reranker = await OnnxCrossEncoderReranker.FromPretrainedAsync(
            downloader, TinyBertId, new OnnxCrossEncoderOptions { ModelVariant = OnnxModelVariant.Quantized });

        Assert.That(reranker.ModelPath, Does.EndWith(Path.Combine(commit, "onnx", "model_quantized.onnx")));
        Assert.That(Server.ContentRequests().Select(r => r.Path), Has.None.EndsWith("/onnx/model.onnx"));
    }

    [Test]
    public async Task RelativeModelPath_NamesTheRepositoryFile_AndTheCallersOptionsAreUntouched()
    {
        PublishFixture(extra: ("onnx/model_qint8_avx512.onnx", "onnx/model.onnx"));
        var options = new OnnxCrossEncoderOptions { ModelPath = "onnx/model_qint8_avx512.onnx", BatchSize = 7 };

        using OnnxCrossEncoderReranker reranker = await OnnxCrossEncoderReranker.FromPretrainedAsync(TinyBertId, options, HubOptions());

        Assert.That(reranker.ModelPath, Does.EndWith("model_qint8_avx512.onnx"));
        Assert.That(options.ModelDirectory, Is.Null);
        Assert.That(options.ModelPath, Is.EqualTo("onnx/model_qint8_avx512.onnx"));
        Assert.That(options.ModelId, Is.Null);
    }

    [Test]
    public void OptionsNamingAFolderOrAnAbsolutePath_AreRefusedBeforeAnyRequest()
    {
        PublishFixture();

        Assert.ThrowsAsync<ArgumentException>(() => OnnxCrossEncoderReranker.FromPretrainedAsync(TinyBertId, new OnnxCrossEncoderOptions(FixtureFolder), HubOptions()));
        Assert.ThrowsAsync<ArgumentException>(() => OnnxCrossEncoderReranker.FromPretrainedAsync(TinyBertId, new OnnxCrossEncoderOptions { ModelPath = "/tmp/model.onnx" }, HubOptions()));
        Assert.ThrowsAsync<ArgumentException>(() => OnnxCrossEncoderReranker.FromPretrainedAsync(TinyBertId, new OnnxCrossEncoderOptions { TokenizerPath = "../vocab.txt" }, HubOptions()));
        Assert.That(Server.Requests, Is.Empty);
    }

    [Test]
    public void Offline_WithoutTheModel_IsAnOfflineError()
    {
        PublishFixture();

        var ex = Assert.ThrowsAsync<HuggingFaceHubOfflineException>(() => OnnxCrossEncoderReranker.FromPretrainedAsync(TinyBertId, hubOptions: HubOptions(o => o.Offline = true)));

        Assert.That(ex!.MissingFiles, Does.Contain("config.json"));
    }

    [Test]
    public void Copy_CarriesEveryOption()
    {
        // A tripwire: a new option must be added to OnnxCrossEncoderHub.Copy, or FromPretrainedAsync would drop it.
        var settable = typeof(OnnxCrossEncoderOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToArray();
        Assert.That(settable, Has.Length.EqualTo(15), "OnnxCrossEncoderOptions gained or lost a property: update OnnxCrossEncoderHub.Copy and this count.");

        Action<Microsoft.ML.OnnxRuntime.SessionOptions> configure = _ => { };
        var original = new OnnxCrossEncoderOptions
        {
            ModelDirectory = "d", ModelPath = "m", TokenizerPath = "t", ModelVariant = OnnxModelVariant.Float16, MaxLength = 77, BatchSize = 3,
            IntraOpNumThreads = 2, InterOpNumThreads = 1, Activation = CrossEncoderActivation.Identity, LabelIndex = 1,
            ConfigureSessionOptions = configure, ModelId = "id", Logger = Logger,
            ExecutionProviders = [OnnxExecutionProvider.Cuda()], AllowCpuFallback = true,
        };
        OnnxCrossEncoderOptions copy = OnnxCrossEncoderHub.Copy(original);
        foreach (var property in typeof(OnnxCrossEncoderOptions).GetProperties().Where(p => p.CanWrite))
        {
            Assert.That(property.GetValue(copy), Is.EqualTo(property.GetValue(original)), property.Name);
        }
    }

    /// <summary>Serves the tiny BERT fixture folder as a Hub repository; <paramref name="extra"/> adds a copy of a file under another name.</summary>
    private string PublishFixture(params (string Path, string CopyOf)[] extra)
    {
        Dictionary<string, byte[]> files = FolderFiles(FixtureFolder);
        foreach ((string path, string copyOf) in extra)
        {
            files[path] = files[copyOf];
        }

        return Server.AddRepo(TinyBertId).Commit(files);
    }

    private static async Task<double[]> ScoresAsync(IReranker reranker)
    {
        RerankResponse response = await reranker.RerankAsync("how to compost kitchen waste", Documents.Select(d => new RerankDocument(d)));
        return [.. response.Results.OrderBy(r => r.Index).Select(r => r.Score)];
    }
}
