using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Rerank.AspNetCore;

/// <summary>
/// One wire format the server speaks: how its request is read and checked, and how its response and errors are written.
/// Unknown fields are ignored, as Cohere does; a field of the wrong type is refused with 422, naming the field.
/// </summary>
internal abstract class RerankWireFormat
{
    /// <summary>Gets the short name used in logs: <c>cohere</c>, <c>jina</c>, <c>tei</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the route the format is served at by default.</summary>
    public abstract string DefaultPattern { get; }

    /// <summary>Reads and checks the request.</summary>
    /// <param name="root">The parsed body.</param>
    /// <param name="options">The limits.</param>
    /// <returns>The request.</returns>
    /// <exception cref="RerankRequestException">The request is invalid or over a limit.</exception>
    public abstract RerankWireRequest ReadRequest(JsonElement root, RerankServerOptions options);

    /// <summary>Writes a success response.</summary>
    /// <param name="writer">The body's writer.</param>
    /// <param name="http">The response, for headers.</param>
    /// <param name="request">The request.</param>
    /// <param name="response">The reranker's answer.</param>
    /// <param name="modelName">The name of the reranker that answered.</param>
    public abstract void WriteResponse(Utf8JsonWriter writer, HttpResponse http, RerankWireRequest request, RerankResponse response, string modelName);

    /// <summary>Writes an error in the format's own shape.</summary>
    /// <param name="writer">The body's writer.</param>
    /// <param name="error">The error.</param>
    public abstract void WriteError(Utf8JsonWriter writer, RerankRequestException error);

    /// <summary>Checks that the body is an object.</summary>
    /// <param name="root">The body.</param>
    protected static void RequireObject(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw RerankRequestException.Invalid($"The body must be a JSON object, not {Describe(root.ValueKind)}.");
        }
    }

    /// <summary>Reads the required, non-empty query.</summary>
    /// <param name="root">The body.</param>
    /// <param name="name">The field.</param>
    /// <param name="options">The limits.</param>
    /// <returns>The query.</returns>
    protected static string ReadQuery(JsonElement root, string name, RerankServerOptions options)
    {
        if (!root.TryGetProperty(name, out JsonElement value))
        {
            throw RerankRequestException.Invalid($"'{name}' is required.");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw RerankRequestException.Invalid($"'{name}' must be a string, not {Describe(value.ValueKind)}.");
        }

        string query = value.GetString()!;
        if (string.IsNullOrWhiteSpace(query))
        {
            throw RerankRequestException.Malformed($"'{name}' must not be empty.");
        }

        if (query.Length > options.MaxDocumentChars)
        {
            throw RerankRequestException.TooLarge($"'{name}' has {query.Length} characters; this server accepts at most {options.MaxDocumentChars}.");
        }

        return query;
    }

    /// <summary>Reads the required, non-empty array of documents.</summary>
    /// <param name="root">The body.</param>
    /// <param name="name">The field.</param>
    /// <param name="options">The limits.</param>
    /// <param name="allowTextObjects">Whether <c>{"text": "..."}</c> objects are accepted beside strings (Jina's form).</param>
    /// <returns>The documents' texts.</returns>
    protected static string[] ReadDocuments(JsonElement root, string name, RerankServerOptions options, bool allowTextObjects)
    {
        if (!root.TryGetProperty(name, out JsonElement array))
        {
            throw RerankRequestException.Invalid($"'{name}' is required.");
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw RerankRequestException.Invalid($"'{name}' must be an array of strings, not {Describe(array.ValueKind)}.");
        }

        int count = array.GetArrayLength();
        if (count == 0)
        {
            throw RerankRequestException.Malformed($"'{name}' must not be empty.");
        }

        if (count > options.MaxDocuments)
        {
            throw RerankRequestException.TooLarge($"'{name}' has {count} items; this server accepts at most {options.MaxDocuments} per request.");
        }

        var texts = new string[count];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            JsonElement text = item;
            if (allowTextObjects && item.ValueKind == JsonValueKind.Object && item.TryGetProperty(RerankWire.Jina.Text, out JsonElement inner))
            {
                text = inner;
            }

            if (text.ValueKind != JsonValueKind.String)
            {
                string expected = allowTextObjects ? "a string or an object with a string 'text'" : "a string";
                throw RerankRequestException.Invalid($"'{name}[{i}]' must be {expected}, not {Describe(item.ValueKind)}.");
            }

            string value = text.GetString()!;
            if (value.Length > options.MaxDocumentChars)
            {
                throw RerankRequestException.TooLarge($"'{name}[{i}]' has {value.Length} characters; this server accepts at most {options.MaxDocumentChars}.");
            }

            texts[i++] = value;
        }

        return texts;
    }

    /// <summary>Reads an optional integer of at least 1; <see langword="null"/> and absence mean "not given".</summary>
    /// <param name="root">The body.</param>
    /// <param name="name">The field.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    protected static int? ReadPositiveInt(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number) || number < 1)
        {
            throw RerankRequestException.Invalid($"'{name}' must be an integer of at least 1, not {Show(value)}.");
        }

        return number;
    }

    /// <summary>Reads an optional boolean.</summary>
    /// <param name="root">The body.</param>
    /// <param name="name">The field.</param>
    /// <param name="defaultValue">The value when absent or null.</param>
    /// <returns>The value.</returns>
    protected static bool ReadBool(JsonElement root, string name, bool defaultValue)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw RerankRequestException.Invalid($"'{name}' must be true or false, not {Show(value)}."),
        };
    }

    /// <summary>Reads an optional string.</summary>
    /// <param name="root">The body.</param>
    /// <param name="name">The field.</param>
    /// <returns>The value, or <see langword="null"/> when absent, null or empty.</returns>
    protected static string? ReadOptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? (value.GetString() is { Length: > 0 } text ? text : null)
            : throw RerankRequestException.Invalid($"'{name}' must be a string, not {Describe(value.ValueKind)}.");
    }

    /// <summary>Gets the token count to report: the reranker's total, else its input count, else 0.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The count.</returns>
    protected static long TotalTokens(RerankResponse response) =>
        response.Usage?.TotalTokenCount ?? response.Usage?.InputTokenCount ?? 0;

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        // A short number or literal is echoed; anything longer is only described, so a hostile body is never reflected back.
        JsonValueKind.Number when value.GetRawText().Length <= 32 => value.GetRawText(),
        JsonValueKind.String when value.GetString()!.Length <= 32 => "the string \"" + value.GetString() + "\"",
        _ => Describe(value.ValueKind),
    };

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
