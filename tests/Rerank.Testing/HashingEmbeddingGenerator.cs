using Microsoft.Extensions.AI;

namespace Rerank.Testing;

/// <summary>
/// A deterministic embedding generator for tests: a bag of lower-cased words hashed into <see cref="Dimensions"/> buckets
/// (so texts that share words have a positive cosine), counting its calls and the texts it embedded.
/// </summary>
public sealed class HashingEmbeddingGenerator(int dimensions = 64, string modelId = "hashing-64") : IEmbeddingGenerator<string, Embedding<float>>
{
    private long _calls;
    private long _texts;

    public int Dimensions { get; } = dimensions;

    public long Calls => Interlocked.Read(ref _calls);

    public long TextsEmbedded => Interlocked.Read(ref _texts);

    public bool Disposed { get; private set; }

    /// <summary>Gets or sets a gate each call awaits before it answers, so tests can hold calls open.</summary>
    public Func<CancellationToken, Task>? Gate { get; set; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        string[] texts = [.. values];
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _texts, texts.Length);
        if (Gate is { } gate)
        {
            await gate(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        int size = options?.Dimensions ?? Dimensions;
        return new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(Embed(t, size)) { ModelId = modelId }))
        {
            Usage = new UsageDetails { InputTokenCount = texts.Sum(t => (long)t.Split(' ').Length) },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("hashing", null, modelId, Dimensions)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => Disposed = true;

    private static float[] Embed(string text, int size)
    {
        var vector = new float[size];
        foreach (string word in text.ToLowerInvariant().Split([' ', ',', '.', '?', '!'], StringSplitOptions.RemoveEmptyEntries))
        {
            // A stable hash (string.GetHashCode is randomised per process, and a distributed cache outlives the process).
            uint hash = 2166136261;
            foreach (char c in word)
            {
                hash = (hash ^ c) * 16777619;
            }

            vector[hash % (uint)size] += 1;
        }

        return vector;
    }
}
