namespace Rerank;

/// <summary>The contract's opening checks, in the contract's order, for middleware that reads the documents itself.</summary>
internal static class MiddlewareArguments
{
    /// <summary>
    /// Validates the arguments and reads the documents, then checks disposal, then (for a non-empty input) the
    /// cancellation token: an empty input returns an empty response even when the token is cancelled.
    /// </summary>
    /// <returns>The documents, in input order; the caller returns an empty response when there are none.</returns>
    public static IReadOnlyList<RerankDocument> Validate(
        object layer,
        bool isDisposed,
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
        ObjectDisposedException.ThrowIf(isDisposed, layer);
        if (list.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return list;
    }
}
