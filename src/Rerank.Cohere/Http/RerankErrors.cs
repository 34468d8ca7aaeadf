using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rerank.Http;

/// <summary>
/// Turns failed responses into <see cref="RerankHttpException"/> and <see cref="RerankResponseException"/>: the provider's message
/// (from JSON <c>message</c>/<c>detail</c>/<c>error</c>, an HTML title or plain text), a hint on what to do, and never the key.
/// </summary>
internal static partial class RerankErrors
{
    private const int MaxMessageLength = 500;
    private const string Redacted = "[redacted]";

    /// <summary>Describes an error status.</summary>
    /// <param name="response">The response, its body already in memory.</param>
    /// <param name="settings">The reranker's settings.</param>
    /// <param name="modelId">The model the request named.</param>
    /// <param name="timeProvider">The clock a <c>Retry-After</c> date is measured against.</param>
    /// <param name="cancellationToken">A token that cancels reading the body.</param>
    /// <returns>The exception to throw.</returns>
    public static async Task<RerankHttpException> FromStatusAsync(
        HttpResponseMessage response, RerankerSettings settings, string? modelId, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? providerMessage = Redact(ExtractMessage(body, ResponseBuffering.MediaType(response)), settings.ApiKey);
        TimeSpan? retryAfter = RetryAfter.Get(response, timeProvider);
        int status = (int)response.StatusCode;
        string hint = Hint(response.StatusCode, settings, modelId, retryAfter);

        var message = new StringBuilder()
            .Append("The ").Append(settings.Dialect.Name).Append(" rerank request to ").Append(settings.RequestUri)
            .Append(" failed with HTTP ").Append(status);
        if (!string.IsNullOrEmpty(response.ReasonPhrase))
        {
            message.Append(" (").Append(response.ReasonPhrase).Append(')');
        }

        message.Append(providerMessage is null ? ". " : $": {providerMessage} ").Append(hint);

        return new RerankHttpException(message.ToString(), response.StatusCode, providerMessage, hint)
        {
            ProviderName = settings.Dialect.Name,
            RequestUri = settings.RequestUri,
            RetryAfter = retryAfter,
        };
    }

    /// <summary>Describes a request that got no usable response: connection refused or reset, a body cut short.</summary>
    /// <param name="exception">The transport failure.</param>
    /// <param name="settings">The reranker's settings.</param>
    /// <returns>The exception to throw.</returns>
    public static RerankHttpException FromTransport(HttpRequestException exception, RerankerSettings settings)
    {
        string retried = settings.MaxRetryAttempts > 0 ? $" after {settings.MaxRetryAttempts} retries" : string.Empty;
        const string Hint = "Check that the server is running and reachable at the configured Endpoint, and that nothing between (a proxy, a load balancer) cuts responses short.";
        string detail = Redact(exception.Message, settings.ApiKey) ?? string.Empty;
        return new RerankHttpException(
            $"The {settings.Dialect.Name} rerank request to {settings.RequestUri} failed{retried}: {detail} {Hint}",
            exception.StatusCode,
            null,
            Hint,
            RedactException(exception, settings.ApiKey))
        {
            ProviderName = settings.Dialect.Name,
            RequestUri = settings.RequestUri,
        };
    }

    /// <summary>Describes a success response that is not a ranking the reranker can trust.</summary>
    /// <param name="reason">What is wrong.</param>
    /// <param name="response">The response.</param>
    /// <param name="settings">The reranker's settings.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    /// <returns>The exception to throw.</returns>
    public static RerankResponseException InvalidResponse(string reason, HttpResponseMessage response, RerankerSettings settings, Exception? innerException = null) =>
        new(
            $"The {settings.Dialect.Name} rerank server at {settings.RequestUri} answered HTTP {(int)response.StatusCode} with a response that is not a valid ranking: "
                + $"{Redact(reason, settings.ApiKey)} Check that Endpoint, Path and Dialect ({settings.Dialect.Kind}) match the server.",
            innerException)
        {
            ProviderName = settings.Dialect.Name,
            RequestUri = settings.RequestUri,
            StatusCode = response.StatusCode,
            ContentType = ResponseBuffering.MediaType(response),
        };

