using System.Text.Json;
using Rerank.Cli;

namespace Rerank.Evaluation.Tests.Cli;

/// <summary>The rerank tool end to end, in process, on a tiny dataset.</summary>
public class CliTests
{
    private TestFiles _files = null!;
    private string _dataset = null!;

    [SetUp]
    public void SetUp()
    {
        _files = new TestFiles();
        _dataset = _files.WriteTinyDataset();
    }

    [TearDown]
    public void TearDown() => _files.Dispose();

    internal static async Task<(int Code, string Output, string Error)> Run(string[] args, RerankerSpecRegistry? registry = null, Func<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await RerankCli.RunAsync(args, new CliConsole(output, error, registry ?? RerankerSpecRegistry.CreateDefault(), environment ?? (_ => null), Interactive: false), cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Metrics_prints_mean_per_query_and_num_q_as_json()
    {
        string qrels = _files.Write("qrels.txt", "q1 0 d1 2\nq1 0 d2 0\nq2 0 d3 1\n");
        string run = _files.Write("run.txt", "q1 Q0 d2 1 2.0 mine\nq1 Q0 d1 2 1.0 mine\nq2 Q0 d3 1 1.0 mine\nq9 Q0 d3 1 1.0 mine\n");

        (int code, string output, string error) = await Run(["metrics", "--qrels", qrels, "--run", run, "--metrics", "mrr,p@1,ndcg_cut_10"]);

        Assert.That(code, Is.Zero, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("num_q").GetInt32(), Is.EqualTo(2));
        Assert.That(json.RootElement.GetProperty("mean").GetProperty("mrr").GetDouble(), Is.EqualTo(0.75));
        Assert.That(json.RootElement.GetProperty("per_query").GetProperty("q1").GetProperty("p@1").GetDouble(), Is.Zero);
        Assert.That(json.RootElement.GetProperty("mean").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "mrr", "p@1", "ndcg@10" }));
        Assert.That(error, Does.Contain("warning").And.Contain("q9"));
    }

    [Test]
    public async Task Metrics_all_queries_and_relevance_level_change_the_mean_as_trec_eval()
    {
        string qrels = _files.Write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t2\nq2\td3\t1\n");
        string run = _files.Write("run.txt", "q1 Q0 d1 1 2.0 mine\n");

        (_, string both, _) = await Run(["metrics", "--qrels", qrels, "--run", run, "--metrics", "p@1"]);
        (_, string all, _) = await Run(["metrics", "--qrels", qrels, "--run", run, "--metrics", "p@1", "--all-queries"]);
        (_, string level3, _) = await Run(["metrics", "--qrels", qrels, "--run", run, "--metrics", "p@1", "--relevance-level", "3"]);

        Assert.That(JsonDocument.Parse(both).RootElement.GetProperty("mean").GetProperty("p@1").GetDouble(), Is.EqualTo(1));
        Assert.That(JsonDocument.Parse(all).RootElement.GetProperty("mean").GetProperty("p@1").GetDouble(), Is.EqualTo(0.5));
        Assert.That(JsonDocument.Parse(level3).RootElement.GetProperty("mean").GetProperty("p@1").GetDouble(), Is.Zero);
    }

