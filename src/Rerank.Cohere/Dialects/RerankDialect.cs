using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rerank.Dialects;

/// <summary>
/// The request and response format of one rerank server family. Subclasses write the request body field by field and read the
/// response; checking the results (range, duplicates, count) is left to the reranker, so every dialect is checked alike.
/// </summary>
/// <remarks>Readers throw <see cref="FormatException"/> for a response of the wrong shape; the reranker adds the context.</remarks>
internal abstract class RerankDialect
{
    // Relaxed escaping keeps non-ASCII text readable and the body small; the body is JSON on the wire, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Gets the dialect this instance speaks.</summary>
    public abstract RerankApiDialect Kind { get; }

    /// <summary>Gets the short provider name used in metadata, exceptions and logs.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the path of the rerank operation, relative to the endpoint.</summary>
    public abstract string DefaultPath { get; }

    /// <summary>Gets the cloud endpoint, or <see langword="null"/> for self-hosted servers that need one configured.</summary>
    public virtual Uri? DefaultEndpoint => null;

    /// <summary>Gets the default model, or <see langword="null"/> to leave the field out.</summary>
    public virtual string? DefaultModelId => null;

    /// <summary>Gets the environment variable that holds the API key, or <see langword="null"/> if the servers need none.</summary>
    public virtual string? ApiKeyEnvironmentVariable => null;

    /// <summary>Gets the most documents one request may carry by default.</summary>
    public abstract int DefaultMaxDocumentsPerRequest { get; }

    /// <summary>Gets a value indicating whether the server can return only the top results (<c>top_n</c>, <c>top_k</c>).</summary>
    public virtual bool SupportsTopN => true;

    /// <summary>Gets the dialect object for <paramref name="kind"/>.</summary>
    /// <param name="kind">The dialect.</param>
    /// <returns>A shared, stateless instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined dialect.</exception>
    public static RerankDialect For(RerankApiDialect kind) => kind switch
    {
        RerankApiDialect.Cohere => CohereDialect.Instance,
        RerankApiDialect.Jina => JinaDialect.Instance,
        RerankApiDialect.Voyage => VoyageDialect.Instance,
        RerankApiDialect.TextEmbeddingsInference => TeiDialect.Instance,
        RerankApiDialect.Infinity => InfinityDialect.Instance,
        RerankApiDialect.Vllm => VllmDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown RerankApiDialect."),
    };

    /// <summary>Writes the request body for <paramref name="request"/> as UTF-8 JSON.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The body.</returns>
    public byte[] WriteRequest(in DialectRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (request.Count * 64));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            WriteFields(writer, request);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a success response.</summary>
    /// <param name="root">The parsed body.</param>
    /// <param name="headers">The response headers, for dialects that report usage there.</param>
    /// <returns>What the response says.</returns>
    /// <exception cref="FormatException">The body does not have the dialect's shape.</exception>
    public abstract DialectResponse ReadResponse(JsonElement root, HttpResponseHeaders headers);

    /// <summary>Writes the body's fields, inside the root object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="request">The request.</param>
    protected abstract void WriteFields(Utf8JsonWriter writer, in DialectRequest request);

    /// <summary>Writes the request's documents as an array of strings.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="propertyName">The field name: <c>documents</c> or <c>texts</c>.</param>
    /// <param name="request">The request.</param>
    protected static void WriteDocuments(Utf8JsonWriter writer, string propertyName, in DialectRequest request)
    {
        writer.WriteStartArray(propertyName);
        for (int i = request.Offset; i < request.Offset + request.Count; i++)
        {
            writer.WriteStringValue(request.Documents[i].Text);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes the fields Cohere, Jina, Infinity and vLLM share, in Cohere's order: <c>model?</c>, <c>query</c>, <c>documents</c>, <c>top_n?</c>.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="request">The request.</param>
    protected static void WriteCohereFields(Utf8JsonWriter writer, in DialectRequest request)
    {
        WriteModel(writer, request);
        writer.WriteString(RerankWire.Cohere.Query, request.Query);
        WriteDocuments(writer, RerankWire.Cohere.Documents, request);
        if (request.TopN is int topN)
        {
            writer.WriteNumber(RerankWire.Cohere.TopN, topN);
        }
    }

    /// <summary>Writes the model field if a model is set.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="request">The request.</param>
    protected static void WriteModel(Utf8JsonWriter writer, in DialectRequest request)
    {
        if (request.ModelId is not null)
        {
            writer.WriteString(RerankWire.Cohere.Model, request.ModelId);
        }
    }

    /// <summary>Reads <c>[{index, score}]</c> pairs from an array.</summary>
    /// <param name="array">The array.</param>
    /// <param name="location">Where the array is, for messages (<c>results</c>, <c>data</c>, <c>the root</c>).</param>
    /// <param name="scoreName">The score's field name: <c>relevance_score</c> or <c>score</c>.</param>
    /// <returns>The pairs, in the server's order.</returns>
    /// <exception cref="FormatException">An item is not an object with an integer index and a numeric score.</exception>
    protected static (int Index, double Score)[] ReadResults(JsonElement array, string location, string scoreName)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"'{location}' is {Describe(array.ValueKind)}, not an array of results.");
        }

