using System.Text;
using Rerank.Onnx.Hub;

namespace Rerank.Onnx.Tests.Hub;

/// <summary>
/// A cache written by Python's huggingface_hub, built here by hand (independently of the code under test) exactly as
/// <c>hf_hub_download</c> leaves it: content-addressed blobs, relative symlinks in the snapshot, <c>refs/main</c>, and
/// <c>.no_exist</c> markers for files it found missing.
/// </summary>
public sealed class HubPythonCacheTests : HubTestBase
{
    private const string Commit = "c5ee2a4b9d3e3ec5d0b51d9fd71b1e8fd1fbf0a1";

    [Test]
    public async Task PythonCache_IsUsed_WithoutAnyRequest_EvenWithTheHubUnreachable()
    {
        Dictionary<string, byte[]> files = CrossEncoderFiles();
        files["model.safetensors"] = new byte[20_000];
        WritePythonCache(files, noExist: ["special_tokens_map.json", "sentencepiece.bpe.model", "onnx/model.onnx_data"]);
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.Endpoint = HubTestServer.UnreachableEndpoint());

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId);

        Assert.That(snapshot.CommitHash, Is.EqualTo(Commit));
        Assert.That(snapshot.Directory, Is.EqualTo(Path.Combine(RepoFolder, "snapshots", Commit)));
        Assert.That(snapshot.Files, Is.EquivalentTo(new[] { "config.json", "tokenizer_config.json", "tokenizer.json", "onnx/model.onnx" }));
        Assert.That(snapshot.DownloadedFiles, Is.Empty);
        Assert.That(File.ReadAllBytes(snapshot.GetPath("onnx/model.onnx")), Is.EqualTo(files["onnx/model.onnx"]));
        Assert.That(Server.Requests, Is.Empty);
    }

    [Test]
    public async Task PythonCache_WithoutMarkers_AsksTheHub_ButDownloadsNothingItHas()
    {
        Dictionary<string, byte[]> files = CrossEncoderFiles();
        WritePythonCache(files, noExist: []);
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(files);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId);

        Assert.That(Server.ContentRequests(), Is.Empty, "every blob was already there, under the same ETag");
        Assert.That(Server.Requests, Is.Not.Empty, "unknown optional files are asked about");
        Assert.That(snapshot.CommitHash, Is.EqualTo(commit));
        AssertCachedFile(commit, repo.File(commit, "onnx/model.onnx"));
    }

    [Test]
    public async Task PythonCache_WithoutMarkers_ServesOffline()
    {
        WritePythonCache(CrossEncoderFiles(), noExist: []);
        using HuggingFaceModelDownloader downloader = CreateDownloader(environment: new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "1" });

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId);

        Assert.That(snapshot.Files, Does.Contain("onnx/model.onnx").And.Contain("tokenizer.json"));
        Assert.That(Server.Requests, Is.Empty);
    }

    [Test]
    public async Task PythonCacheWithCopiesInsteadOfSymlinks_IsUsed()
    {
        // What huggingface_hub leaves on Windows without developer mode: real files in the snapshot.
        Dictionary<string, byte[]> files = CrossEncoderFiles();
        WritePythonCache(files, noExist: ["special_tokens_map.json", "sentencepiece.bpe.model", "onnx/model.onnx_data"], symlinks: false);
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.Endpoint = HubTestServer.UnreachableEndpoint());

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId);

        Assert.That(File.ReadAllBytes(snapshot.GetPath("vocab.txt")), Is.EqualTo(files["vocab.txt"]));
    }

    [Test]
    public async Task HfHomeAndHfHubCache_PointAtThePythonCache()
    {
        WritePythonCache(CrossEncoderFiles(), noExist: ["special_tokens_map.json", "sentencepiece.bpe.model", "onnx/model.onnx_data"]);
        string hfHome = Path.GetDirectoryName(CacheDirectory)!;
        var viaHubCache = new HuggingFaceModelDownloader(new HuggingFaceHubOptions { Endpoint = HubTestServer.UnreachableEndpoint() }, name => name == "HF_HUB_CACHE" ? CacheDirectory : null);

        HuggingFaceSnapshot snapshot = await viaHubCache.DownloadCrossEncoderAsync(RepoId);

        Assert.That(snapshot.CommitHash, Is.EqualTo(Commit));
        Assert.That(viaHubCache.CacheDirectory, Is.EqualTo(CacheDirectory));
        var viaHome = new HuggingFaceModelDownloader(null, name => name == "HF_HOME" ? hfHome : null);
        Assert.That(viaHome.CacheDirectory, Is.EqualTo(Path.Combine(hfHome, "hub")));
        viaHubCache.Dispose();
        viaHome.Dispose();
    }

    private void WritePythonCache(Dictionary<string, byte[]> files, string[] noExist, bool symlinks = true)
    {
        Directory.CreateDirectory(Path.Combine(RepoFolder, "blobs"));
        Directory.CreateDirectory(Path.Combine(RepoFolder, "refs"));
        File.WriteAllText(Path.Combine(RepoFolder, "refs", "main"), Commit, new UTF8Encoding(false));
        foreach ((string path, byte[] content) in files)
        {
            var file = new HubTestFile(path, content, path.EndsWith(".onnx", StringComparison.Ordinal) || content.Length > 10_000);
            File.WriteAllBytes(Path.Combine(RepoFolder, "blobs", file.Etag), content);
            string pointer = Path.Combine(RepoFolder, "snapshots", Commit, path);
            Directory.CreateDirectory(Path.GetDirectoryName(pointer)!);
            if (symlinks)
            {
                string up = string.Concat(Enumerable.Repeat("../", path.Count(c => c == '/') + 2));
                File.CreateSymbolicLink(pointer, up + "blobs/" + file.Etag);
            }
            else
            {
                File.WriteAllBytes(pointer, content);
            }
        }

        foreach (string path in noExist)
        {
            string marker = Path.Combine(RepoFolder, ".no_exist", Commit, path);
            Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
            File.WriteAllBytes(marker, []);
        }
    }
}
