namespace Rerank.Evaluation;

/// <summary>A document of a BEIR corpus.</summary>
/// <param name="Id">The document id (<c>_id</c>).</param>
/// <param name="Title">The title; empty when the corpus has none.</param>
/// <param name="Text">The body text; may be empty.</param>
public sealed record CorpusDocument(string Id, string Title, string Text)
{
    /// <summary>Gets the text a retriever or reranker sees: <c>title + " " + text</c>, the BEIR convention, or the one that is not empty.</summary>
    public string FullText => Title.Length == 0 ? Text : Text.Length == 0 ? Title : Title + " " + Text;
}