        var results = new (int, double)[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Result {i} of '{location}' is {Describe(item.ValueKind)}, not an object.");
            }

            if (!item.TryGetProperty(RerankWire.Cohere.Index, out JsonElement index) || index.ValueKind != JsonValueKind.Number || !index.TryGetInt32(out int indexValue))
            {
                throw new FormatException($"Result {i} of '{location}' has no integer 'index'.");
            }

            if (!item.TryGetProperty(scoreName, out JsonElement score) || score.ValueKind != JsonValueKind.Number
                || !score.TryGetDouble(out double scoreValue) || !double.IsFinite(scoreValue))
            {
                throw new FormatException($"Result {i} of '{location}' has no numeric '{scoreName}'.");
            }

            results[i++] = (indexValue, scoreValue);
        }

        return results;
    }

    /// <summary>Gets a required property of the root object.</summary>
    /// <param name="root">The root.</param>
    /// <param name="name">The property.</param>
    /// <returns>The property's value.</returns>
    /// <exception cref="FormatException">The root is not an object or lacks the property.</exception>
    protected static JsonElement Required(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"The body is {Describe(root.ValueKind)}, not a JSON object.");
        }

        return root.TryGetProperty(name, out JsonElement value)
            ? value
            : throw new FormatException($"The body has no '{name}'.");
    }

    /// <summary>Gets an optional object property.</summary>
    /// <param name="parent">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <param name="value">The object, if present.</param>
    /// <returns><see langword="true"/> if the property is an object.</returns>
    protected static bool TryGetObject(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Gets an optional string property.</summary>
    /// <param name="parent">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <returns>The string, or <see langword="null"/> when absent or not a string.</returns>
    protected static string? GetString(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Gets an optional count, accepting integers and integral or fractional numbers (rounded).</summary>
    /// <param name="parent">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <returns>The count, or <see langword="null"/> when absent or not a number.</returns>
    protected static long? GetCount(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) ? ToCount(value) : null;

    /// <summary>Converts a JSON number to a count.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The count, or <see langword="null"/> when the value is not a finite number.</returns>
    protected static long? ToCount(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetInt64(out long integer))
        {
            return integer;
        }

        // Some servers report counts as floats (1.0); a count is never fractional, so round rather than drop it.
        return value.TryGetDouble(out double real) && double.IsFinite(real) && Math.Abs(real) < long.MaxValue
            ? (long)Math.Round(real, MidpointRounding.AwayFromZero)
            : null;
    }

    /// <summary>Reads the OpenAI-style <c>usage</c> object (<c>prompt_tokens</c>, <c>completion_tokens</c>, <c>total_tokens</c>) that Jina, Voyage, Infinity and vLLM send.</summary>
    /// <param name="root">The body.</param>
    /// <returns>The usage, or <see langword="null"/> when the body has none.</returns>
    protected static RerankUsage? ReadUsage(JsonElement root)
    {
        if (!TryGetObject(root, "usage", out JsonElement usage))
        {
            return null;
        }

        return new RerankUsage
        {
            InputTokenCount = GetCount(usage, "prompt_tokens") ?? GetCount(usage, "input_tokens"),
            OutputTokenCount = GetCount(usage, "completion_tokens") ?? GetCount(usage, "output_tokens"),
            TotalTokenCount = GetCount(usage, "total_tokens"),
        };
    }

    /// <summary>
    /// Reads the shape Jina, Voyage, Infinity and vLLM share: an array of <c>{index, relevance_score}</c>, with <c>model</c>,
    /// <c>id</c> and an OpenAI-style <c>usage</c> beside it.
    /// </summary>
    /// <param name="root">The body.</param>
    /// <param name="resultsName">The array's name: <c>results</c> or <c>data</c>.</param>
    /// <returns>What the response says.</returns>
    /// <exception cref="FormatException">The body does not have that shape.</exception>
    protected static DialectResponse ReadWithUsage(JsonElement root, string resultsName) => new()
    {
        Results = ReadResults(Required(root, resultsName), resultsName, "relevance_score"),
        ModelId = GetString(root, "model"),
        ResponseId = GetString(root, "id"),
        Usage = ReadUsage(root),
    };

    /// <summary>Reads an integer response header.</summary>
    /// <param name="headers">The headers.</param>
    /// <param name="name">The header.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    protected static long? GetHeaderCount(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out IEnumerable<string>? values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long count)
            ? count
            : null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}
