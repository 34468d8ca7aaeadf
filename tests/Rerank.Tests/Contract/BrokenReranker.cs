namespace Rerank.Tests.Contract;

/// <summary>One way of breaking the contract by hand, for proving that the contract suite notices.</summary>
public enum Breakage
{
    ReversedTies,
    UnstableSortDropsTieOrder,
    IgnoresTopN,
    AcceptsTopNZero,
    AcceptsInvalidOptions,
    IgnoresScoreThreshold,
    CallsBackendOnEmptyInput,
    AcceptsNullQuery,
    AcceptsEmptyQuery,
    NullDocumentWithoutIndex,
    NullDocumentNamesNoArgument,
    IgnoresCancellation,
    SharedStateRace,
    IgnoresDispose,
    IndexIsRank,
    CopiesDocuments,
    EnumeratesTwice,
    MutatesOptions,
    ScoresDependOnPosition,
    DeclaresNoScoreSemantics,
    DeclaredPointwiseButSetDependent,
}

/// <summary>A reranker that keeps the contract except for one <see cref="Breakage"/>.</summary>
public sealed class BrokenReranker(Breakage breakage) : IReranker
{
    private long _backendCalls;
    private bool _disposed;
    private string? _sharedQuery;

    public long BackendCalls => Interlocked.Read(ref _backendCalls);

    public async Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!(breakage == Breakage.AcceptsNullQuery && query is null) && !(breakage == Breakage.AcceptsEmptyQuery && string.IsNullOrWhiteSpace(query) && query is not null))
        {
            RerankContract.ValidateQuery(query!);
        }

        ArgumentNullException.ThrowIfNull(documents);
        if (breakage == Breakage.AcceptsInvalidOptions)
        {
            // Checks TopN only, as a provider that hand-rolls validation might.
            ArgumentOutOfRangeException.ThrowIfLessThan(options?.TopN ?? 1, 1);
        }
        else if (breakage != Breakage.AcceptsTopNZero)
        {
            RerankContract.ValidateOptions(options);
        }

        if (breakage == Breakage.EnumeratesTwice)
        {
            _ = documents.Count();
        }

        var list = new List<RerankDocument>();
        foreach (RerankDocument d in documents)
        {
            if (d is null)
            {
                throw breakage switch
                {
                    Breakage.NullDocumentWithoutIndex => new ArgumentException("A document is null.", nameof(documents)),
                    Breakage.NullDocumentNamesNoArgument => new ArgumentException($"The document at index {list.Count} is null."),
                    _ => new ArgumentException($"The document at index {list.Count} is null.", nameof(documents)),
                };
            }

            list.Add(breakage == Breakage.CopiesDocuments ? new RerankDocument(d.Text) { Id = d.Id } : d);
        }

        if (breakage == Breakage.MutatesOptions && options is not null)
        {
            options.TopN = null;
        }

        if (!_disposed || breakage == Breakage.IgnoresDispose)
        {
            // fall through
        }
        else
        {
            throw new ObjectDisposedException(nameof(BrokenReranker));
        }

        if (list.Count == 0 && breakage != Breakage.CallsBackendOnEmptyInput)
        {
            return new RerankResponse([]);
        }

        if (breakage != Breakage.IgnoresCancellation)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        Interlocked.Increment(ref _backendCalls);
        string scoringQuery = query ?? string.Empty;
        if (breakage == Breakage.SharedStateRace)
        {
            _sharedQuery = scoringQuery;
            await Task.Delay(1, CancellationToken.None);
            scoringQuery = _sharedQuery;
        }
        else
        {
            await Task.Yield();
        }

        double[] scores = breakage == Breakage.DeclaredPointwiseButSetDependent
            ? Testing.SetDependentTestReranker.Scores(scoringQuery, [.. list.Select(d => d.Text)])
            : [.. list.Select((d, i) => Testing.TestReranker.Score(scoringQuery, d.Text) + (breakage == Breakage.ScoresDependOnPosition ? i * 1e-3 : 0))];
        var results = list.Select((d, i) => new RerankResult(i, scores[i], d)).ToArray();
        if (breakage == Breakage.ReversedTies)
        {
            results = [.. results.OrderByDescending(r => r.Score).ThenByDescending(r => r.Index)];
        }
        else if (breakage == Breakage.UnstableSortDropsTieOrder)
        {
            // Sort by score only, from a scrambled start: ties come out in an order unrelated to the input. The scramble
            // is a fixed permutation (not a string hash, which .NET randomises per process) so the breakage is certain.
            results = [.. results.OrderBy(r => ((r.Index * 7) + 3) % 11).OrderByDescending(r => r.Score)];
        }
        else
        {
            results = [.. RerankContract.Order(results, null)];
        }

        if (breakage != Breakage.IgnoresScoreThreshold && options?.ScoreThreshold is double threshold)
        {
            results = [.. results.Where(r => r.Score >= threshold)];
        }

        if (breakage != Breakage.IgnoresTopN && options?.TopN is int topN)
        {
            results = [.. results.Take(Math.Max(topN, 0))];
        }

        if (breakage == Breakage.IndexIsRank)
        {
            results = [.. results.Select((r, rank) => new RerankResult(rank, r.Score, r.Document))];
        }

        return new RerankResponse(results);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(RerankerMetadata))
        {
            return breakage == Breakage.DeclaresNoScoreSemantics
                ? new RerankerMetadata("broken")
                : new RerankerMetadata("broken") { ScoreSemantics = RerankScoreSemantics.Pointwise, ScoringFingerprint = "broken" };
        }

        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose() => _disposed = true;
}
