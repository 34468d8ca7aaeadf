using System.Text;
using Microsoft.Extensions.AI;
using Rerank.Onnx.Hub;
using Rerank.Onnx.Tests.Embeddings;

namespace Rerank.Onnx.Tests.Hub;

/// <summary><c>OnnxEmbeddingGenerator.FromPretrainedAsync</c> against the test Hub serving the tiny BERT embedding fixture.</summary>
public sealed class OnnxEmbeddingGeneratorHubTests : HubTestBase
{
    private const string EmbeddingId = "sentence-transformers/tiny-bert";

    private static readonly string[] Texts = ["Composting turns food scraps into humus.", "The quick brown fox jumps over the lazy dog.", string.Empty];

    private static string FixtureFolder => EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Bert);

    private string Snapshot(string commit) => Path.Combine(CacheDirectory, "models--sentence-transformers--tiny-bert", "snapshots", commit);

    [Test]
    public async Task FromPretrained_downloads_the_sentence_transformers_files_and_embeds_as_the_folder_does()
    {
        string commit = Server.AddRepo(EmbeddingId).Commit(FolderFiles(FixtureFolder));
        var progress = new ProgressLog();

        using OnnxEmbeddingGenerator fromHub = await OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, new OnnxEmbeddingGeneratorOptions { IntraOpNumThreads = 1 }, HubOptions(), progress: progress);
        using var fromFolder = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(FixtureFolder) { IntraOpNumThreads = 1 });

        Assert.That(fromHub.ModelId, Is.EqualTo(EmbeddingId));
        Assert.That(fromHub.ModelPath, Is.EqualTo(Path.Combine(Snapshot(commit), "onnx", "model.onnx")));
        Assert.That(fromHub.MaxLength, Is.EqualTo(fromFolder.MaxLength), "sentence_bert_config.json came along");
        Assert.That(await VectorsAsync(fromHub), Is.EqualTo(await VectorsAsync(fromFolder)), "the same files give the same vectors: pooling and Normalize came along");
        Assert.That(
            progress.Reports.Where(r => r.IsFileComplete).Select(r => r.FilePath),
            Is.SupersetOf(new[] { "modules.json", "1_Pooling/config.json", "sentence_bert_config.json", "config_sentence_transformers.json", "onnx/model.onnx", "tokenizer.json" }));
        Assert.That(Server.ContentRequests().Select(r => r.Path), Has.None.Contains("README"), "only what the generator reads");
    }

    [Test]
    public async Task Second_time_it_loads_from_the_cache_without_requests_even_for_files_the_repository_lacks()
    {
        Dictionary<string, byte[]> files = FolderFiles(FixtureFolder);
        files.Remove("config_sentence_transformers.json");
        Server.AddRepo(EmbeddingId).Commit(files);
        using (await OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, hubOptions: HubOptions()))
        {
        }

        int requests = Server.Requests.Count;
        using OnnxEmbeddingGenerator again = await OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, hubOptions: HubOptions(o => o.Endpoint = HubTestServer.UnreachableEndpoint()));

        Assert.That(Server.Requests, Has.Count.EqualTo(requests));
        Assert.That((await again.GenerateAsync(Texts)).Count, Is.EqualTo(Texts.Length));
    }

    [Test]
    public async Task A_repository_without_sentence_transformers_files_gets_mean_pooling_and_a_notice()
    {
        Dictionary<string, byte[]> files = FolderFiles(FixtureFolder);
        foreach (string path in files.Keys.Where(p => p is "modules.json" or "sentence_bert_config.json" or "config_sentence_transformers.json" || p.StartsWith("1_Pooling/", StringComparison.Ordinal) || p.StartsWith("2_Normalize/", StringComparison.Ordinal)).ToList())
        {
            files.Remove(path);
        }

        Server.AddRepo(EmbeddingId).Commit(files);

        using OnnxEmbeddingGenerator generator = await OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, new OnnxEmbeddingGeneratorOptions { Logger = Logger }, HubOptions());
        using var mean = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(FixtureFolder) { Pooling = EmbeddingPooling.Mean, Normalize = false });

        Assert.That(await VectorsAsync(generator), Is.EqualTo(await VectorsAsync(mean)).Within(1e-6f));
        Assert.That(Logger.Collector.GetSnapshot().Select(r => r.Message), Has.Some.Contains("no pooling configuration"));
    }

    [Test]
    public async Task A_pooling_folder_named_by_modules_json_is_fetched_at_the_same_commit()
    {
        Dictionary<string, byte[]> files = FolderFiles(FixtureFolder);
        files["modules.json"] = Encoding.UTF8.GetBytes("""
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "pooling_cls", "type": "sentence_transformers.models.Pooling"}]
            """);
        files["pooling_cls/config.json"] = Encoding.UTF8.GetBytes("""{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");
        string commit = Server.AddRepo(EmbeddingId).Commit(files);

        using OnnxEmbeddingGenerator generator = await OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, hubOptions: HubOptions());
        using var cls = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(FixtureFolder) { Pooling = EmbeddingPooling.Cls, Normalize = false });

        Assert.That(File.Exists(Path.Combine(Snapshot(commit), "pooling_cls", "config.json")), Is.True);
        Assert.That(await VectorsAsync(generator), Is.EqualTo(await VectorsAsync(cls)).Within(1e-6f), "CLS pooling, no Normalize module");
        Assert.That(Server.Requests.Where(r => r.Path.Contains("pooling_cls", StringComparison.Ordinal)).Select(r => r.Path), Is.Not.Empty.And.All.Contains(commit), "asked at the commit the first files came from");
    }

    [Test]
    public void A_pooling_folder_outside_the_repository_is_refused()
    {
        Dictionary<string, byte[]> files = FolderFiles(FixtureFolder);
        files["modules.json"] = Encoding.UTF8.GetBytes("""[{"path": "../../../etc", "type": "sentence_transformers.models.Pooling"}]""");
        Server.AddRepo(EmbeddingId).Commit(files);

        var error = Assert.ThrowsAsync<OnnxModelLoadException>(() => OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, hubOptions: HubOptions()))!;

        Assert.That(error.Message, Does.Contain("outside the model folder"));
        Assert.That(Server.Requests.Select(r => r.Path), Has.None.Contains("etc"));
    }

    [Test]
    public void A_pooling_module_whose_configuration_the_repository_lacks_is_an_error_naming_the_file()
    {
        Dictionary<string, byte[]> files = FolderFiles(FixtureFolder);
        files.Remove("1_Pooling/config.json");
        Server.AddRepo(EmbeddingId).Commit(files);

        var error = Assert.ThrowsAsync<OnnxModelNotFoundException>(() => OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, hubOptions: HubOptions()))!;

        Assert.That(error.Message, Does.Contain(Path.Combine("1_Pooling", "config.json")).And.Contain("modules.json"));
    }

    [Test]
    public void A_model_with_a_Dense_module_is_refused_rather_than_embedded_without_it()
    {
        Dictionary<string, byte[]> files = FolderFiles(FixtureFolder);
        files["modules.json"] = Encoding.UTF8.GetBytes("""
            [{"path": "", "type": "sentence_transformers.models.Transformer"},
             {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"path": "2_Dense", "type": "sentence_transformers.models.Dense"}]
            """);
        Server.AddRepo(EmbeddingId).Commit(files);

        var error = Assert.ThrowsAsync<OnnxModelLoadException>(() => OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, hubOptions: HubOptions()))!;

        Assert.That(error.Message, Does.Contain("sentence_transformers.models.Dense").And.Contain("does not run"));
        Assert.That(Server.Requests.Select(r => r.Path), Has.None.Contains(".onnx"), "refused before the ONNX file is even looked at");
    }

    [Test]
    public async Task The_quantized_variant_downloads_the_quantized_file_only()
    {
        Dictionary<string, byte[]> files = FolderFiles(FixtureFolder);
        files["onnx/model_quantized.onnx"] = files["onnx/model.onnx"];
        string commit = Server.AddRepo(EmbeddingId).Commit(files);
        using var downloader = new HuggingFaceModelDownloader(HubOptions());

        using OnnxEmbeddingGenerator generator = await OnnxEmbeddingGenerator.FromPretrainedAsync(downloader, EmbeddingId, new OnnxEmbeddingGeneratorOptions { ModelVariant = OnnxModelVariant.Quantized });

        Assert.That(generator.ModelPath, Is.EqualTo(Path.Combine(Snapshot(commit), "onnx", "model_quantized.onnx")));
        Assert.That(Server.ContentRequests().Select(r => r.Path), Has.None.EndsWith("/onnx/model.onnx"));
    }

    [Test]
    public void Options_naming_a_folder_or_an_absolute_path_are_refused_before_any_request()
    {
        Server.AddRepo(EmbeddingId).Commit(FolderFiles(FixtureFolder));

        Assert.ThrowsAsync<ArgumentException>(() => OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, new OnnxEmbeddingGeneratorOptions(FixtureFolder), HubOptions()));
        var absolute = Assert.ThrowsAsync<ArgumentException>(() => OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, new OnnxEmbeddingGeneratorOptions { ModelPath = "/tmp/model.onnx" }, HubOptions()))!;
        Assert.ThrowsAsync<ArgumentException>(() => OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, new OnnxEmbeddingGeneratorOptions { TokenizerPath = "../vocab.txt" }, HubOptions()));
        Assert.ThrowsAsync<ArgumentNullException>(() => OnnxEmbeddingGenerator.FromPretrainedAsync((HuggingFaceModelDownloader)null!, EmbeddingId));
        Assert.That(absolute.Message, Does.Contain("OnnxEmbeddingGeneratorOptions.ModelPath"));
        Assert.That(Server.Requests, Is.Empty);
    }

    [Test]
    public void Offline_without_the_model_is_an_offline_error()
    {
        Server.AddRepo(EmbeddingId).Commit(FolderFiles(FixtureFolder));

        var error = Assert.ThrowsAsync<HuggingFaceHubOfflineException>(() => OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, hubOptions: HubOptions(o => o.Offline = true)))!;

        Assert.That(error.MissingFiles, Does.Contain("config.json"));
        Assert.That(Server.Requests, Is.Empty);
    }

    [Test]
    public async Task The_callers_options_are_left_as_they_were()
    {
        Server.AddRepo(EmbeddingId).Commit(FolderFiles(FixtureFolder));
        var options = new OnnxEmbeddingGeneratorOptions { BatchSize = 3, MaxLength = 16 };

        using OnnxEmbeddingGenerator generator = await OnnxEmbeddingGenerator.FromPretrainedAsync(EmbeddingId, options, HubOptions());

        Assert.That(generator.MaxLength, Is.EqualTo(16));
        Assert.That((options.ModelDirectory, options.ModelPath, options.ModelId), Is.EqualTo(((string?)null, (string?)null, (string?)null)));
    }

    [Test]
    public void Copy_carries_every_option()
    {
        // A tripwire: a new option must be added to OnnxEmbeddingGeneratorHub.Copy, or FromPretrainedAsync would drop it.
        string[] settable = [.. typeof(OnnxEmbeddingGeneratorOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name)];
        Assert.That(settable, Has.Length.EqualTo(16), "OnnxEmbeddingGeneratorOptions gained or lost a property: update OnnxEmbeddingGeneratorHub.Copy and this count.");

        Action<Microsoft.ML.OnnxRuntime.SessionOptions> configure = _ => { };
        var original = new OnnxEmbeddingGeneratorOptions
        {
            ModelDirectory = "d", ModelPath = "m", TokenizerPath = "t", ModelVariant = OnnxModelVariant.Quantized, MaxLength = 77, Pooling = EmbeddingPooling.Max,
            Normalize = false, DefaultPromptName = "query", BatchSize = 3, IntraOpNumThreads = 2, InterOpNumThreads = 1, ConfigureSessionOptions = configure,
            ModelId = "id", Logger = Logger, ExecutionProviders = [OnnxExecutionProvider.Cuda()], AllowCpuFallback = true,
        };
        OnnxEmbeddingGeneratorOptions copy = OnnxEmbeddingGeneratorHub.Copy(original);
        foreach (var property in typeof(OnnxEmbeddingGeneratorOptions).GetProperties().Where(p => p.CanWrite))
        {
            Assert.That(property.GetValue(copy), Is.EqualTo(property.GetValue(original)), property.Name);
        }
    }

    private static async Task<float[][]> VectorsAsync(OnnxEmbeddingGenerator generator) =>
        [.. (await generator.GenerateAsync(Texts)).Select(e => e.Vector.ToArray())];
}
