using Rerank.Onnx.Hub;

namespace Rerank.Onnx.Tests.Hub;

public sealed class HubResumeTests : HubTestBase
{
    [Test]
    public async Task ConnectionDroppedMidBody_IsResumedWithARangeRequest()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        Server.DropAfterBytes = 100_000;
        Server.DropConnections = 1;
        var progress = new ProgressLog();
        Server.ClientBytesReceived = () => progress.Reports.LastOrDefault().FileBytesReceived;
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        string path = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx", progress: progress);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(repo.File(commit, "onnx/model.onnx").Content));
        IReadOnlyList<HubTestRequest> gets = Server.ContentRequests();
        Assert.That(gets.Select(g => g.Range), Is.EqualTo(new[] { null, "bytes=100000-" }), "the second GET asks only for the rest");
        Assert.That(LeftoverPartials(), Is.Empty);
        Assert.That(Logger.Collector.GetSnapshot().Any(r => r.Message.Contains("broke off at byte 100000", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task ConnectionDroppedEveryTime_GivesUp_KeepsThePartial_AndTheNextCallResumes()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        HubTestFile onnx = repo.File(commit, "onnx/model.onnx");
        Server.DropAfterBytes = 40_000;
        Server.DropConnections = 3;
        var progress = new ProgressLog();
        Server.ClientBytesReceived = () => progress.Reports.LastOrDefault().FileBytesReceived;
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.MaxResumeAttempts = 2);

        var ex = Assert.ThrowsAsync<HuggingFaceHubUnavailableException>(() => downloader.DownloadFileAsync(RepoId, "onnx/model.onnx", progress: progress));

        Assert.That(ex!.Message, Does.Contain("broke off 3 time(s)").And.Contain("120000 bytes received are kept").And.Contain("the next call resumes"));
        string partial = Path.Combine(RepoFolder, "blobs", onnx.Sha256 + ".incomplete");
        Assert.That(new FileInfo(partial).Length, Is.EqualTo(120_000));
        Assert.That(File.Exists(Path.Combine(RepoFolder, "blobs", onnx.Sha256)), Is.False, "a partial file is never taken for whole");
        Assert.That(File.Exists(Path.Combine(RepoFolder, "snapshots", commit, "onnx", "model.onnx")), Is.False);

        string path = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx");

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(onnx.Content));
        Assert.That(Server.ContentRequests()[^1].Range, Is.EqualTo("bytes=120000-"));
        Assert.That(LeftoverPartials(), Is.Empty);
    }