    /// <summary>Pulls a readable message out of an error body.</summary>
    /// <param name="body">The body.</param>
    /// <param name="mediaType">Its media type.</param>
    /// <returns>The message, shortened, or <see langword="null"/> for an empty body.</returns>
    public static string? ExtractMessage(string body, string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        string trimmed = body.Trim();
        string? message = null;
        if (ResponseBuffering.IsJson(mediaType) || trimmed.StartsWith('{') || trimmed.StartsWith('"'))
        {
            message = FromJson(trimmed);
        }

        if (message is null && (mediaType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true || trimmed.StartsWith('<')))
        {
            Match title = HtmlTitle().Match(trimmed);
            message = title.Success ? WebUtility.HtmlDecode(title.Groups[1].Value) : WebUtility.HtmlDecode(HtmlTag().Replace(trimmed, " "));
        }

        message ??= trimmed;
        message = Whitespace().Replace(message, " ").Trim();
        return message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength), "…");
    }

    /// <summary>
    /// Removes anything credential-like from <paramref name="text"/>: the key itself (in case a server or a proxy echoes
    /// it), bearer and basic tokens, <c>key=…</c>/<c>token=…</c>-style pairs, the query string and user info of URLs.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="apiKey">The key, or <see langword="null"/>.</param>
    /// <returns>The text without credentials.</returns>
    public static string? Redact(string? text, string? apiKey)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (!string.IsNullOrEmpty(apiKey))
        {
            text = text.Replace(apiKey, Redacted, StringComparison.Ordinal);
        }

        text = AuthorizationToken().Replace(text, "$1 " + Redacted);
        text = SecretPair().Replace(text, "$1" + Redacted);
        text = UrlUserInfo().Replace(text, "$1" + Redacted + "@");
        return UrlQuery().Replace(text, "$1?" + Redacted);
    }

    /// <summary>
    /// The transport failure as callers and logs may see it: the same exception when nothing in its chain is
    /// credential-like, else a copy of the chain (same messages, redacted; HTTP status and error kept) so that
    /// <see cref="Exception.ToString"/> of what we throw can never show the key.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="apiKey">The key, or <see langword="null"/>.</param>
    /// <returns>The exception to use as an inner exception.</returns>
    public static Exception RedactException(Exception exception, string? apiKey)
    {
        bool clean = true;
        for (Exception? e = exception; e is not null && clean; e = e.InnerException)
        {
            clean = string.Equals(Redact(e.Message, apiKey), e.Message, StringComparison.Ordinal);
        }

        if (clean)
        {
            return exception;
        }

        Exception? inner = exception.InnerException is null ? null : RedactException(exception.InnerException, apiKey);
        string message = $"{Redact(exception.Message, apiKey)} (a {exception.GetType().FullName}, redacted: it held something credential-like)";
        return exception is HttpRequestException http
            ? new HttpRequestException(http.HttpRequestError, message, inner, http.StatusCode)
            : new IOException(message, inner);
    }

    private static string Hint(HttpStatusCode status, RerankerSettings settings, string? modelId, TimeSpan? retryAfter)
    {
        string model = modelId is null ? "the server's default model" : $"model '{modelId}'";
        string keySource = settings.Dialect.ApiKeyEnvironmentVariable is string variable
            ? $"CohereRerankerOptions.ApiKey or the {variable} environment variable"
            : "CohereRerankerOptions.ApiKey";
        return (int)status switch
        {
            400 => $"The server rejected the request; its message says why. Check {model}, the documents and MaxTokensPerDocument.",
            401 => $"The API key was rejected or is missing. Set {keySource} to a valid key.",
            402 => "The account behind the API key cannot pay for this request; check its plan and billing.",
            403 => $"The API key is valid but not allowed to use {model} or this endpoint; check the key's permissions.",
            404 => $"Nothing answers at {settings.RequestUri}. Check Endpoint, Path and Dialect ({settings.Dialect.Kind}), and that {model} exists.",
            413 => $"The request is too large for the server. Lower MaxDocumentsPerRequest (now {settings.MaxDocumentsPerRequest}) or shorten the documents.",
            422 => $"The server could not process the request. Check {model} and the documents, and that Dialect ({settings.Dialect.Kind}) matches the server.",
            429 when retryAfter > settings.MaxRetryAfter =>
                $"Rate limited: the server asked to wait {retryAfter}, longer than Retry.MaxRetryAfter ({settings.MaxRetryAfter}), so the request was not retried. Try again later or lower the request rate.",
            429 => $"Rate limited after {settings.MaxRetryAttempts} retries. Lower the request rate or MaxConcurrentRequests, or raise Retry.MaxRetryAttempts.",
            408 or >= 500 => $"The server failed or was unavailable after {settings.MaxRetryAttempts} retries. Try again later, or check the server's health.",
            _ => "The server refused the request; its message says why.",
        };
    }

    private static string? FromJson(string body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return FromElement(document.RootElement, depth: 0);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FromElement(JsonElement element, int depth)
    {
        if (depth > 3)
        {
            return null;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Array:
                // FastAPI's validation errors: "detail": [{"loc": [...], "msg": "...", "type": "..."}].
                string[] parts = [.. element.EnumerateArray().Select(e => FromElement(e, depth + 1)).OfType<string>()];
                return parts.Length == 0 ? null : string.Join("; ", parts);
            case JsonValueKind.Object:
                foreach (string name in (ReadOnlySpan<string>)["message", "detail", "error", "error_message", "msg"])
                {
                    if (element.TryGetProperty(name, out JsonElement value) && FromElement(value, depth + 1) is string found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    [GeneratedRegex(@"\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationToken();

    [GeneratedRegex(@"\b((?:api[_-]?key|apikey|key|access[_-]?token|token|secret|password|signature|sig|x-api-key)[""']?\s*[=:]\s*[""']?)[^\s&""',;}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPair();

    [GeneratedRegex(@"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s?#""'<>]+)\?[^\s#""'<>]*", RegexOptions.CultureInvariant)]
    private static partial Regex UrlQuery();

    [GeneratedRegex(@"<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlTitle();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
