namespace Rerank;

/// <summary>Carries <see cref="RerankResponse.AdditionalProperties"/> from inner responses into the response a layer builds.</summary>
internal static class ResponseProperties
{
    /// <summary>Creates a response for <paramref name="results"/> that keeps the inner response's model, usage and properties (copies, so that a layer above may add to them).</summary>
    public static RerankResponse From(IReadOnlyList<RerankResult> results, RerankResponse? inner) => new(results)
    {
        ModelId = inner?.ModelId,
        ResponseId = inner?.ResponseId,
        Usage = AddUsage(null, inner?.Usage),
        RawRepresentation = inner?.RawRepresentation,
        AdditionalProperties = Copy(inner?.AdditionalProperties),
    };

    /// <summary>Returns a copy of <paramref name="properties"/>, or <see langword="null"/>.</summary>
    public static Dictionary<string, object?>? Copy(IDictionary<string, object?>? properties) =>
        properties is null || properties.Count == 0 ? null : new Dictionary<string, object?>(properties, StringComparer.Ordinal);

    /// <summary>Sets <paramref name="key"/> on the response's properties, creating the dictionary if needed.</summary>
    public static void Set(RerankResponse response, string key, object? value)
    {
        response.AdditionalProperties ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        response.AdditionalProperties[key] = value;
    }

    /// <summary>Adds <paramref name="count"/> to an <see cref="int"/> property, so that layers below and above can both report a count.</summary>
    public static void AddCount(RerankResponse response, string key, int count)
    {
        response.AdditionalProperties ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        response.AdditionalProperties[key] = count + (response.AdditionalProperties.TryGetValue(key, out object? existing) ? ToInt(existing) : 0);
    }

    /// <summary>
    /// Merges the properties of one of several inner responses that served a request into <paramref name="target"/>:
    /// counts are summed, per-document maps and attempt lists are joined, anything else is overwritten by the later response.
    /// </summary>
    public static void Merge(RerankResponse target, IDictionary<string, object?>? source)
    {
        if (source is null || source.Count == 0)
        {
            return;
        }

        target.AdditionalProperties ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> pair in source)
        {
            target.AdditionalProperties.TryGetValue(pair.Key, out object? existing);
            target.AdditionalProperties[pair.Key] = (existing, pair.Value) switch
            {
                (int a, int b) => a + b,
                (long a, long b) => a + b,
                (IReadOnlyDictionary<string, LongDocumentMatch> a, IReadOnlyDictionary<string, LongDocumentMatch> b) => Union(a, b),
                (IReadOnlyList<RerankFallbackAttempt> a, IReadOnlyList<RerankFallbackAttempt> b) => (IReadOnlyList<RerankFallbackAttempt>)[.. a, .. b],
                _ => pair.Value,
            };
        }
    }

    /// <summary>Adds <paramref name="usage"/> to <paramref name="total"/>, which is created on first use and never one of the inner responses' own objects.</summary>
    /// <returns>The total, or <see langword="null"/> while no usage was known.</returns>
    public static RerankUsage? AddUsage(RerankUsage? total, RerankUsage? usage)
    {
        if (usage is null)
        {
            return total;
        }

        total ??= new RerankUsage();
        total.Add(usage);
        return total;
    }

    /// <summary>Reads an <see cref="int"/> property, or 0.</summary>
    public static int GetCount(IDictionary<string, object?>? properties, string key) =>
        properties is not null && properties.TryGetValue(key, out object? value) ? ToInt(value) : 0;

    private static int ToInt(object? value) => value switch
    {
        int i => i,
        long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
        _ => 0,
    };

    private static Dictionary<string, LongDocumentMatch> Union(IReadOnlyDictionary<string, LongDocumentMatch> a, IReadOnlyDictionary<string, LongDocumentMatch> b)
    {
        var union = new Dictionary<string, LongDocumentMatch>(a, StringComparer.Ordinal);
        foreach (KeyValuePair<string, LongDocumentMatch> pair in b)
        {
            union[pair.Key] = pair.Value;
        }

        return union;
    }
}
