namespace Rerank.Evaluation.Tests.Data;

public class RoundTripTests
{
    [Test]
    public void A_run_written_in_trec_format_reads_back_with_the_same_ranking_and_exact_scores()
    {
        using var files = new TestFiles();
        var run = new TrecRun("mine", [KeyValuePair.Create("q", (IReadOnlyList<RunEntry>)[new("10", 0.1 + 0.2), new("9", 0.1 + 0.2), new("a", 1e-17)])]);
        string path = files.PathOf("out/run.trec");
        TrecFormat.WriteRun(run, path);

        TrecRun read = TrecFormat.ReadRun(path);
        Assert.That(read.GetRanking("q"), Is.EqualTo(run.GetRanking("q")));
        Assert.That(File.ReadAllLines(path)[0], Is.EqualTo("q Q0 9 1 0.30000000000000004 mine"));
        Assert.That(() => TrecFormat.WriteRun(run, new StringWriter(), "two words"), Throws.ArgumentException);
    }

    [Test]
    public void A_beir_dataset_written_reads_back_the_same()
    {
        using var files = new TestFiles();
        string folder = files.PathOf("copy");
        var qrels = new Qrels([KeyValuePair.Create("q1", (IReadOnlyDictionary<string, int>)new Dictionary<string, int> { ["d1"] = 2, ["d2"] = 0 })]);
        BeirDataset.WriteCorpus([new CorpusDocument("d1", "Title", "Text é \"quoted\""), new CorpusDocument("d2", string.Empty, "Only text")], Path.Combine(folder, "corpus.jsonl"));
        BeirDataset.WriteQueries([KeyValuePair.Create("q1", "what?")], Path.Combine(folder, "queries.jsonl"));
        BeirDataset.WriteQrelsTsv(qrels, Path.Combine(folder, "qrels", "test.tsv"));

        var dataset = new BeirDataset(folder);
        Assert.That(dataset.ReadCorpus().ToList(), Is.EqualTo(new[] { new CorpusDocument("d1", "Title", "Text é \"quoted\""), new CorpusDocument("d2", string.Empty, "Only text") }));
        Assert.That(dataset.ReadCorpus().First().FullText, Is.EqualTo("Title Text é \"quoted\""));
        Assert.That(dataset.ReadQueries()["q1"], Is.EqualTo("what?"));
        Assert.That(dataset.ReadQrels().Queries["q1"], Is.EquivalentTo(qrels.Queries["q1"]));

        var trec = new StringWriter();
        TrecFormat.WriteQrels(qrels, trec);
        Assert.That(trec.ToString(), Is.EqualTo("q1 0 d1 2\nq1 0 d2 0\n"));
    }

    [Test]
    public void The_corpus_is_streamed_keeping_only_the_documents_asked_for()
    {
        using var files = new TestFiles();
        var dataset = new BeirDataset(files.WriteTinyDataset());
        Assert.That(dataset.ReadCorpus(id => id is "d2" or "d5").Select(document => document.Id), Is.EqualTo(new[] { "d2", "d5" }));
    }

    [Test]
    public void Qrels_file_detects_trec_and_beir_formats()
    {
        using var files = new TestFiles();
        string trec = files.Write("a.qrels", "q 0 d 1\n");
        string beir = files.Write("b.tsv", "query-id\tcorpus-id\tscore\nq\td\t1\n");
        Assert.That(QrelsFile.Read(trec).Queries["q"]["d"], Is.EqualTo(1));
        Assert.That(QrelsFile.Read(beir).Queries["q"]["d"], Is.EqualTo(1));
    }
}
