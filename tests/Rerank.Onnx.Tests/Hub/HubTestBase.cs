using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Rerank.Onnx.Hub;

namespace Rerank.Onnx.Tests.Hub;

/// <summary>
/// A fresh test Hub and an empty cache folder for every test, a downloader wired to them with an environment that
/// holds only what the test gives it (so the machine's own HF_* variables never leak in), and a logger whose output is
/// checked for the token after every test.
/// </summary>
public abstract class HubTestBase
{
    protected const string RepoId = "cross-encoder/tiny-test";
    protected const string Token = "hf_TestSecretToken_5f2c9a1e7b";

    internal HubTestServer Server { get; private set; } = null!;

    protected string CacheDirectory { get; private set; } = null!;

    protected string RepoFolder => Path.Combine(CacheDirectory, "models--cross-encoder--tiny-test");

    protected FakeLogger Logger { get; private set; } = null!;

    [SetUp]
    public async Task StartHubAsync()
    {
        Server = await HubTestServer.StartAsync();
        CacheDirectory = Path.Combine(Path.GetTempPath(), "rerank-hub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(CacheDirectory);
        Logger = new FakeLogger();
    }

    [TearDown]
    public async Task StopHubAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(CacheDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a failed test; the temp folder is cleaned by the OS.
        }

        foreach (var record in Logger.Collector.GetSnapshot())
        {
            Assert.That(record.Message + record.Exception, Does.Not.Contain(Token), "The token must never be logged.");
        }
    }

    /// <summary>The files of a small cross-encoder repository: config, tokenizer files and a 300 kB ONNX file (an LFS file).</summary>
    protected static Dictionary<string, byte[]> CrossEncoderFiles(int onnxSize = 300_000, int seed = 42)
    {
        var onnx = new byte[onnxSize];
        new Random(seed).NextBytes(onnx);
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["config.json"] = Encoding.UTF8.GetBytes("{\n  \"architectures\": [\"BertForSequenceClassification\"],\n  \"num_labels\": 1,\n  \"max_position_embeddings\": 512\n}\n"),
            ["tokenizer_config.json"] = Encoding.UTF8.GetBytes("{\"do_lower_case\": true, \"model_max_length\": 512}\n"),
            ["tokenizer.json"] = Encoding.UTF8.GetBytes("{\"version\": \"1.0\", \"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[PAD]\": 0, \"[UNK]\": 1}}}\n"),
            ["vocab.txt"] = Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n"),
            ["README.md"] = Encoding.UTF8.GetBytes("# tiny test cross-encoder\n"),
            ["onnx/model.onnx"] = onnx,
        };
    }

    internal HuggingFaceModelDownloader CreateDownloader(Action<HuggingFaceHubOptions>? configure = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var options = new HuggingFaceHubOptions
        {
            Endpoint = Server.Endpoint,
            CacheDirectory = CacheDirectory,
            Logger = Logger,
            MetadataTimeout = TimeSpan.FromSeconds(10),
            DownloadTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new HuggingFaceModelDownloader(options, name => environment is not null && environment.TryGetValue(name, out string? value) ? value : null);
    }

    /// <summary>Options for the <c>FromPretrainedAsync</c> methods, which build their own downloader, pointed at the test Hub.</summary>
    protected HuggingFaceHubOptions HubOptions(Action<HuggingFaceHubOptions>? configure = null)
    {
        // FromPretrainedAsync reads the real environment: pin everything it could take from there (HF_HUB_OFFLINE=1 or a
        // small HF_HUB_ETAG_TIMEOUT on the machine running the tests would otherwise change the outcome).
        var options = new HuggingFaceHubOptions
        {
            Endpoint = Server.Endpoint,
            CacheDirectory = CacheDirectory,
            Logger = Logger,
            Token = string.Empty,
            Offline = false,
            MetadataTimeout = TimeSpan.FromSeconds(30),
            DownloadTimeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Every file of a fixture folder by its repository path, to publish on the test Hub.</summary>
    protected static Dictionary<string, byte[]> FolderFiles(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes, StringComparer.Ordinal);

    /// <summary>Checks the huggingface_hub layout of one file: the blob named by its ETag, a relative symlink to it, the content.</summary>
    internal void AssertCachedFile(string commit, HubTestFile file)
    {
        string pointer = Path.Combine(RepoFolder, "snapshots", commit, file.Path);
        string blob = Path.Combine(RepoFolder, "blobs", file.Etag);
        Assert.That(File.Exists(blob), Is.True, $"blob {file.Etag} of {file.Path}");
        Assert.That(File.ReadAllBytes(blob), Is.EqualTo(file.Content), $"content of blob {file.Path}");
        string depth = string.Concat(Enumerable.Repeat("../", file.Path.Count(c => c == '/') + 2));
        Assert.That(new FileInfo(pointer).LinkTarget, Is.EqualTo($"{depth}blobs/{file.Etag}"), $"symlink of {file.Path}");
        Assert.That(File.ReadAllBytes(pointer), Is.EqualTo(file.Content), $"content through the snapshot of {file.Path}");
    }

    /// <summary>Fills the cache the ordinary way: one complete cross-encoder download from the test Hub.</summary>
    protected async Task DownloadOnceAsync()
    {
        using HuggingFaceModelDownloader downloader = CreateDownloader();
        await downloader.DownloadCrossEncoderAsync(RepoId);
    }

    /// <summary>Leaves a partial download of <paramref name="file"/>, as an interrupted earlier process would.</summary>
    internal void WritePartial(HubTestFile file, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(RepoFolder, "blobs"));
        File.WriteAllBytes(Path.Combine(RepoFolder, "blobs", file.Etag + ".incomplete"), bytes);
    }

    protected static void AssertNoToken(Exception exception) =>
        Assert.That(exception.ToString(), Does.Not.Contain(Token), "The token must never appear in an exception.");

    protected string[] LeftoverPartials() =>
        Directory.Exists(Path.Combine(RepoFolder, "blobs")) ? Directory.GetFiles(Path.Combine(RepoFolder, "blobs"), "*.incomplete") : [];
}