    [Test]
    public async Task PartialFromAnEarlierProcess_IsResumed_AndHashedWhole()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        HubTestFile onnx = repo.File(commit, "onnx/model.onnx");
        WritePartial(onnx, onnx.Content[..123_456]);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        string path = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx");

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(onnx.Content));
        Assert.That(Server.ContentRequests().Single().Range, Is.EqualTo("bytes=123456-"));
    }

    [Test]
    public void CorruptPartialFromAnEarlierProcess_IsCaughtByTheHash_AndDeleted()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        HubTestFile onnx = repo.File(commit, "onnx/model.onnx");
        byte[] garbage = new byte[50_000];
        WritePartial(onnx, garbage);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubIntegrityException>(() => downloader.DownloadFileAsync(RepoId, "onnx/model.onnx"));

        Assert.That(ex!.Message, Does.Contain("does not match its ETag").And.Contain(onnx.Sha256));
        Assert.That(LeftoverPartials(), Is.Empty);
        Assert.That(Directory.GetFiles(Path.Combine(RepoFolder, "blobs")), Is.Empty);
    }

    [Test]
    public async Task ServerIgnoringRange_SendsTheWholeFile_WhichReplacesThePartial()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        HubTestFile onnx = repo.File(commit, "onnx/model.onnx");
        WritePartial(onnx, onnx.Content[..70_000]);
        Server.IgnoreRange = true;
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        string path = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx");

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(onnx.Content));
        Assert.That(Server.ContentRequests().Single().Range, Is.EqualTo("bytes=70000-"));
        Assert.That(Logger.Collector.GetSnapshot().Any(r => r.Message.Contains("ignored the Range request", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task PartialLongerThanTheFile_IsDiscarded()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        HubTestFile onnx = repo.File(commit, "onnx/model.onnx");
        WritePartial(onnx, [.. onnx.Content, .. new byte[10]]);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        string path = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx");

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(onnx.Content));
        Assert.That(Server.ContentRequests().Single().Range, Is.Null);
    }

    [Test]
    public void AnnouncedSizeLargerThanTheContent_IsAnIntegrityError_AndNothingIsCached()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        repo.File(commit, "onnx/model.onnx").AnnouncedSize = 300_001;
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubIntegrityException>(() => downloader.DownloadCrossEncoderAsync(RepoId));

        Assert.That(ex!.ExpectedSize, Is.EqualTo(300_001));
        Assert.That(ex.Message, Does.Contain("300000 bytes").And.Contain("announced 300001"));
        Assert.That(LeftoverPartials(), Is.Empty);
        Assert.That(File.Exists(Path.Combine(RepoFolder, "snapshots", commit, "onnx", "model.onnx")), Is.False);
        Assert.That(File.Exists(Path.Combine(RepoFolder, "refs", "main")), Is.False, "a failed download does not advance the ref");
    }

    [Test]
    public void ChunkedBodyLongerThanAnnounced_IsStoppedAtTheAnnouncedSize()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        Server.Chunked = true;
        Server.ContentOverride = (path, content) => path == "onnx/model.onnx" ? [.. content, .. new byte[5_000_000]] : content;
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubIntegrityException>(() => downloader.DownloadFileAsync(RepoId, "onnx/model.onnx"));

        Assert.That(ex!.Message, Does.Contain("more than the 300000 bytes"));
        Assert.That(ex.ReceivedSize, Is.LessThanOrEqualTo(300_000 + 81_920), "the download stops at the first chunk past the size, not at the end of the flood");
        Assert.That(LeftoverPartials(), Is.Empty);
        Assert.That(repo.File(commit, "onnx/model.onnx").Content, Has.Length.EqualTo(300_000));
    }

    [Test]
    public void SameSizeButDifferentBytes_FailsTheChecksum()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        repo.Commit(CrossEncoderFiles());
        Server.ContentOverride = (path, content) =>
        {
            byte[] copy = [.. content];
            copy[^1] ^= 0xFF;
            return copy;
        };
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        Assert.ThrowsAsync<HuggingFaceHubIntegrityException>(() => downloader.DownloadFileAsync(RepoId, "onnx/model.onnx"));
        var small = Assert.ThrowsAsync<HuggingFaceHubIntegrityException>(() => downloader.DownloadFileAsync(RepoId, "config.json"));
        Assert.That(small!.Message, Does.Contain("Git blob SHA-1"), "a small file is checked against its Git blob id");
        Assert.That(LeftoverPartials(), Is.Empty);
    }

    [Test]
    public async Task ChecksumsOff_AcceptsTheBytes_ButStillChecksTheSize()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        Server.ContentOverride = (path, content) =>
        {
            byte[] copy = [.. content];
            copy[0] ^= 0xFF;
            return copy;
        };
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.VerifyChecksums = false);

        string path = await downloader.DownloadFileAsync(RepoId, "config.json");

        Assert.That(File.ReadAllBytes(path), Has.Length.EqualTo(repo.File(commit, "config.json").Content.Length));
        Assert.That(File.ReadAllBytes(path), Is.Not.EqualTo(repo.File(commit, "config.json").Content), "the altered bytes were accepted, as asked");
    }

    [Test]
    public async Task Cancellation_StopsTheDownload_KeepsThePartial_AndReleasesTheLock()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        HubTestFile onnx = repo.File(commit, "onnx/model.onnx");
        Server.ArmGate(afterBytes: 90_000);
        using var cancellation = new CancellationTokenSource();
        var progress = new ProgressLog();
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        Task<string> download = downloader.DownloadFileAsync(RepoId, "onnx/model.onnx", progress: progress, cancellationToken: cancellation.Token);
        await Server.GateReached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (progress.Reports.LastOrDefault().FileBytesReceived < 90_000)
            {
                await Task.Delay(10, bound.Token);
            }
        }

        await cancellation.CancelAsync();

        Assert.That(async () => await download, Throws.InstanceOf<OperationCanceledException>());
        string partial = Path.Combine(RepoFolder, "blobs", onnx.Sha256 + ".incomplete");
        Assert.That(new FileInfo(partial).Length, Is.EqualTo(90_000));
        Assert.That(File.Exists(Path.Combine(RepoFolder, "blobs", onnx.Sha256)), Is.False);

        Server.ContentGate!.TrySetResult();
        string path = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx");

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(onnx.Content));
        Assert.That(Server.ContentRequests()[^1].Range, Is.EqualTo("bytes=90000-"));
    }

    [Test]
    public void AlreadyCancelledToken_MakesNoRequest()
    {
        Server.AddRepo(RepoId).Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        Assert.That(async () => await downloader.DownloadCrossEncoderAsync(RepoId, cancellationToken: new CancellationToken(true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Server.Requests, Is.Empty);
    }

    [Test]
    public async Task StalledBody_IsAbandonedAfterDownloadTimeout_AndResumed()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        Server.ArmGate(afterBytes: 64_000);
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.DownloadTimeout = TimeSpan.FromSeconds(1));

        string path = await downloader.DownloadFileAsync(RepoId, "onnx/model.onnx");

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(repo.File(commit, "onnx/model.onnx").Content));
        Assert.That(Server.ContentRequests()[^1].Range, Is.EqualTo("bytes=64000-"));
        Assert.That(Logger.Collector.GetSnapshot().Any(r => r.Exception is TimeoutException), Is.True);
    }
}
