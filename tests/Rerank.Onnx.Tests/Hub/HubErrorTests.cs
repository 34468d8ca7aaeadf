using System.Net;
using Rerank.Onnx.Hub;

namespace Rerank.Onnx.Tests.Hub;

public sealed class HubErrorTests : HubTestBase
{
    [Test]
    public void PrivateRepository_WithoutToken_Is401_AndSaysToSetHfToken()
    {
        Server.ValidToken = Token;
        Server.AddRepo(RepoId, isPrivate: true).Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubAccessDeniedException>(() => downloader.DownloadCrossEncoderAsync(RepoId));

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(ex.TokenSent, Is.False);
        Assert.That(ex.IsGated, Is.False);
        Assert.That(ex.Message, Does.Contain("HF_TOKEN").And.Contain("No token was sent").And.Contain(RepoId));
        Assert.That(ex.Message, Does.Contain("Repository not found"), "the Hub's own X-Error-Message is passed on");
        Assert.That(Server.Requests.Single().Authorization, Is.Null);
    }

    [Test]
    public void RejectedToken_NeverAppearsInTheError()
    {
        Server.ValidToken = "hf_the_right_one";
        Server.AddRepo(RepoId, isPrivate: true).Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader(environment: new Dictionary<string, string> { ["HF_TOKEN"] = Token });

        var ex = Assert.ThrowsAsync<HuggingFaceHubAccessDeniedException>(() => downloader.DownloadFileAsync(RepoId, "config.json"));

        Assert.That(ex!.TokenSent, Is.True);
        Assert.That(ex.Message, Does.Contain("A token was sent (from HF_TOKEN)"));
        Assert.That(Server.Requests.Single().Authorization, Is.EqualTo("Bearer " + Token), "the token from HF_TOKEN is used");
        AssertNoToken(ex);
    }

    [Test]
    public void GatedRepository_Is403_AndSaysToAcceptTheLicence()
    {
        Server.ValidToken = "hf_someone_else";
        Server.AddRepo(RepoId, gated: true).Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.Token = Token);

