namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>The snippet of docs/providers/late-interaction.md, run on the fixture folder.</summary>
public sealed class LateInteractionSnippetTests
{
    [Test]
    public async Task The_documented_snippet_runs()
    {
        using var reranker = new OnnxLateInteractionReranker(ColBertGolden.Directory);

        RerankResponse response = await reranker.RerankAsync(
            "How to process organic waste?",
            [
                "Composting turns kitchen scraps and garden waste into humus.",
                "Plastic bottles are shredded and melted into pellets.",
                "Spent nuclear fuel is stored in cooling pools and dry casks.",
            ],
            new RerankOptions { TopN = 2 });

        var lines = new List<string>();
        foreach (RerankResult result in response.Results)
        {
            lines.Add($"{result.Score:0.000}  #{result.Index}  {result.Document.Text}");
        }

        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(response.ModelId, Is.EqualTo(ColBertGolden.Model));
    }
}