    [TestCase(new[] { "metrics", "--run", "x" }, "--qrels is required")]
    [TestCase(new[] { "metrics", "--qrels" }, "needs a value")]
    [TestCase(new[] { "metrics", "--bogus", "1" }, "Unknown option '--bogus'")]
    [TestCase(new[] { "metrics", "--qrels", "a", "--run", "b", "--metrics", "bleu" }, "Unknown metric 'bleu'")]
    [TestCase(new[] { "metrics", "--qrels", "a", "--run", "b", "--relevance-level", "-1" }, "at least 0")]
    [TestCase(new[] { "frobnicate" }, "rerank metrics")]
    public async Task Usage_errors_exit_2_with_a_message(string[] args, string expected)
    {
        (int code, _, string error) = await Run(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public async Task A_data_error_exits_1_naming_file_and_line()
    {
        string qrels = _files.Write("qrels.txt", "q1 0 d1 2\n");
        string run = _files.Write("run.txt", "q1 Q0 d1 1 2.0 mine\nq1 Q0 d1 2 1.0 mine\n");
        (int code, _, string error) = await Run(["metrics", "--qrels", qrels, "--run", run]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain($"{run}:2:"));
    }

    [Test]
    public async Task Eval_writes_the_console_table_reports_and_runs()
    {
        string html = _files.PathOf("out/report.html"), markdown = _files.PathOf("out/report.md"), json = _files.PathOf("out/report.json"), runs = _files.PathOf("runs");

        (int code, string output, string error) = await Run(
        [
            "eval", "--dataset", _dataset, "--top-k", "5", "--reranker", "bm25", "--reranker", "bm25:k1=0.9,b=0.4,stats=corpus", "--reranker", "hybrid:first=0.3,bm25=0.7",
            "--metrics", "ndcg@3,mrr", "--report", html, "--report", markdown, "--report", json, "--runs-dir", runs,
            "--bootstrap-samples", "200", "--permutation-samples", "200",
        ]);

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("bm25 (first stage)").And.Contain("hybrid:first=0.3,bm25=0.7").And.Contain("ndcg@3"));
        Assert.That(File.ReadAllText(html), Does.StartWith("<!DOCTYPE html>").And.Contain("<svg class=\"chart\""));
        Assert.That(File.ReadAllText(markdown), Does.Contain("## Gain over the first stage"));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(report.RootElement.GetProperty("systems").GetArrayLength(), Is.EqualTo(4));
        Assert.That(Directory.GetFiles(runs, "*.trec"), Has.Length.EqualTo(4));

        // BM25 with the first stage's own statistics and settings reproduces it exactly.
        JsonElement systems = report.RootElement.GetProperty("systems");
        Assert.That(systems[2].GetProperty("metrics").GetProperty("ndcg@3").GetProperty("mean").GetProperty("mean").GetDouble(), Is.EqualTo(systems[0].GetProperty("metrics").GetProperty("ndcg@3").GetProperty("mean").GetProperty("mean").GetDouble()).Within(1e-12));

        // A written run evaluates with `rerank metrics` to the same numbers.
        (int metricsCode, string metricsOutput, _) = await Run(["metrics", "--qrels", Path.Combine(_dataset, "qrels", "test.tsv"), "--run", Path.Combine(runs, "bm25.trec"), "--metrics", "mrr"]);
        Assert.That(metricsCode, Is.Zero);
        Assert.That(JsonDocument.Parse(metricsOutput).RootElement.GetProperty("mean").GetProperty("mrr").GetDouble(), Is.EqualTo(systems[1].GetProperty("metrics").GetProperty("mrr").GetProperty("mean").GetProperty("mean").GetDouble()).Within(1e-12));
    }

    [Test]
    public async Task Eval_with_a_run_file_first_stage()
    {
        string run = _files.Write("first.trec", "q1 Q0 d2 1 3 mine\nq1 Q0 d1 2 2 mine\nq2 Q0 d3 1 1 mine\nq3 Q0 d5 1 1 mine\n");
        (int code, string output, string error) = await Run(["eval", "--dataset", _dataset, "--first-stage", "run:" + run, "--reranker", "bm25", "--bootstrap-samples", "50"]);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("mine (first stage)"));
        Assert.That(error, Does.Contain("Reading the first stage from"));
    }

