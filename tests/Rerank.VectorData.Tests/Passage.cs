namespace Rerank.VectorData.Tests;

/// <summary>A record of the test collections.</summary>
internal sealed record Passage(string Id, string Text)
{
    public override string ToString() => Id;
}
