using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace Rerank.VectorData.Tests;

/// <summary>
/// A vector store collection for tests (no connector package is available here): records in a dictionary, exact cosine
/// search over embeddings made by an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, and a keyword hybrid search
/// (vector score plus the fraction of keywords found). <see cref="FailAfter"/> makes enumeration throw part-way.
/// </summary>
internal sealed class InMemoryVectorCollection<TRecord> : VectorStoreCollection<string, TRecord>, IKeywordHybridSearchable<TRecord>
    where TRecord : class
{
    private readonly Dictionary<string, (TRecord Record, float[] Vector)> _records = new(StringComparer.Ordinal);
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly Func<TRecord, string> _key;
    private readonly Func<TRecord, string> _text;

    public InMemoryVectorCollection(IEmbeddingGenerator<string, Embedding<float>> generator, Func<TRecord, string> key, Func<TRecord, string> text)
    {
        _generator = generator;
        _key = key;
        _text = text;
    }

    public override string Name => "in-memory";

    /// <summary>Gets or sets how many results enumerate before the search throws; <see langword="null"/> never throws.</summary>
    public int? FailAfter { get; set; }

    public int Searches { get; private set; }

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        _records.Clear();
        return Task.CompletedTask;
    }

    public override Task<TRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.TryGetValue(key, out var entry) ? entry.Record : null);

    public override async IAsyncEnumerable<TRecord> GetAsync(Expression<Func<TRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Func<TRecord, bool> predicate = filter.Compile();
        foreach (TRecord record in _records.Values.Select(e => e.Record).Where(predicate).Take(top))
        {
            await Task.Yield();
            yield return record;
        }
    }

    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        _records.Remove(key);
        return Task.CompletedTask;
    }

    public override async Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default) => await UpsertAsync([record], cancellationToken);

    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        TRecord[] batch = [.. records];
        GeneratedEmbeddings<Embedding<float>> embeddings = await _generator.GenerateAsync(batch.Select(_text), cancellationToken: cancellationToken);
        for (int i = 0; i < batch.Length; i++)
        {
            _records[_key(batch[i])] = (batch[i], embeddings[i].Vector.ToArray());
        }
    }

    public override IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(TInput searchValue, int top, VectorSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default) =>
        Search(searchValue, keywords: null, top, options?.Filter, cancellationToken);

    public IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchAsync<TInput>(TInput searchValue, ICollection<string> keywords, int top, HybridSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
        where TInput : notnull =>
        Search(searchValue, keywords, top, options?.Filter, cancellationToken);

    public override object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }

        return aa == 0 || bb == 0 ? 0 : dot / Math.Sqrt(aa * bb);
    }

    private async IAsyncEnumerable<VectorSearchResult<TRecord>> Search<TInput>(TInput searchValue, ICollection<string>? keywords, int top, Expression<Func<TRecord, bool>>? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Searches++;
        float[] query = searchValue switch
        {
            string text => (await _generator.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector.ToArray(),
            ReadOnlyMemory<float> vector => vector.ToArray(),
            float[] vector => vector,
            _ => throw new NotSupportedException($"Search values of type {typeof(TInput).Name} are not supported."),
        };

        Func<TRecord, bool> predicate = filter?.Compile() ?? (_ => true);
        var ranked = _records.Values
            .Where(e => predicate(e.Record))
            .Select(e => (e.Record, Score: Cosine(query, e.Vector) + (keywords is { Count: > 0 } ? keywords.Count(k => _text(e.Record).Contains(k, StringComparison.OrdinalIgnoreCase)) / (double)keywords.Count : 0)))
            .OrderByDescending(e => e.Score)
            .Take(top);
        int yielded = 0;
        foreach ((TRecord record, double score) in ranked)
        {
            if (FailAfter is int limit && yielded == limit)
            {
                throw new InvalidOperationException("The vector store connection was lost.");
            }

            await Task.Yield();
            yielded++;
            yield return new VectorSearchResult<TRecord>(record, score);
        }
    }
}
