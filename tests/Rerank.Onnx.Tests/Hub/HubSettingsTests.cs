using Rerank.Onnx.Hub;

namespace Rerank.Onnx.Tests.Hub;

/// <summary>Settings come from options first, then from huggingface_hub's environment variables, then its defaults.</summary>
public sealed class HubSettingsTests
{
    private string _home = null!;

    [SetUp]
    public void CreateHome()
    {
        _home = Path.Combine(Path.GetTempPath(), "rerank-hub-settings", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_home);
    }

    [TearDown]
    public void DeleteHome() => Directory.Delete(_home, recursive: true);

    [Test]
    public void Defaults_AreHuggingFaceHubs()
    {
        HubSettings settings = Resolve(new HuggingFaceHubOptions());

        // The environment is empty here, but the default token file is the real ~/.cache/huggingface/token: a machine
        // where someone ran `huggingface-cli login` has one, and then it must be what is used.
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string tokenFile = Path.Combine(home, ".cache", "huggingface", "token");
        string? machineToken = File.Exists(tokenFile) && File.ReadAllText(tokenFile).Trim() is { Length: > 0 } saved ? saved : null;
        Assert.That(settings.Endpoint, Is.EqualTo(new Uri("https://huggingface.co")));
        Assert.That(settings.CacheDirectory, Is.EqualTo(Path.Combine(home, ".cache", "huggingface", "hub")));
        Assert.That(settings.Token, Is.EqualTo(machineToken));
        Assert.That(settings.Offline, Is.False);
        Assert.That(settings.MetadataTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(settings.DownloadTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(settings.VerifyChecksums, Is.True);
        Assert.That(settings.CheckForUpdates, Is.False);
    }

    [Test]
    public void HfHome_GivesTheCacheAndTheTokenFile()
    {
        File.WriteAllText(Path.Combine(_home, "token"), "hf_from_file\n");

        HubSettings settings = Resolve(new HuggingFaceHubOptions(), ("HF_HOME", _home));

        Assert.That(settings.CacheDirectory, Is.EqualTo(Path.Combine(_home, "hub")));
        Assert.That(settings.Token, Is.EqualTo("hf_from_file"));
        Assert.That(settings.TokenSource, Does.Contain(Path.Combine(_home, "token")));
    }

    [Test]
    public void XdgCacheHome_IsUsedWithoutHfHome()
    {
        HubSettings settings = Resolve(new HuggingFaceHubOptions(), ("XDG_CACHE_HOME", _home));

        Assert.That(settings.CacheDirectory, Is.EqualTo(Path.Combine(_home, "huggingface", "hub")));
    }

    [Test]
    public void HfHubCache_BeatsHfHome_AndOptionsBeatBoth()
    {
        string hubCache = Path.Combine(_home, "elsewhere");
        string explicitCache = Path.Combine(_home, "explicit");

        Assert.That(Resolve(new HuggingFaceHubOptions(), ("HF_HOME", _home), ("HF_HUB_CACHE", hubCache)).CacheDirectory, Is.EqualTo(hubCache));
        Assert.That(Resolve(new HuggingFaceHubOptions(), ("HUGGINGFACE_HUB_CACHE", hubCache)).CacheDirectory, Is.EqualTo(hubCache), "the legacy name still works");
        Assert.That(Resolve(new HuggingFaceHubOptions { CacheDirectory = explicitCache }, ("HF_HUB_CACHE", hubCache)).CacheDirectory, Is.EqualTo(explicitCache));
    }

    [Test]
    public void Token_OptionsThenHfTokenThenFile_AndImplicitTokenCanBeDisabled()
    {
        File.WriteAllText(Path.Combine(_home, "token"), "hf_from_file");
        string tokenPath = Path.Combine(_home, "other-token");
        File.WriteAllText(Path.Combine(tokenPath), "  hf_from_token_path  ");

        Assert.That(Resolve(new HuggingFaceHubOptions(), ("HF_HOME", _home), ("HF_TOKEN", "hf_env")).Token, Is.EqualTo("hf_env"));
        Assert.That(Resolve(new HuggingFaceHubOptions(), ("HF_HOME", _home), ("HUGGING_FACE_HUB_TOKEN", "hf_legacy")).Token, Is.EqualTo("hf_legacy"));
        Assert.That(Resolve(new HuggingFaceHubOptions { Token = "hf_option" }, ("HF_TOKEN", "hf_env")).Token, Is.EqualTo("hf_option"));
        Assert.That(Resolve(new HuggingFaceHubOptions(), ("HF_HOME", _home), ("HF_TOKEN_PATH", tokenPath)).Token, Is.EqualTo("hf_from_token_path"));
        Assert.That(Resolve(new HuggingFaceHubOptions(), ("HF_HOME", _home), ("HF_TOKEN", "hf_env"), ("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")).Token, Is.Null);
        Assert.That(Resolve(new HuggingFaceHubOptions { Token = "  " }, ("HF_TOKEN", "hf_env")).Token, Is.Null, "an explicit blank token means none");
    }

    [TestCase("1", true)]
    [TestCase("ON", true)]
    [TestCase("yes", true)]
    [TestCase("True", true)]
    [TestCase("0", false)]
    [TestCase("false", false)]
    [TestCase("", false)]
    [TestCase("offline", false)]
    public void HfHubOffline_IsReadAsPythonReadsIt(string value, bool offline)
    {
        Assert.That(Resolve(new HuggingFaceHubOptions(), ("HF_HUB_OFFLINE", value)).Offline, Is.EqualTo(offline));
        Assert.That(Resolve(new HuggingFaceHubOptions(), ("TRANSFORMERS_OFFLINE", value)).Offline, Is.EqualTo(offline));
    }

    [TestCase("0", "1", false)]
    [TestCase("false", "1", false)]
    [TestCase("", "1", true)]
    [TestCase("1", "0", true)]
    public void HfHubOffline_WhenSet_DecidesAlone_AsPythonsOrDoes(string hfHubOffline, string transformersOffline, bool offline)
    {
        // huggingface_hub: _is_true(os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE")).
        HubSettings settings = Resolve(new HuggingFaceHubOptions(), ("HF_HUB_OFFLINE", hfHubOffline), ("TRANSFORMERS_OFFLINE", transformersOffline));

        Assert.That(settings.Offline, Is.EqualTo(offline));
    }

    [Test]
    public void OfflineOption_BeatsTheEnvironment()
    {
        Assert.That(Resolve(new HuggingFaceHubOptions { Offline = false }, ("HF_HUB_OFFLINE", "1")).Offline, Is.False);
        Assert.That(Resolve(new HuggingFaceHubOptions { Offline = true }).Offline, Is.True);
    }

    [Test]
    public void HfEndpoint_IsUsed_AndAMalformedOneIsRefused()
    {
        Assert.That(Resolve(new HuggingFaceHubOptions(), ("HF_ENDPOINT", "https://hf-mirror.example/")).Endpoint, Is.EqualTo(new Uri("https://hf-mirror.example")));
        Assert.Throws<ArgumentException>(() => Resolve(new HuggingFaceHubOptions(), ("HF_ENDPOINT", "not a url")));
        Assert.Throws<ArgumentException>(() => Resolve(new HuggingFaceHubOptions { Endpoint = new Uri("ftp://example.org") }));
    }

    [Test]
    public void Timeouts_ComeFromTheEnvironment_AndMustBePositive()
    {
        HubSettings settings = Resolve(new HuggingFaceHubOptions(), ("HF_HUB_ETAG_TIMEOUT", "2.5"), ("HF_HUB_DOWNLOAD_TIMEOUT", "30"));

        Assert.That(settings.MetadataTimeout, Is.EqualTo(TimeSpan.FromSeconds(2.5)));
        Assert.That(settings.DownloadTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resolve(new HuggingFaceHubOptions { MetadataTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resolve(new HuggingFaceHubOptions { MaxResumeAttempts = -1 }));
    }

    [Test]
    public void TildeIsExpanded()
    {
        HubSettings settings = Resolve(new HuggingFaceHubOptions(), ("HF_HOME", "~/hf-home"));

        Assert.That(settings.CacheDirectory, Is.EqualTo(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "hf-home", "hub")));
    }

    private static HubSettings Resolve(HuggingFaceHubOptions options, params (string Name, string Value)[] environment) =>
        HubSettings.Resolve(options, name => environment.FirstOrDefault(e => e.Name == name).Value);
}