        var ex = Assert.ThrowsAsync<HuggingFaceHubAccessDeniedException>(() => downloader.DownloadCrossEncoderAsync(RepoId));

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(ex.IsGated, Is.True);
        Assert.That(ex.Message, Does.Contain("accept its licence").And.Contain("https://huggingface.co/" + RepoId).And.Contain("HF_TOKEN"));
        AssertNoToken(ex);
    }

    [Test]
    public async Task GatedRepository_WithAcceptedToken_Downloads()
    {
        Server.ValidToken = Token;
        HubTestRepo repo = Server.AddRepo(RepoId, gated: true);
        string commit = repo.Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.Token = Token);

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId);

        AssertCachedFile(commit, repo.File(commit, "onnx/model.onnx"));
        Assert.That(snapshot.Files, Has.Count.EqualTo(4));
    }

    [Test]
    public void MissingRepository_WithToken_Is404Repository()
    {
        Server.ValidToken = Token;
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.Token = Token);

        var ex = Assert.ThrowsAsync<HuggingFaceHubNotFoundException>(() => downloader.DownloadCrossEncoderAsync("nobody/nothing"));

        Assert.That(ex!.Missing, Is.EqualTo(HuggingFaceHubMissingItem.Repository));
        Assert.That(ex.Message, Does.Contain("Repository 'nobody/nothing' was not found"));
        Assert.That(Server.Requests, Has.Count.EqualTo(1), "a missing repository stops at the first answer");
    }

    [Test]
    public void MissingRevision_Is404Revision()
    {
        Server.AddRepo(RepoId).Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubNotFoundException>(() => downloader.DownloadCrossEncoderAsync(RepoId, revision: "v9.9"));

        Assert.That(ex!.Missing, Is.EqualTo(HuggingFaceHubMissingItem.Revision));
        Assert.That(ex.Message, Does.Contain("Revision 'v9.9'").And.Contain(RepoId));
    }

    [Test]
    public void MissingRequiredFile_Is404File_NamingIt()
    {
        Server.AddRepo(RepoId).Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubNotFoundException>(() => downloader.DownloadFileAsync(RepoId, "pytorch_model.bin"));

        Assert.That(ex!.Missing, Is.EqualTo(HuggingFaceHubMissingItem.File));
        Assert.That(ex.FilePath, Is.EqualTo("pytorch_model.bin"));
        Assert.That(ex.Message, Does.Contain("'pytorch_model.bin' was not found in repository 'cross-encoder/tiny-test'"));
    }

    [Test]
    public void RepositoryWithoutOnnx_NamesEveryPlaceLookedAt_AndWhatToDo()
    {
        Dictionary<string, byte[]> files = CrossEncoderFiles();
        files.Remove("onnx/model.onnx");
        Server.AddRepo(RepoId).Commit(files);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubNotFoundException>(() => downloader.DownloadCrossEncoderAsync(RepoId));

        Assert.That(ex!.Message, Does.Contain("None of onnx/model.onnx, model.onnx").And.Contain("onnxFile").And.Contain("optimum-cli export onnx"));
    }

    [Test]
    public void RepositoryWithoutTokenizer_SaysSo()
    {
        Dictionary<string, byte[]> files = CrossEncoderFiles();
        files.Remove("tokenizer.json");
        files.Remove("vocab.txt");
        Server.AddRepo(RepoId).Commit(files);
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubNotFoundException>(() => downloader.DownloadCrossEncoderAsync(RepoId));

        Assert.That(ex!.Message, Does.Contain("tokenizer.json, vocab.txt, sentencepiece.bpe.model"));
    }

    [Test]
    public void UnreachableHub_FailsFast_WithUnavailable()
    {
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.Endpoint = HubTestServer.UnreachableEndpoint());

        var ex = Assert.ThrowsAsync<HuggingFaceHubUnavailableException>(() => downloader.DownloadCrossEncoderAsync(RepoId));

        Assert.That(ex!.InnerException, Is.Not.Null);
        Assert.That(ex.Message, Does.Contain("The request to 127.0.0.1").And.Contain("Connection refused").And.Contain("HF_HUB_OFFLINE").And.Contain("never downloaded"));
        Assert.That(ex.MissingFiles, Does.Contain("config.json"));
    }

    [Test]
    [SetCulture("en-US")] // the message writes the seconds in the current culture ("0,3 s" under de-DE)
    public void SilentHub_TimesOutAfterMetadataTimeout()
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the backlog) but never answers
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using HuggingFaceModelDownloader downloader = CreateDownloader(o =>
        {
            o.Endpoint = new Uri($"http://127.0.0.1:{port}");
            o.MetadataTimeout = TimeSpan.FromMilliseconds(300);
        });

        var ex = Assert.ThrowsAsync<HuggingFaceHubUnavailableException>(() => downloader.DownloadFileAsync(RepoId, "config.json"));

        Assert.That(ex!.InnerException, Is.InstanceOf<HuggingFaceHubUnavailableException>());
        Assert.That(ex.InnerException!.InnerException, Is.InstanceOf<TimeoutException>());
        Assert.That(ex.Message, Does.Contain("No answer from 127.0.0.1 within 0.3 s"));
    }

    [Test]
    public void ServerError_IsUnavailable_WithTheStatus()
    {
        Server.AddRepo(RepoId).Commit(CrossEncoderFiles());
        Server.MetadataStatus = HttpStatusCode.ServiceUnavailable;
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubUnavailableException>(() => downloader.DownloadFileAsync(RepoId, "config.json"));

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(ex.Message, Does.Contain("503"));
    }

    [Test]
    public async Task UnreachableHub_WithCheckForUpdates_FallsBackToTheCachedSnapshot()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        await DownloadOnceAsync();

        using HuggingFaceModelDownloader downloader = CreateDownloader(o =>
        {
            o.Endpoint = HubTestServer.UnreachableEndpoint();
            o.CheckForUpdates = true;
        });

        HuggingFaceSnapshot snapshot = await downloader.DownloadCrossEncoderAsync(RepoId);

        Assert.That(snapshot.CommitHash, Is.EqualTo(commit));
        Assert.That(Logger.Collector.GetSnapshot().Any(r => r.Message.Contains("using the cached snapshot", StringComparison.Ordinal)), Is.True, "the fallback is logged");
    }

    [Test]
    public void Offline_WithoutCache_SaysHfHubOffline_AndNamesTheMissingFiles()
    {
        Server.AddRepo(RepoId).Commit(CrossEncoderFiles());
        using HuggingFaceModelDownloader downloader = CreateDownloader(environment: new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "1" });

        var ex = Assert.ThrowsAsync<HuggingFaceHubOfflineException>(() => downloader.DownloadCrossEncoderAsync(RepoId));

        Assert.That(ex!.Message, Does.Contain("HF_HUB_OFFLINE=1").And.Contain("never downloaded").And.Contain(CacheDirectory));
        Assert.That(ex.MissingFiles, Is.EqualTo(new[] { "config.json", "one of tokenizer.json, vocab.txt, sentencepiece.bpe.model", "one of onnx/model.onnx, model.onnx" }));
        Assert.That(ex.CacheDirectory, Is.EqualTo(CacheDirectory));
        Assert.That(Server.Requests, Is.Empty, "offline means no request at all");
    }

    [Test]
    public async Task Offline_WithCachedSnapshot_ResolvesRefsMain_WithoutRequests()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        await DownloadOnceAsync();

        int requests = Server.Requests.Count;
        using HuggingFaceModelDownloader offline = CreateDownloader(environment: new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "true" });

        HuggingFaceSnapshot snapshot = await offline.DownloadCrossEncoderAsync(RepoId);
        string single = await offline.DownloadFileAsync(RepoId, "tokenizer.json");

        Assert.That(offline.IsOffline, Is.True);
        Assert.That(snapshot.CommitHash, Is.EqualTo(commit));
        Assert.That(snapshot.Files, Has.Member("onnx/model.onnx"));
        Assert.That(File.ReadAllBytes(single), Is.EqualTo(repo.File(commit, "tokenizer.json").Content));
        Assert.That(Server.Requests, Has.Count.EqualTo(requests));
    }

    [Test]
    public async Task Offline_WithPartialCache_NamesWhatTheSnapshotLacks()
    {
        HubTestRepo repo = Server.AddRepo(RepoId);
        string commit = repo.Commit(CrossEncoderFiles());
        using (HuggingFaceModelDownloader online = CreateDownloader())
        {
            await online.DownloadFilesAsync(RepoId, ["config.json", "tokenizer.json"]);
        }

        using HuggingFaceModelDownloader offline = CreateDownloader(o => o.Offline = true);

        var ex = Assert.ThrowsAsync<HuggingFaceHubOfflineException>(() => offline.DownloadCrossEncoderAsync(RepoId));

        Assert.That(ex!.MissingFiles, Is.EqualTo(new[] { "one of onnx/model.onnx, model.onnx" }));
        Assert.That(ex.Message, Does.Contain("HuggingFaceHubOptions.Offline").And.Contain(commit));
    }

    [TestCase("../etc/passwd")]
    [TestCase("/absolute")]
    [TestCase("org/name/extra")]
    [TestCase("org--name")]
    [TestCase("org/na me")]
    [TestCase("")]
    public void MalformedRepoId_IsRefusedBeforeAnyRequest(string repoId)
    {
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        Assert.ThrowsAsync<ArgumentException>(() => downloader.DownloadCrossEncoderAsync(repoId));
        Assert.That(Server.Requests, Is.Empty);
    }

    [TestCase("../../outside.txt")]
    [TestCase("/etc/passwd")]
    [TestCase("onnx\\model.onnx")]
    [TestCase("a/./b")]
    [TestCase("C:x")]
    [TestCase("bad\0name")]
    public void HostileFilePath_IsRefused(string filePath)
    {
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        Assert.ThrowsAsync<ArgumentException>(() => downloader.DownloadFileAsync(RepoId, filePath));
        Assert.ThrowsAsync<ArgumentException>(() => downloader.DownloadCrossEncoderAsync(RepoId, onnxFile: filePath));
        Assert.That(Server.Requests, Is.Empty);
    }

    [TestCase("..")]
    [TestCase("../main")]
    [TestCase("/main")]
    [TestCase(" ")]
    public void HostileRevision_IsRefused(string revision)
    {
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        Assert.ThrowsAsync<ArgumentException>(() => downloader.DownloadFileAsync(RepoId, "config.json", revision));
        Assert.That(Server.Requests, Is.Empty);
    }

    [TestCase("../../../../outside")]
    [TestCase("abc/def")]
    public void HostileServerNames_AreRefused_AndNothingIsWrittenOutsideTheCache(string name)
    {
        Server.AddRepo(RepoId).Commit(CrossEncoderFiles());
        Server.HostileName = name;
        using HuggingFaceModelDownloader downloader = CreateDownloader();

        var ex = Assert.ThrowsAsync<HuggingFaceHubException>(() => downloader.DownloadCrossEncoderAsync(RepoId));

        Assert.That(ex!.Message, Does.Contain("cannot name a file in the cache"));
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(CacheDirectory)!).Where(p => !p.StartsWith(CacheDirectory, StringComparison.Ordinal) && p.Contains("outside", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void ClientThatFollowsRedirectsItself_IsRejectedWithAClearMessage()
    {
        Server.AddRepo(RepoId).Commit(CrossEncoderFiles());
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = true });
        using HuggingFaceModelDownloader downloader = CreateDownloader(o => o.HttpClient = client);

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => downloader.DownloadFileAsync(RepoId, "onnx/model.onnx"));

        Assert.That(ex!.Message, Does.Contain("AllowAutoRedirect = false"));
    }
}
