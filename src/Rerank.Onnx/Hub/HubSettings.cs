using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rerank.Onnx.Hub;

/// <summary>
/// <see cref="HuggingFaceHubOptions"/> with every gap filled from the environment, by the same rules and in the same
/// order as <c>huggingface_hub.constants</c>, so that .NET and Python agree on the cache, the token and offline mode.
/// </summary>
internal sealed class HubSettings
{
    internal static readonly Uri DefaultEndpoint = new("https://huggingface.co");
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private HubSettings(Uri endpoint, string? token, string tokenSource, string cacheDirectory, bool offline, string offlineSource)
    {
        Endpoint = endpoint;
        Token = token;
        TokenSource = tokenSource;
        CacheDirectory = cacheDirectory;
        Offline = offline;
        OfflineSource = offlineSource;
    }

    public Uri Endpoint { get; }

    public string? Token { get; }

    /// <summary>Gets where the token came from ("options", "HF_TOKEN", the file path, "none"), for error messages; never the token.</summary>
    public string TokenSource { get; }

    public string CacheDirectory { get; }

    public bool Offline { get; }

    /// <summary>Gets why the downloader is offline ("HF_HUB_OFFLINE=1", "HuggingFaceHubOptions.Offline"), for error messages.</summary>
    public string OfflineSource { get; }

    public bool CheckForUpdates { get; private init; }

    public bool VerifyChecksums { get; private init; }

    public TimeSpan MetadataTimeout { get; private init; }

    public TimeSpan DownloadTimeout { get; private init; }

    public int MaxResumeAttempts { get; private init; }

    public ILogger Logger { get; private init; } = NullLogger.Instance;

    public static HubSettings Resolve(HuggingFaceHubOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);

        Uri endpoint = options.Endpoint ?? ParseEndpoint(environment("HF_ENDPOINT")) ?? DefaultEndpoint;
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The Hugging Face endpoint must be an absolute http or https address; got '{endpoint}'.", nameof(options));
        }

        string hfHome = ExpandHome(Empty(environment("HF_HOME")))
            ?? Path.Combine(ExpandHome(Empty(environment("XDG_CACHE_HOME"))) ?? Path.Combine(UserHome(), ".cache"), "huggingface");

        string cacheDirectory = options.CacheDirectory
            ?? ExpandHome(Empty(environment("HF_HUB_CACHE")))
            ?? ExpandHome(Empty(environment("HUGGINGFACE_HUB_CACHE")))
            ?? Path.Combine(hfHome, "hub");
        if (string.IsNullOrWhiteSpace(cacheDirectory))
        {
            throw new ArgumentException("HuggingFaceHubOptions.CacheDirectory must not be empty.", nameof(options));
        }

        (string? token, string tokenSource) = ResolveToken(options, environment, hfHome);

        bool offline;
        string offlineSource;
        if (options.Offline is bool explicitOffline)
        {
            offline = explicitOffline;
            offlineSource = "HuggingFaceHubOptions.Offline = true";
        }
        else
        {
            // huggingface_hub: _is_true(os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE")), so a set
            // HF_HUB_OFFLINE (even "0") decides alone, and TRANSFORMERS_OFFLINE is read only when it is unset or empty.
            string variable = Empty(environment("HF_HUB_OFFLINE")) is null ? "TRANSFORMERS_OFFLINE" : "HF_HUB_OFFLINE";
            offline = IsTrue(environment(variable));
            offlineSource = $"{variable}={environment(variable)}";
        }

        if (options.MaxResumeAttempts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxResumeAttempts, "HuggingFaceHubOptions.MaxResumeAttempts must be zero or more.");
        }

        return new HubSettings(endpoint, token, tokenSource, Path.GetFullPath(cacheDirectory), offline, offlineSource)
        {
            CheckForUpdates = options.CheckForUpdates,
            VerifyChecksums = options.VerifyChecksums,
            MetadataTimeout = Positive(options.MetadataTimeout, nameof(HuggingFaceHubOptions.MetadataTimeout)) ?? Seconds(environment("HF_HUB_ETAG_TIMEOUT")) ?? DefaultTimeout,
            DownloadTimeout = Positive(options.DownloadTimeout, nameof(HuggingFaceHubOptions.DownloadTimeout)) ?? Seconds(environment("HF_HUB_DOWNLOAD_TIMEOUT")) ?? DefaultTimeout,
            MaxResumeAttempts = options.MaxResumeAttempts,
            Logger = options.Logger ?? NullLogger.Instance,
        };
    }

    /// <summary>Reads an environment flag as <c>huggingface_hub</c> does: 1, ON, YES or TRUE in any case.</summary>
    internal static bool IsTrue(string? value) =>
        value is not null && value.Trim().ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    private static (string? Token, string Source) ResolveToken(HuggingFaceHubOptions options, Func<string, string?> environment, string hfHome)
    {
        if (options.Token is not null)
        {
            return (Empty(options.Token.Trim()), "HuggingFaceHubOptions.Token");
        }

        if (IsTrue(environment("HF_HUB_DISABLE_IMPLICIT_TOKEN")))
        {
            return (null, "none (HF_HUB_DISABLE_IMPLICIT_TOKEN is set)");
        }

        foreach (string name in (string[])["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"])
        {
            if (Empty(environment(name)?.Trim()) is string fromEnvironment)
            {
                return (fromEnvironment, name);
            }
        }

        string tokenPath = ExpandHome(Empty(environment("HF_TOKEN_PATH"))) ?? Path.Combine(hfHome, "token");
        try
        {
            if (File.Exists(tokenPath) && Empty(File.ReadAllText(tokenPath).Trim()) is string fromFile)
            {
                return (fromFile, $"the token file {tokenPath}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable token file is the same as none: public models still download, and a 401 then explains.
        }

        return (null, "none");
    }

    private static Uri? ParseEndpoint(string? value) =>
        Empty(value?.Trim()) is string text
            ? Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out Uri? uri) ? uri : throw new ArgumentException($"HF_ENDPOINT is not an absolute address: '{text}'.")
            : null;

    private static TimeSpan? Positive(TimeSpan? value, string name) =>
        value is TimeSpan span && span <= TimeSpan.Zero && span != Timeout.InfiniteTimeSpan
            ? throw new ArgumentOutOfRangeException(name, span, $"HuggingFaceHubOptions.{name} must be positive.")
            : value;

    private static TimeSpan? Seconds(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && seconds < int.MaxValue
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? ExpandHome(string? path) =>
        path is null ? null
        : path == "~" ? UserHome()
        : path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal) ? Path.Combine(UserHome(), path[2..])
        : path;

    private static string UserHome() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
