namespace Rerank;

/// <summary>Counts the documents of a call for logs and telemetry without enumerating a lazy sequence twice.</summary>
internal static class DocumentCount
{
    /// <summary>
    /// Returns the number of documents and the sequence to pass on: the same one when it knows its count, else a list
    /// read from it once. Null entries are kept, so that the inner reranker reports them with their index.
    /// </summary>
    public static IEnumerable<RerankDocument>? Count(IEnumerable<RerankDocument>? documents, out int count)
    {
        switch (documents)
        {
            case null:
                count = 0;
                return null;
            case IReadOnlyCollection<RerankDocument> collection:
                count = collection.Count;
                return documents;
            case ICollection<RerankDocument> collection:
                count = collection.Count;
                return documents;
            default:
                List<RerankDocument> list = [.. documents];
                count = list.Count;
                return list;
        }
    }
}
