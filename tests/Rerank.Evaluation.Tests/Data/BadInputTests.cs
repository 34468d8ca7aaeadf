using System.Text;

namespace Rerank.Evaluation.Tests.Data;

/// <summary>The list of bad input: each gets a clear error naming the file and the line, or a documented warning.</summary>
public class BadInputTests
{
    private TestFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TestFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    private static EvaluationDataException Fails(TestDelegate action)
    {
        EvaluationDataException? ex = Assert.Throws<EvaluationDataException>(action);
        return ex!;
    }

    [Test]
    public void A_missing_file_is_named()
    {
        string path = _files.PathOf("nope.qrels");
        EvaluationDataException ex = Fails(() => TrecFormat.ReadQrels(path));
        Assert.That(ex.Message, Does.StartWith(path).And.Contains("does not exist"));
        Assert.That(Fails(() => TrecFormat.ReadRun(path)).FilePath, Is.EqualTo(path));
        Assert.That(Fails(() => _ = new BeirDataset(_files.PathOf("no-folder"))).Message, Does.Contain("dataset folder does not exist"));
    }

    [Test]
    public void A_dataset_folder_without_a_corpus_names_the_corpus_file()
    {
        string folder = _files.WriteTinyDataset();
        File.Delete(Path.Combine(folder, "corpus.jsonl"));
        EvaluationDataException ex = Fails(() => ExperimentData.FromBeir(new BeirDataset(folder), "test", 10));
        Assert.That(ex.FilePath, Does.EndWith("corpus.jsonl"));
    }

    [Test]
    public void An_unreadable_file_is_named()
    {
        // A folder where a file is expected cannot be opened for reading, for any user (file permissions do not stop root).
        string path = _files.PathOf("a-folder");
        Directory.CreateDirectory(path);
        EvaluationDataException ex = Fails(() => TrecFormat.ReadQrels(path));
        Assert.That(ex.Message, Does.StartWith(path).And.Contains("could not be opened"));
    }

    [Test]
    public void A_duplicate_run_line_names_both_lines()
    {
        string path = _files.Write("run.txt", "q Q0 a 1 2.0 t\nq Q0 b 2 1.0 t\nq Q0 a 3 0.5 t\n");
        EvaluationDataException ex = Fails(() => TrecFormat.ReadRun(path));
        Assert.That(ex.Message, Does.StartWith($"{path}:3:").And.Contains("first on line 1"));
    }

    [Test]
    public void A_duplicate_judgement_names_both_lines()
    {
        string path = _files.Write("qrels.txt", "q 0 a 1\n\nq 0 a 2\n");
        Assert.That(Fails(() => TrecFormat.ReadQrels(path)).Message, Does.StartWith($"{path}:3:").And.Contains("first on line 1"));
        string tsv = _files.Write("qrels.tsv", "query-id\tcorpus-id\tscore\nq\ta\t1\nq\ta\t1\n");
        Assert.That(Fails(() => BeirDataset.ReadQrelsTsv(tsv)).LineNumber, Is.EqualTo(3));
    }

    [TestCase("q 0 a high\n", 1, "'high' is not an integer")]
    [TestCase("q 0 a 1\nq 0 b 1.5\n", 2, "'1.5' is not an integer")]
    [TestCase("q 0 a\n", 1, "expected 4 columns")]
    public void A_malformed_trec_qrels_line_is_named(string content, int line, string problem)
    {
        string path = _files.Write("qrels.txt", content);
        EvaluationDataException ex = Fails(() => TrecFormat.ReadQrels(path));
        Assert.That((ex.LineNumber, ex.Message), Is.EqualTo((line, $"{path}:{line}: {ex.Problem}")));
        Assert.That(ex.Problem, Does.Contain(problem));
    }

    [TestCase("q Q0 a 1 high t\n", "'high' is not a number")]
    [TestCase("q Q0 a 1 NaN t\n", "not finite")]
    [TestCase("q Q0 a 1 1,5 t\n", "'1,5' is not a number")]
    [TestCase("q Q0 a 1 1.0\n", "expected 6 columns")]
    public void A_malformed_run_line_is_named(string content, string problem)
    {
        string path = _files.Write("run.txt", content);
        EvaluationDataException ex = Fails(() => TrecFormat.ReadRun(path));
        Assert.That(ex.Message, Does.StartWith($"{path}:1:").And.Contains(problem));
    }

    [Test]
    public void A_non_numeric_beir_grade_is_named()
    {
        string path = _files.Write("qrels.tsv", "query-id\tcorpus-id\tscore\nq\ta\tyes\n");
        Assert.That(Fails(() => BeirDataset.ReadQrelsTsv(path)).Message, Does.StartWith($"{path}:2:").And.Contains("'yes' is not an integer"));
    }

    [Test]
    public void An_empty_run_or_qrels_file_is_an_error_not_an_empty_evaluation()
    {
        string run = _files.Write("run.txt", "\n\n");
        string qrels = _files.Write("qrels.txt", string.Empty);
        Assert.That(Fails(() => TrecFormat.ReadRun(run)).Message, Does.Contain("empty"));
        Assert.That(Fails(() => QrelsFile.Read(qrels)).Message, Does.Contain("empty"));
    }

