using Rerank.Testing.RealModels;

namespace Rerank.Evaluation.Tests.Cli;

/// <summary>
/// The Hub specs of the rerank tool (<c>hf:REPO</c>, <c>embed:hf:REPO</c>) against a prepared huggingface_hub cache,
/// offline: they read the same HF_* variables as Python, which these tests set for the process and restore (the
/// assembly's tests do not run in parallel).
/// </summary>
public sealed class CliHubTests
{
    private static readonly string[] Variables = ["HF_HUB_CACHE", "HF_HUB_OFFLINE", "HF_HOME", "HUGGINGFACE_HUB_CACHE", "TRANSFORMERS_OFFLINE"];

    private TestFiles _files = null!;
    private string _dataset = null!;
    private Dictionary<string, string?> _saved = null!;

    [SetUp]
    public void SetUp()
    {
        _files = new TestFiles();
        _dataset = _files.WriteTinyDataset();
        _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        foreach (string variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Environment.SetEnvironmentVariable("HF_HUB_CACHE", _files.PathOf("hub"));
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", "1");
    }

    [TearDown]
    public void TearDown()
    {
        foreach ((string variable, string? value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        _files.Dispose();
    }

    [TestCase("embed:hf:", "sentence-transformers/tiny-bert", "tiny-bert-embedding", "Getting the embedding model sentence-transformers/tiny-bert")]
    [TestCase("hf:", "cross-encoder/tiny-bert", "tiny-bert-cross-encoder", "Getting cross-encoder/tiny-bert")]
    public async Task A_hub_spec_loads_the_model_from_the_hugging_face_cache(string scheme, string repo, string fixture, string loading)
    {
        HubCacheFolder.Write(_files.PathOf("hub"), repo, TestFiles.OnnxFixture(fixture));

        (int code, string output, string error) = await CliTests.Run(["eval", "--dataset", _dataset, "--reranker", scheme + repo, "--bootstrap-samples", "20"]);

        Assert.That(code, Is.Zero, error);
        Assert.That(error, Does.Contain(loading));
        Assert.That(output, Does.Contain(scheme + repo));
    }

    [TestCase("embed:hf:sentence-transformers/absent")]
    [TestCase("hf:cross-encoder/absent")]
    public async Task A_model_neither_cached_nor_downloadable_is_a_clear_error_not_a_crash(string spec)
    {
        (int code, string output, string error) = await CliTests.Run(["eval", "--dataset", _dataset, "--reranker", spec]);

        Assert.That(code, Is.EqualTo(1), error);
        Assert.That(error, Does.Contain("\nerror: Offline mode is on (HF_HUB_OFFLINE=1)").And.Not.Contain("   at "), "the downloader's message, no stack trace");
        Assert.That(output, Is.Empty);
    }

    [TestCase("embed:hf:", "give the sentence-transformers model folder or Hub repository")]
    [TestCase("embed:hf:no-slash", "give the Hub repository, as in embed:hf:sentence-transformers/all-MiniLM-L6-v2")]
    public async Task A_malformed_hub_spec_exits_2_naming_it(string spec, string expected)
    {
        (int code, _, string error) = await CliTests.Run(["eval", "--dataset", _dataset, "--reranker", spec]);

        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain(expected));
    }
}
