using Microsoft.Extensions.Logging;

namespace Rerank.Onnx.Hub;

/// <summary>
/// Settings for <see cref="HuggingFaceModelDownloader"/>. Every property left <see langword="null"/> falls back to the
/// environment variable that <c>huggingface_hub</c> reads, then to its default, so that .NET and Python share one cache.
/// </summary>
/// <remarks>
/// The environment is read once, when the downloader is constructed: <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c> (then the token
/// file at <c>HF_TOKEN_PATH</c> or <c>$HF_HOME/token</c>), <c>HF_HUB_CACHE</c> (then <c>$HF_HOME/hub</c>, then
/// <c>~/.cache/huggingface/hub</c>), <c>HF_HUB_OFFLINE</c>, <c>HF_HUB_ETAG_TIMEOUT</c> and <c>HF_HUB_DOWNLOAD_TIMEOUT</c>.
/// </remarks>
public sealed class HuggingFaceHubOptions
{
    /// <summary>Gets or sets the Hub's base address.</summary>
    /// <value>Default: <c>HF_ENDPOINT</c>, else <c>https://huggingface.co</c>. A mirror with a path prefix is allowed.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the access token for private and gated repositories.</summary>
    /// <value>
    /// Default: <c>HF_TOKEN</c>, else the token file that <c>huggingface-cli login</c> writes (<c>HF_TOKEN_PATH</c> or
    /// <c>$HF_HOME/token</c>), else none. The token is sent only to the endpoint's host, never to the CDN a large file
    /// redirects to, and never appears in an exception message or a log.
    /// </value>
    public string? Token { get; set; }

    /// <summary>Gets or sets the cache folder, laid out as <c>huggingface_hub</c> lays it out.</summary>
    /// <value>Default: <c>HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>.</value>
    public string? CacheDirectory { get; set; }

    /// <summary>Gets or sets a value indicating whether the Hub may be contacted at all.</summary>
    /// <value>
    /// Default: <c>HF_HUB_OFFLINE</c> (or <c>TRANSFORMERS_OFFLINE</c>) set to 1, ON, YES or TRUE. When offline, files
    /// come only from the cache, and a missing file is an <see cref="HuggingFaceHubOfflineException"/>.
    /// </value>
    public bool? Offline { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a branch or tag (such as <c>main</c>) is checked against the Hub even when
    /// the cache already holds every file of the commit it last pointed to.
    /// </summary>
    /// <value>
    /// Default <see langword="false"/>: a complete cached snapshot is used without any request, so a cached model loads
    /// at once and without network. Set <see langword="true"/> to ask the Hub for the newest commit first (one HEAD
    /// request per file, as <c>huggingface_hub</c> does); if the Hub cannot be reached the cached snapshot is used.
    /// A commit hash as the revision never needs the Hub once cached.
    /// </value>
    public bool CheckForUpdates { get; set; }

    /// <summary>Gets or sets a value indicating whether downloaded files are checked against the hash in their ETag.</summary>
    /// <value>
    /// Default <see langword="true"/>: a file whose ETag is a SHA-256 (Git LFS) or a Git blob SHA-1 is hashed while it is
    /// written, and a mismatch is an <see cref="HuggingFaceHubIntegrityException"/>. The size is always checked.
    /// </value>
    public bool VerifyChecksums { get; set; } = true;

    /// <summary>Gets or sets how long to wait for the answer to one metadata (HEAD) request.</summary>
    /// <value>Default: <c>HF_HUB_ETAG_TIMEOUT</c> seconds, else 10 seconds. Lower it to fail fast when the Hub is unreachable.</value>
    public TimeSpan? MetadataTimeout { get; set; }

    /// <summary>Gets or sets how long a download may go without receiving a byte before the attempt is abandoned and resumed.</summary>
    /// <value>Default: <c>HF_HUB_DOWNLOAD_TIMEOUT</c> seconds, else 10 seconds. This bounds a stall, not the whole download.</value>
    public TimeSpan? DownloadTimeout { get; set; }

    /// <summary>Gets or sets how many times an interrupted download is resumed (with an HTTP Range request) before giving up.</summary>
    /// <value>Default 5. Zero means no retry. A partial file is kept either way and resumed by the next call.</value>
    public int MaxResumeAttempts { get; set; } = 5;

    /// <summary>Gets or sets the <see cref="System.Net.Http.HttpClient"/> to use; the downloader does not dispose it.</summary>
    /// <value>
    /// Default: a client owned by the downloader. The client must not follow redirects itself
    /// (<c>AllowAutoRedirect = false</c>): the downloader reads the Hub's headers from the redirect and decides where the
    /// token may go. Takes precedence over <see cref="HttpMessageHandler"/>.
    /// </value>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Gets or sets the handler under the downloader's own client (for proxies, certificates or tests); not disposed by the downloader.</summary>
    /// <value>Default: a <see cref="SocketsHttpHandler"/> that does not follow redirects or decompress.</value>
    public HttpMessageHandler? HttpMessageHandler { get; set; }

    /// <summary>Gets or sets the logger for cache hits, downloads, resumes and fallbacks.</summary>
    /// <value>Default: no logging.</value>
    public ILogger? Logger { get; set; }
}