    [Test]
    public void Bom_crlf_and_blank_lines_read_exactly_like_clean_files()
    {
        string clean = _files.Write("clean.txt", "q 0 a 2\nq 0 b 0\nr 0 a 1\n");
        string messy = _files.Write("messy.txt", "q 0 a 2\r\n\r\n  \r\nq\t0\tb 0\r\nr 0 a 1", new UTF8Encoding(true));
        string utf16 = _files.Write("utf16.txt", "q 0 a 2\r\nq 0 b 0\r\nr 0 a 1\r\n", new UnicodeEncoding(false, true));

        Assert.That(File.ReadAllBytes(messy)[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
        foreach (string path in new[] { messy, utf16 })
        {
            Qrels read = TrecFormat.ReadQrels(path);
            Assert.That(read.Queries.Keys, Is.EquivalentTo(TrecFormat.ReadQrels(clean).Queries.Keys));
            Assert.That(read.Queries["q"], Is.EquivalentTo(TrecFormat.ReadQrels(clean).Queries["q"]), path);
        }

        string run = _files.Write("run.txt", "q Q0 a 1 2 t\r\n\r\nq Q0 b 2 1 t\r\n", new UTF8Encoding(true));
        Assert.That(TrecFormat.ReadRun(run).GetRanking("q").Select(entry => entry.DocumentId), Is.EqualTo(new[] { "a", "b" }));
        string queries = _files.Write("beir/queries.jsonl", "{\"_id\": \"q\", \"text\": \"hello\"}\r\n\r\n", new UTF8Encoding(true));
        Assert.That(new BeirDataset(Path.GetDirectoryName(queries)!).ReadQueries()["q"], Is.EqualTo("hello"));
    }

    [Test]
    public void Invalid_utf8_is_named()
    {
        string path = _files.PathOf("bad.txt");
        File.WriteAllBytes(path, [.. "q 0 a 1\n"u8, 0xFF, 0xFE, 0x41, (byte)'\n']);
        Assert.That(Fails(() => TrecFormat.ReadQrels(path)).Message, Does.Contain("not valid UTF-8"));
    }

    [Test]
    public void An_empty_query_text_is_named()
    {
        string folder = _files.WriteTinyDataset();
        _files.Write("tiny/queries.jsonl", "{\"_id\": \"q1\", \"text\": \"solar\"}\n{\"_id\": \"q2\", \"text\": \"  \"}\n");
        EvaluationDataException ex = Fails(() => new BeirDataset(folder).ReadQueries());
        Assert.That(ex.Message, Does.StartWith(Path.Combine(folder, "queries.jsonl") + ":2:").And.Contains("'q2' has an empty text"));
    }

    [TestCase("{\"_id\": \"d1\", \"text\": \"x\"}\n{\"_id\": \"d2\", \"text\": \"y\"\n", 2, "not valid JSON")]
    [TestCase("{\"text\": \"x\"}\n", 1, "no \"_id\"")]
    [TestCase("[1, 2]\n", 1, "expected a JSON object")]
    [TestCase("{\"_id\": \"d1\"}\n", 1, "no \"text\"")]
    [TestCase("{\"_id\": \"d1\", \"text\": 3}\n", 1, "not a string")]
    [TestCase("{\"_id\": \"d1\", \"text\": \"x\"}\n{\"_id\": \"d1\", \"text\": \"y\"}\n", 2, "listed again")]
    public void A_malformed_corpus_line_is_named(string corpus, int line, string problem)
    {
        string folder = _files.WriteTinyDataset();
        _files.Write("tiny/corpus.jsonl", corpus);
        EvaluationDataException ex = Fails(() => new BeirDataset(folder).ReadCorpus().ToList());
        Assert.That(ex.Message, Does.StartWith(Path.Combine(folder, "corpus.jsonl") + $":{line}:").And.Contains(problem));
    }

    [Test]
    public void A_candidate_missing_from_the_corpus_names_the_run_file_line_and_the_corpus()
    {
        string folder = _files.WriteTinyDataset();
        string run = _files.Write("run.txt", "q1 Q0 d1 1 2 mine\nq1 Q0 d404 2 1 mine\n");
        EvaluationDataException ex = Fails(() => ExperimentData.FromBeir(new BeirDataset(folder), "test", 10, run));
        Assert.That(ex.Message, Does.StartWith($"{run}:2:").And.Contains("'d404'").And.Contains("corpus.jsonl"));
    }

    [Test]
    public void A_run_whose_queries_are_not_judged_is_an_error_and_a_partly_judged_one_a_warning()
    {
        string folder = _files.WriteTinyDataset();
        string none = _files.Write("none.txt", "x1 Q0 d1 1 2 mine\n");
        Assert.That(Fails(() => ExperimentData.FromBeir(new BeirDataset(folder), "test", 10, none)).Message, Does.StartWith(none).And.Contains("none of the run's 1 queries is judged"));

        string some = _files.Write("some.txt", "x1 Q0 d1 1 2 mine\nq1 Q0 d1 1 2 mine\n");
        ExperimentData data = ExperimentData.FromBeir(new BeirDataset(folder), "test", 10, some);
        Assert.That(data.Warnings, Has.One.Contains("x1").And.Contains("no judgements"));
    }

    [Test]
    public void A_split_that_is_not_a_plain_name_is_refused()
    {
        string folder = _files.WriteTinyDataset();
        Assert.That(() => new BeirDataset(folder).ReadQrels("../../etc/passwd"), Throws.ArgumentException);
    }
}
