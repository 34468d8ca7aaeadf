using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;

namespace Rerank.Onnx.Hub;

/// <summary>
/// The Hub's HTTP protocol: <c>HEAD/GET {endpoint}/{repo}/resolve/{revision}/{path}</c>, metadata from
/// <c>X-Repo-Commit</c>, <c>X-Linked-Etag</c>/<c>ETag</c> and <c>X-Linked-Size</c>/<c>Content-Length</c>, redirects followed
/// by hand so that the LFS redirect's headers are read and the token is sent only to the endpoint's own host, and the
/// Hub's error codes (<c>X-Error-Code</c>) turned into typed exceptions.
/// </summary>
internal sealed class HubHttp
{
    private const int MaxRedirects = 10;
    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Rerank.Onnx",
        typeof(HubHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    private readonly HttpClient _client;
    private readonly HubSettings _settings;

    public HubHttp(HttpClient client, HubSettings settings)
    {
        _client = client;
        _settings = settings;
    }

    public Uri ResolveUrl(string repoId, string revision, string filePath)
    {
        var builder = new StringBuilder(_settings.Endpoint.AbsoluteUri.TrimEnd('/'));
        builder.Append('/').Append(repoId).Append("/resolve/").Append(Uri.EscapeDataString(revision)).Append('/');
        builder.AppendJoin('/', filePath.Split('/').Select(Uri.EscapeDataString));
        return new Uri(builder.ToString());
    }

    /// <summary>Asks for a file's metadata with HEAD; a file-level 404 comes back as <see cref="HubFileMetadata.Exists"/> = false.</summary>
    public async Task<HubFileMetadata> GetMetadataAsync(string repoId, string revision, string filePath, CancellationToken cancellationToken)
    {
        Uri url = ResolveUrl(repoId, revision, filePath);
        Uri current = url;
        string? commit = null;
        for (int hop = 0; hop <= MaxRedirects; hop++)
        {
            HubLog.RequestingMetadata(_settings.Logger, current);
            using var request = CreateRequest(HttpMethod.Head, current);
            using HttpResponseMessage response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _settings.MetadataTimeout, repoId, revision, filePath, cancellationToken).ConfigureAwait(false);

            commit ??= Header(response, "X-Repo-Commit");
            if (IsRedirect(response.StatusCode))
            {
                Uri target = RedirectTarget(response, current, repoId, revision, filePath);

                // The LFS redirect (to the CDN) carries the file's metadata: stop there, as huggingface_hub does. A redirect
                // without it (a renamed repository) is followed.
                string? linkedEtag = HubNames.NormalizeEtag(Header(response, "X-Linked-Etag"));
                if (commit is not null && linkedEtag is not null)
                {
                    return Validated(new HubFileMetadata(filePath, true, commit, linkedEtag, Long(Header(response, "X-Linked-Size")), target), repoId, revision);
                }

                current = target;
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                string? etag = HubNames.NormalizeEtag(Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.ToString() ?? Header(response, "ETag"));
                long? size = Long(Header(response, "X-Linked-Size")) ?? response.Content.Headers.ContentLength;
                if (commit is null || etag is null)
                {
                    throw new HuggingFaceHubException(
                        $"The server at {_settings.Endpoint} answered for '{filePath}' of '{repoId}' without {(commit is null ? "an X-Repo-Commit header" : "an ETag")}, so the file cannot be placed in the Hugging Face cache. Is HF_ENDPOINT (or HuggingFaceHubOptions.Endpoint) a Hugging Face Hub or a mirror of it?")
                    {
                        RepoId = repoId, Revision = revision, FilePath = filePath, StatusCode = response.StatusCode,
                    };
                }

                // Fetch the content at the commit, not the branch: if the branch moves between HEAD and GET, the bytes
                // still match the ETag just read.
                Uri download = current == url && HubNames.IsSafeServerName(commit) ? ResolveUrl(repoId, commit, filePath) : current;
                return Validated(new HubFileMetadata(filePath, true, commit, etag, size, download), repoId, revision);
            }

            if (response.StatusCode == HttpStatusCode.NotFound && ErrorCode(response) is null or "EntryNotFound")
            {
                return HubFileMetadata.NotFound(filePath, HubNames.IsSafeServerName(commit) ? commit : null, url);
            }

            throw CreateError(response, repoId, revision, filePath);
        }

        throw new HuggingFaceHubException($"More than {MaxRedirects} redirects for '{filePath}' of '{repoId}' at revision '{revision}'.")
        {
            RepoId = repoId, Revision = revision, FilePath = filePath,
        };
    }