    [TestCase("onnx:", "tiny-bert-cross-encoder", "Loading the ONNX cross-encoder")]
    [TestCase("colbert:", "tiny-bert-colbert", "Loading the late-interaction (ColBERT) model")]
    [TestCase("embed:", "tiny-bert-embedding", "Loading the embedding model")]
    public async Task Eval_runs_an_onnx_model_from_a_folder(string scheme, string fixture, string loading)
    {
        // The random-weight fixture models of Rerank.Onnx.Tests: their ranking is meaningless, the whole path is real.
        string model = TestFiles.OnnxFixture(fixture);
        (int code, string output, string error) = await Run(["eval", "--dataset", _dataset, "--reranker", scheme + model, "--bootstrap-samples", "50"]);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain(scheme));
        Assert.That(error, Does.Contain(loading));
    }

    [TestCase("nope:1", "Unknown reranker 'nope:1'")]
    [TestCase("bm25:k1=abc", "k1 must be a number")]
    [TestCase("bm25:k2=1", "unknown setting(s) k2")]
    [TestCase("bm25:k1", "is not key=value")]
    [TestCase("hybrid:fusion=max", "fusion must be one of weighted, rrf")]
    [TestCase("cohere", "set the environment variable CO_API_KEY")]
    [TestCase("onnx:", "give the model folder")]
    [TestCase("colbert:", "give the ColBERT model folder")]
    [TestCase("embed:", "give the sentence-transformers model folder")]
    [TestCase("hf:no-slash", "give the Hub repository")]
    public async Task A_bad_reranker_spec_exits_2_naming_it(string spec, string expected)
    {
        (int code, _, string error) = await Run(["eval", "--dataset", _dataset, "--reranker", spec]);
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public async Task Corpus_statistics_need_the_bm25_first_stage()
    {
        string run = _files.Write("first.trec", "q1 Q0 d2 1 3 mine\n");
        (int code, _, string error) = await Run(["eval", "--dataset", _dataset, "--first-stage", "run:" + run, "--reranker", "bm25:stats=corpus"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("stats=corpus needs the built-in BM25 first stage"));
    }

    [Test]
    public async Task Cohere_reads_its_key_from_the_environment()
    {
        (int code, string output, string error) = await Run(["eval", "--dataset", _dataset, "--reranker", "cohere:rerank-v3.5", "--bootstrap-samples", "10"], environment: name => name == "CO_API_KEY" ? "test-key" : null, cancellationToken: new CancellationToken(canceled: true));

        // No network here: the run is cancelled before the first call, but the reranker was created from the key.
        Assert.That(code, Is.EqualTo(130), error + output);
    }

    [Test]
    public async Task Ctrl_c_stops_cleanly_and_still_writes_the_report_of_what_was_measured()
    {
        using var cancellation = new CancellationTokenSource();
        RerankerSpecRegistry registry = RerankerSpecRegistry.CreateDefault();
        registry.Register("interrupt", "interrupt  cancels the run on its second call (test)", (_, _, _, _) =>
            Task.FromResult<IReranker>(new FunctionReranker("interrupt", (_, _) => 0, call =>
            {
                if (call == 2)
                {
                    cancellation.Cancel();
                }
            })));
        string html = _files.PathOf("partial.html");

        (int code, string output, string error) = await Run(["eval", "--dataset", _dataset, "--reranker", "interrupt", "--report", html, "--bootstrap-samples", "10"], registry, cancellationToken: cancellation.Token);

        Assert.That(code, Is.EqualTo(130), error);
        Assert.That(error, Does.Contain("Cancelled: the report covers 1 of 3 queries"));
        Assert.That(output, Does.Contain("1 queries of 3 (cancelled)"));
        Assert.That(File.ReadAllText(html), Does.Contain("Cancelled"));
    }

    [Test]
    public void A_scheme_cannot_be_registered_twice()
    {
        RerankerSpecRegistry registry = RerankerSpecRegistry.CreateDefault();
        Assert.That(() => registry.Register("bm25", "again", (_, _, _, _) => Task.FromResult<IReranker>(new Bm25Reranker())), Throws.ArgumentException);
    }
}
