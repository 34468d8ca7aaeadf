using Rerank.Onnx.Hub;

namespace Rerank.Onnx.Tests.Hub;

public sealed class HuggingFaceModelDownloaderTests : HubTestBase
{
    [Test]
    public async Task DownloadCrossEncoder_LaysFilesOutExactlyAsHuggingFaceHub()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId);

        Assert.That(snapshot.CommitHash, Is.EqualTo(commit));
        Assert.That(snapshot.Directory, Is.EqualTo(Path.Combine(RepoFolder, "snapshots", commit)));
        Assert.That(snapshot.Files, Is.EquivalentTo(new[] { "config.json", "tokenizer_config.json", "tokenizer.json", "onnx/model.onnx" }));
        Assert.That(snapshot.DownloadedFiles, Is.EquivalentTo(snapshot.Files));
        foreach (string path in snapshot.Files)
        {
            AssertCachedFile(commit, repo.File(commit, path));
        }

        Assert.That(File.ReadAllText(Path.Combine(RepoFolder, "refs", "main")), Is.EqualTo(commit), "refs/main holds the commit, with no newline, as huggingface_hub writes it");
        Assert.That(File.Exists(Path.Combine(RepoFolder, ".no_exist", commit, "special_tokens_map.json")), Is.True, "an optional 404 is remembered as huggingface_hub does");
        Assert.That(File.Exists(Path.Combine(RepoFolder, ".no_exist", commit, "onnx", "model.onnx_data")), Is.True);
        Assert.That(File.Exists(Path.Combine(RepoFolder, "snapshots", commit, "README.md")), Is.False, "only the files asked for are fetched");
        Assert.That(File.Exists(Path.Combine(RepoFolder, "snapshots", commit, "vocab.txt")), Is.False, "tokenizer.json is preferred, so vocab.txt is not needed");
        Assert.That(Directory.GetFiles(Path.Combine(CacheDirectory, ".locks", "models--cross-encoder--tiny-test")).Select(Path.GetFileName),
            Has.Member(repo.File(commit, "onnx/model.onnx").Sha256 + ".lock"), "locks live where Python's filelock puts them");
        Assert.That(LeftoverPartials(), Is.Empty);
    }

    [Test]
    public async Task LfsFile_IsFetchedFromTheCdnHost_WithoutTheToken()
    {
        Server.ValidToken = Token;
        HubTestRepo repo = Server.AddRepo(RepoId, isPrivate: true);
        string commit = repo.Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.Token = Token);

        string path = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx");

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(repo.File(commit, "onnx/model.onnx").Content));
        HubTestRequest[] requests = [.. Server.Requests];
        HubTestRequest head = requests.Single(r => r.Method == "HEAD");
        HubTestRequest cdn = requests.Single(r => r.Method == "GET");
        Assert.Multiple(() =>
        {
            Assert.That(head.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(head.Path, Is.EqualTo("/cross-encoder/tiny-test/resolve/main/onnx/model.onnx"));
            Assert.That(head.Authorization, Is.EqualTo("Bearer " + Token), "the Hub itself gets the token");
            Assert.That(cdn.Host, Is.EqualTo("localhost"), "the content comes from the redirect's host");
            Assert.That(cdn.Path, Does.StartWith("/cdn/"));
            Assert.That(cdn.Authorization, Is.Null, "the token must not follow a redirect to another host");
        });
    }

    [Test]
    public async Task LfsRedirectToAPathOnTheSameHost_IsFollowed()
    {
        Server.CdnOnSameHost = true;
        Server.WeakEtags = true;
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        await downloader.DownloadFilesAsync(RepoId, ["onnx/model.onnx", "config.json"]);

        AssertCachedFile(commit, repo.File(commit, "onnx/model.onnx"));
        AssertCachedFile(commit, repo.File(commit, "config.json"));
        Assert.That(Server.ContentRequests().Select(r => r.Path), Has.Some.StartsWith("/cdn/"));
    }

    [Test]
    public async Task CompleteCachedSnapshot_IsUsedWithoutAnyRequest()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        await DownloadOnceAsync();

        int requestsBefore = Server.Requests.Count;
        using HuggingFaceModelDownloader second = CreateDownloader();
        HuggingFaceSnapshot snapshot = await second.DownloadCrossEncoderAsync(RepoId);

        Assert.That(Server.Requests, Has.Count.EqualTo(requestsBefore), "a complete snapshot needs no request");
        Assert.That(snapshot.CommitHash, Is.EqualTo(commit));
        Assert.That(snapshot.DownloadedFiles, Is.Empty);
        Assert.That(snapshot.Files, Has.Member("onnx/model.onnx"));
    }

    [Test]
    public async Task CheckForUpdates_AsksTheHub_AndDownloadsOnlyWhatChanged()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        Dictionary<string, byte[]> files = CrossEncoderFiles();
        string first = repo.Commit(files);
        await DownloadOnceAsync();

        files["config.json"] = "{\"num_labels\": 1, \"changed\": true}"u8.ToArray();
        string second = repo.Commit(files);
        int requestsBefore = Server.Requests.Count;
        using HuggingFaceModelDownloader updating = CreateDownloader(o => o.CheckForUpdates = true);

        HuggingFaceSnapshot snapshot = await updating.DownloadCrossEncoderAsync(RepoId);

        Assert.That(snapshot.CommitHash, Is.EqualTo(second));
        Assert.That(snapshot.DownloadedFiles, Is.EqualTo(new[] { "config.json" }), "the unchanged ONNX blob is reused");
        Assert.That(Server.ContentRequests().Skip(0).Count(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)), Is.EqualTo(1), "the ONNX file was fetched once, by the first download");
        Assert.That(Server.Requests.Skip(requestsBefore).Where(r => r.Method == "GET").Select(r => r.Path), Is.EqualTo(new[] { $"/cross-encoder/tiny-test/resolve/{second}/config.json" }),
            "after the first answer every file is asked for at the commit it named");
        Assert.That(File.ReadAllText(Path.Combine(RepoFolder, "refs", "main")), Is.EqualTo(second));
        Assert.That(Directory.Exists(Path.Combine(RepoFolder, "snapshots", first)), Is.True, "the old snapshot stays, as in Python");
        AssertCachedFile(second, repo.File(second, "onnx/model.onnx"));
    }

    [Test]
    public async Task Progress_ReportsEveryDownloadedByte_WithTotals()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles(onnxSize: 250_000));
        var progress = new ProgressLog();
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId, progress: progress);

        long total = snapshot.Files.Sum(f => repo.File(commit, f).Content.Length);
        IReadOnlyList<HuggingFaceDownloadProgress> reports = progress.Reports;
        Assert.That(reports.Select(r => r.TotalBytes).Distinct(), Is.EqualTo(new long?[] { total }));
        Assert.That(reports.Select(r => r.FileCount).Distinct(), Is.EqualTo(new[] { snapshot.Files.Count }));
        Assert.That(reports.Select(r => r.BytesReceived), Is.Ordered, "overall progress never goes back");
        Assert.That(reports[^1].BytesReceived, Is.EqualTo(total));
        Assert.That(reports.Where(r => r.IsFileComplete).Select(r => r.FilePath), Is.EquivalentTo(snapshot.Files));
        foreach (HuggingFaceDownloadProgress done in reports.Where(r => r.IsFileComplete))
        {
            Assert.That(done.FileBytesReceived, Is.EqualTo(done.FileLength).And.EqualTo(repo.File(commit, done.FilePath).Content.Length));
        }

        Assert.That(reports.Count(r => r.FilePath == "onnx/model.onnx" && !r.IsFileComplete), Is.GreaterThan(2), "a large file reports as it arrives");
    }

    [Test]
    public async Task CommitHashRevision_WritesNoRef_AndIsServedFromCacheAfterwards()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string old = repo.Commit(CrossEncoderFiles(seed: 1));
        repo.Commit(CrossEncoderFiles(seed: 2));
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.CheckForUpdates = true);

        string path = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx", revision: old);
        int requests = Server.Requests.Count;
        string again = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx", revision: old);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(repo.File(old, "onnx/model.onnx").Content));
        Assert.That(again, Is.EqualTo(path));
        Assert.That(Server.Requests, Has.Count.EqualTo(requests), "a commit never changes, so a cached one needs no request even with CheckForUpdates");
        Assert.That(Directory.Exists(Path.Combine(RepoFolder, "refs")), Is.False, "no ref is written for a commit hash");
    }

    [Test]
    public async Task RevisionWithSlashes_IsEscapedInTheUrl_AndKeptUnderRefs()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles(), branch: "refs/pr/1");
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        await downloader.DownloadFileAsync(RepoId, "config.json", revision: "refs/pr/1");

        Assert.That(Server.Requests.First().Path, Is.EqualTo("/cross-encoder/tiny-test/resolve/refs%2Fpr%2F1/config.json"));
        Assert.That(File.ReadAllText(Path.Combine(RepoFolder, "refs", "refs", "pr", "1")), Is.EqualTo(commit));
        Assert.That(downloader.TryGetCachedFile(RepoId, "config.json", "refs/pr/1"), Is.EqualTo(Path.Combine(RepoFolder, "snapshots", commit, "config.json")));
    }

    [Test]
    public async Task RenamedRepository_RelativeRedirectIsFollowed()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        Server.Rename("old-org/tiny-test", RepoId);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        string path = await downloader.DownloadFileAsync("old-org/tiny-test", "config.json");

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(repo.File(commit, "config.json").Content));
        Assert.That(path, Does.Contain("models--old-org--tiny-test"), "cached under the id that was asked for, as huggingface_hub does");
    }

    [Test]
    public async Task OnnxFallsBackToTheRootFile_AndExternalWeightsComeAlong()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        Dictionary<string, byte[]> files = CrossEncoderFiles();
        files["model.onnx"] = files["onnx/model.onnx"][..1000];
        files["model.onnx_data"] = files["onnx/model.onnx"];
        files.Remove("onnx/model.onnx");
        files.Remove("tokenizer.json");
        string commit = repo.Commit(files);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId);

        Assert.That(snapshot.Files, Does.Contain("model.onnx").And.Contain("model.onnx_data").And.Contain("vocab.txt").And.Not.Contain("tokenizer.json"));
        AssertCachedFile(commit, repo.File(commit, "model.onnx_data"));
        Assert.That(File.Exists(Path.Combine(RepoFolder, ".no_exist", commit, "onnx", "model.onnx")), Is.True);
    }

    [Test]
    public async Task NamedOnnxFile_IsTheOnlyOneFetched()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        Dictionary<string, byte[]> files = CrossEncoderFiles();
        files["onnx/model_quantized.onnx"] = files["onnx/model.onnx"][..50_000];
        string commit = repo.Commit(files);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId, onnxFile: "onnx/model_quantized.onnx");

        Assert.That(snapshot.Files, Does.Contain("onnx/model_quantized.onnx").And.Not.Contain("onnx/model.onnx"));
        Assert.That(File.ReadAllBytes(snapshot.GetPath("onnx/model_quantized.onnx")), Is.EqualTo(repo.File(commit, "onnx/model_quantized.onnx").Content));
        Assert.That(Server.Requests.Any(r => r.Path.EndsWith("/onnx/model.onnx", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task TwoFilesWithTheSameContent_ShareOneBlob()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        Dictionary<string, byte[]> files = CrossEncoderFiles();
        files["copy/model.onnx"] = files["onnx/model.onnx"];
        string commit = repo.Commit(files);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        await downloader.DownloadFilesAsync(RepoId, ["onnx/model.onnx", "copy/model.onnx"]);

        AssertCachedFile(commit, repo.File(commit, "onnx/model.onnx"));
        AssertCachedFile(commit, repo.File(commit, "copy/model.onnx"));
        Assert.That(Server.ContentRequests(), Has.Count.EqualTo(1));
    }

    [Test]
    public void TryGetCachedFile_ReturnsNull_WhenNothingIsCached()
    {
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        Assert.That(downloader.TryGetCachedFile(RepoId, "config.json"), Is.Null);
        Assert.That(Server.Requests, Is.Empty);
    }

    [Test]
    public async Task DisposedDownloader_Throws()
    {
        HuggingFaceModelDownloader downloader = CreateDownloader();
        downloader.Dispose();
        downloader.Dispose();

        Assert.ThrowsAsync<ObjectDisposedException>(() => downloader.DownloadFileAsync(RepoId, "config.json"));
        Assert.Throws<ObjectDisposedException>(() => downloader.TryGetCachedFile(RepoId, "config.json"));
        await Task.CompletedTask;
    }
}
