namespace Rerank.Tests.Abstractions;

[TestFixture]
public sealed class RerankContractHelperTests
{
    private static readonly RerankDocument[] Docs = [new("a"), new("b"), new("c"), new("d")];

    [Test]
    public void Rank_orders_descending_with_stable_ties_and_NaN_last()
    {
        IReadOnlyList<RerankResult> results = RerankContract.Rank(Docs, [0.5, double.NaN, 0.9, 0.5], null);

        Assert.That(results.Select(r => r.Index), Is.EqualTo(new[] { 2, 0, 3, 1 }));
        Assert.That(results[0].Document, Is.SameAs(Docs[2]));
    }

    [Test]
    public void Rank_applies_threshold_then_TopN()
    {
        IReadOnlyList<RerankResult> results = RerankContract.Rank(Docs, [0.1, 0.7, 0.9, 0.5], new RerankOptions { ScoreThreshold = 0.5, TopN = 2 });

        Assert.That(results.Select(r => r.Index), Is.EqualTo(new[] { 2, 1 }));
    }

    [Test]
    public void Rank_threshold_keeps_a_score_exactly_at_it_and_never_keeps_NaN()
    {
        IReadOnlyList<RerankResult> results = RerankContract.Rank(Docs, [0.5, double.NaN, 0.4, double.PositiveInfinity], new RerankOptions { ScoreThreshold = 0.5 });

        Assert.That(results.Select(r => r.Index), Is.EqualTo(new[] { 3, 0 }));
    }

    [Test]
    public void Rank_refuses_scores_that_do_not_align_with_the_documents()
    {
        var ex = Assert.Throws<ArgumentException>(() => RerankContract.Rank(Docs, [1, 2, 3], null));

        Assert.That(ex!.Message, Does.Contain("3 scores for 4 documents"));
    }

    [Test]
    public void ValidateArguments_copies_the_documents_so_later_changes_by_the_caller_do_not_move_indices()
    {
        var list = new List<RerankDocument>(Docs);

        IReadOnlyList<RerankDocument> copy = RerankContract.ValidateArguments("q", list, null);
        list.Clear();

        Assert.That(copy, Has.Count.EqualTo(4));
    }

    [Test]
    public void ValidateOptions_rejects_out_of_range_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RerankContract.ValidateOptions(new RerankOptions { TopN = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RerankContract.ValidateOptions(new RerankOptions { MaxTokensPerDocument = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RerankContract.ValidateOptions(new RerankOptions { ScoreThreshold = double.NaN }));
        Assert.DoesNotThrow(() => RerankContract.ValidateOptions(new RerankOptions { TopN = 1, MaxTokensPerDocument = 1, ScoreThreshold = double.NegativeInfinity }));
        Assert.DoesNotThrow(() => RerankContract.ValidateOptions(null));
    }

    [Test]
    public void RerankDocument_rejects_null_text_and_converts_from_string()
    {
        Assert.Throws<ArgumentNullException>(() => _ = new RerankDocument(null!));
        RerankDocument document = "hello";
        Assert.That(document.Text, Is.EqualTo("hello"));
    }

    [Test]
    public void RerankOptions_Clone_copies_every_value_and_does_not_share_AdditionalProperties()
    {
        var options = new RerankOptions
        {
            TopN = 3,
            ModelId = "m",
            ScoreThreshold = 0.25,
            MaxTokensPerDocument = 128,
            AdditionalProperties = new Dictionary<string, object?> { ["k"] = 1 },
        };

        RerankOptions clone = options.Clone();
        clone.AdditionalProperties!["k"] = 2;

        Assert.That(clone.TopN, Is.EqualTo(3));
        Assert.That(clone.ModelId, Is.EqualTo("m"));
        Assert.That(clone.ScoreThreshold, Is.EqualTo(0.25));
        Assert.That(clone.MaxTokensPerDocument, Is.EqualTo(128));
        Assert.That(options.AdditionalProperties["k"], Is.EqualTo(1));
    }

    [Test]
    public void RerankUsage_Add_sums_known_counts_and_keeps_unknowns_null()
    {
        var usage = new RerankUsage { InputTokenCount = 10, AdditionalCounts = new Dictionary<string, long> { ["x"] = 1 } };

        usage.Add(new RerankUsage { InputTokenCount = 5, SearchUnits = 1, AdditionalCounts = new Dictionary<string, long> { ["x"] = 2, ["y"] = 3 } });
        usage.Add(null);

        Assert.That(usage.InputTokenCount, Is.EqualTo(15));
        Assert.That(usage.SearchUnits, Is.EqualTo(1));
        Assert.That(usage.OutputTokenCount, Is.Null);
        Assert.That(usage.AdditionalCounts, Is.EquivalentTo(new Dictionary<string, long> { ["x"] = 3, ["y"] = 3 }));
    }
}