    /// <summary>
    /// GETs a file's content from <paramref name="offset"/> on (a Range request when above zero), following redirects by
    /// hand. Returns the final response with its headers read; the caller checks its status.
    /// </summary>
    public async Task<HttpResponseMessage> GetContentAsync(Uri uri, long offset, string repoId, string revision, string filePath, CancellationToken cancellationToken)
    {
        Uri current = uri;
        for (int hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = CreateRequest(HttpMethod.Get, current);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            HttpResponseMessage response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _settings.DownloadTimeout, repoId, revision, filePath, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode))
            {
                return response;
            }

            using (response)
            {
                current = RedirectTarget(response, current, repoId, revision, filePath);
            }
        }

        throw new HuggingFaceHubException($"More than {MaxRedirects} redirects while downloading '{filePath}' of '{repoId}'.")
        {
            RepoId = repoId, Revision = revision, FilePath = filePath,
        };
    }

    /// <summary>Turns an error answer into the typed exception that says what to do.</summary>
    public Exception CreateError(HttpResponseMessage response, string repoId, string revision, string filePath)
    {
        HttpStatusCode status = response.StatusCode;
        string? code = ErrorCode(response);
        string serverMessage = Header(response, "X-Error-Message") is string text ? $" The Hub said: \"{Truncate(text)}\"." : string.Empty;
        int statusNumber = (int)status;

        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            bool tokenSent = _settings.Token is not null;
            bool gated = code == "GatedRepo";
            string tokenText = tokenSent
                ? $"A token was sent (from {_settings.TokenSource}) and was not accepted for this repository."
                : "No token was sent.";
            string advice = gated
                ? $"'{repoId}' is a gated model: open https://huggingface.co/{repoId} while logged in, accept its licence, then set HF_TOKEN to an access token of that account (or HuggingFaceHubOptions.Token)."
                : $"If '{repoId}' is private or gated, set HF_TOKEN to an access token that can read it (or HuggingFaceHubOptions.Token) and, for a gated model, accept its licence at https://huggingface.co/{repoId}; also check that the repository id is spelt correctly.";
            return new HuggingFaceHubAccessDeniedException(
                $"The Hub refused access to '{filePath}' of '{repoId}' at revision '{revision}' ({statusNumber} {status}{(code is null ? string.Empty : ", " + code)}). {tokenText} {advice}{serverMessage}")
            {
                RepoId = repoId, Revision = revision, FilePath = filePath, StatusCode = status, IsGated = gated, TokenSent = tokenSent,
            };
        }

        if (status == HttpStatusCode.NotFound)
        {
            (HuggingFaceHubMissingItem missing, string what) = code switch
            {
                "RepoNotFound" => (HuggingFaceHubMissingItem.Repository, $"Repository '{repoId}' was not found on {_settings.Endpoint}. Check the id (such as 'cross-encoder/ms-marco-MiniLM-L-6-v2')."),
                "RevisionNotFound" => (HuggingFaceHubMissingItem.Revision, $"Revision '{revision}' was not found in repository '{repoId}'. Check the branch, tag or commit hash."),
                _ => (HuggingFaceHubMissingItem.File, $"File '{filePath}' was not found in repository '{repoId}' at revision '{revision}'."),
            };
            return new HuggingFaceHubNotFoundException(what + serverMessage)
            {
                RepoId = repoId, Revision = revision, FilePath = filePath, StatusCode = status, Missing = missing,
            };
        }

        if (statusNumber >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout)
        {
            return new HuggingFaceHubUnavailableException(
                $"The Hub answered {statusNumber} {status} for '{filePath}' of '{repoId}' at revision '{revision}'; try again later.{serverMessage}")
            {
                RepoId = repoId, Revision = revision, FilePath = filePath, StatusCode = status,
            };
        }

        return new HuggingFaceHubException($"The Hub answered {statusNumber} {status} for '{filePath}' of '{repoId}' at revision '{revision}'.{serverMessage}")
        {
            RepoId = repoId, Revision = revision, FilePath = filePath, StatusCode = status,
        };
    }

    public static string? Header(HttpResponseMessage response, string name)
    {
        if (response.Headers.TryGetValues(name, out IEnumerable<string>? values) || response.Content.Headers.TryGetValues(name, out values))
        {
            return values.FirstOrDefault();
        }

        return null;
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.UserAgent.Add(UserAgent);

        // Sizes and hashes are of the stored bytes: ask for them as stored, never compressed on the fly.
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        if (_settings.Token is not null && SameOrigin(uri, _settings.Endpoint))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.Token);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, HttpCompletionOption completion, TimeSpan timeout, string repoId, string revision, string filePath, CancellationToken cancellationToken)
    {
        Uri sent = request.RequestUri!;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, completion, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HuggingFaceHubUnavailableException(
                $"No answer from {sent.Host} within {timeout.TotalSeconds:0.###} s for '{filePath}' of '{repoId}' at revision '{revision}'. Check the network, HF_ENDPOINT or a proxy; raise HuggingFaceHubOptions.MetadataTimeout / DownloadTimeout (HF_HUB_ETAG_TIMEOUT / HF_HUB_DOWNLOAD_TIMEOUT) for a slow link, or set HF_HUB_OFFLINE=1 to use only the cache.",
                new TimeoutException($"The request to {sent.Host} timed out after {timeout}.", ex))
            {
                RepoId = repoId, Revision = revision, FilePath = filePath,
            };
        }
        catch (HttpRequestException ex)
        {
            throw new HuggingFaceHubUnavailableException(
                $"The request to {sent.Host} for '{filePath}' of '{repoId}' at revision '{revision}' failed: {Describe(ex)} Check the network, HF_ENDPOINT or a proxy, or set HF_HUB_OFFLINE=1 to use only the cache.",
                ex)
            {
                RepoId = repoId, Revision = revision, FilePath = filePath,
            };
        }

        if (response.RequestMessage?.RequestUri is Uri answered && answered != sent)
        {
            response.Dispose();
            throw new InvalidOperationException(
                "The HttpClient given to the Hugging Face downloader followed a redirect by itself. Give it a handler with AllowAutoRedirect = false: the downloader must read the Hub's headers on the redirect and keep the token away from the CDN.");
        }

        return response;
    }

    private Uri RedirectTarget(HttpResponseMessage response, Uri current, string repoId, string revision, string filePath)
    {
        Uri? location = response.Headers.Location;
        if (location is null)
        {
            throw new HuggingFaceHubException($"The server answered {(int)response.StatusCode} for '{filePath}' of '{repoId}' without a Location header.")
            {
                RepoId = repoId, Revision = revision, FilePath = filePath, StatusCode = response.StatusCode,
            };
        }

        Uri target = location.IsAbsoluteUri ? location : new Uri(current, location);
        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
        {
            throw new HuggingFaceHubException($"The server redirected '{filePath}' of '{repoId}' to a non-HTTP address ({target.Scheme}:).")
            {
                RepoId = repoId, Revision = revision, FilePath = filePath, StatusCode = response.StatusCode,
            };
        }

        return target;
    }

    // HttpRequestException's own message ("An error occurred while sending the request") hides the cause that matters
    // to a user (connection refused, name not resolved, reset): name the innermost one.
    private static string Describe(HttpRequestException ex)
    {
        Exception inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        string message = ex.Message.TrimEnd('.') + ".";
        return inner == ex || ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? message : $"{message} ({inner.Message})";
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static string? ErrorCode(HttpResponseMessage response) => Header(response, "X-Error-Code");

    private static long? Long(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number) ? number : null;

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private HubFileMetadata Validated(HubFileMetadata metadata, string repoId, string revision)
    {
        if (!HubNames.IsSafeServerName(metadata.CommitHash) || !HubNames.IsSafeServerName(metadata.Etag))
        {
            throw new HuggingFaceHubException(
                $"The server at {_settings.Endpoint} sent a commit hash or ETag for '{metadata.FilePath}' of '{repoId}' that cannot name a file in the cache (expected letters, digits, '-' or '_').")
            {
                RepoId = repoId, Revision = revision, FilePath = metadata.FilePath,
            };
        }

        return metadata;
    }
}
