using System.Text.RegularExpressions;

namespace Rerank.Onnx.Hub;

/// <summary>
/// Checks the names that become file-system paths and URLs: repository ids, revisions and file paths from the caller,
/// commit hashes and ETags from the server. A name that could climb out of the cache folder is refused.
/// </summary>
internal static partial class HubNames
{
    public const string DefaultRevision = "main";

    /// <summary>Checks a repository id as <c>huggingface_hub.utils.validate_repo_id</c> does: <c>name</c> or <c>namespace/name</c>.</summary>
    public static void ValidateRepoId(string repoId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoId);
        if (repoId.Length > 96 || !RepoIdPattern().IsMatch(repoId) || repoId.Contains("--", StringComparison.Ordinal)
            || repoId.Contains("..", StringComparison.Ordinal) || repoId.EndsWith(".git", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{repoId}' is not a Hugging Face repository id: expected 'name' or 'namespace/name' (letters, digits, '-', '_', '.'; no '--' or '..'; at most 96 characters), such as 'cross-encoder/ms-marco-MiniLM-L-6-v2'.",
                nameof(repoId));
        }
    }

    /// <summary>Checks a revision: a branch, tag, <c>refs/pr/N</c> or commit hash, safe to use as a path under <c>refs/</c>.</summary>
    public static string ValidateRevision(string? revision)
    {
        if (revision is null)
        {
            return DefaultRevision;
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(revision);
        if (revision.Length > 256 || !IsSafeRelativePath(revision))
        {
            throw new ArgumentException($"'{revision}' is not a usable revision: expected a branch, tag or commit hash without '..', '\\', control characters or a leading '/'.", nameof(revision));
        }

        return revision;
    }

    /// <summary>Gets a value indicating whether <paramref name="filePath"/> is a usable file path inside a repository.</summary>
    public static bool IsFilePath(string? filePath) =>
        !string.IsNullOrWhiteSpace(filePath) && filePath.Length <= 1024 && IsSafeRelativePath(filePath);

    /// <summary>Checks a file path inside a repository ("config.json", "onnx/model.onnx").</summary>
    public static string ValidateFilePath(string filePath, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath, paramName);
        if (!IsFilePath(filePath))
        {
            throw new ArgumentException($"'{filePath}' is not a usable file path in a repository: expected a relative path with '/' separators and no '..', '\\', control characters or leading '/'.", paramName);
        }

        return filePath;
    }

    /// <summary>Refuses options that name a model folder for a <c>FromPretrainedAsync</c> method, whose folder is the cache snapshot.</summary>
    /// <param name="modelDirectory">The options' ModelDirectory.</param>
    /// <param name="optionsType">The options type, such as <c>OnnxCrossEncoderOptions</c>.</param>
    /// <param name="loaderType">The type whose constructor loads a folder, such as <c>OnnxCrossEncoderReranker</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="modelDirectory"/> is set.</exception>
    public static void RequireNoModelDirectory(string? modelDirectory, string optionsType, string loaderType)
    {
        if (modelDirectory is not null)
        {
            throw new ArgumentException($"{optionsType}.ModelDirectory must be left unset for FromPretrainedAsync: the model folder is the Hugging Face cache snapshot. To load a folder you already have, use new {loaderType}(folder).", "options");
        }
    }

    /// <summary>
    /// Checks a file path an options object gives to a <c>FromPretrainedAsync</c> method: it must name a file of the
    /// repository, not a local path.
    /// </summary>
    /// <param name="path">The option's value; <see langword="null"/> when unset.</param>
    /// <param name="option">The option's name for the message, such as <c>OnnxCrossEncoderOptions.ModelPath</c>.</param>
    /// <returns>The '/'-separated path, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">The path is absolute or not a usable repository path.</exception>
    public static string? ValidateOptionFilePath(string? path, string option)
    {
        if (path is null)
        {
            return null;
        }

        string normalized = path.Replace('\\', '/');
        if (Path.IsPathRooted(path) || normalized.StartsWith('/'))
        {
            throw new ArgumentException($"{option} must be a path inside the repository (such as 'onnx/model_quantized.onnx') for FromPretrainedAsync; got the absolute path '{path}'.", "options");
        }

        return ValidateFilePath(normalized, "options");
    }

    /// <summary>Gets a value indicating whether <paramref name="value"/> is a full 40-character commit hash.</summary>
    public static bool IsCommitHash(string value) => CommitHashPattern().IsMatch(value);

    /// <summary>Gets a value indicating whether a commit hash or ETag from the server can name a folder or file.</summary>
    public static bool IsSafeServerName(string? value) => value is not null && ServerNamePattern().IsMatch(value);

    /// <summary>Removes the weak marker and quotes from an ETag, as <c>huggingface_hub._normalize_etag</c> does.</summary>
    public static string? NormalizeEtag(string? etag)
    {
        if (string.IsNullOrWhiteSpace(etag))
        {
            return null;
        }

        string value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        value = value.Trim('"');
        return value.Length == 0 ? null : value;
    }

    private static bool IsSafeRelativePath(string path)
    {
        if (path.StartsWith('/') || path.EndsWith('/') || path.Contains('\\', StringComparison.Ordinal) || path.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in path)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        foreach (string segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == ".." || segment.Trim().Length == 0)
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^([A-Za-z0-9_.\-]+/)?[A-Za-z0-9_.\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RepoIdPattern();

    [GeneratedRegex("^[0-9a-f]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommitHashPattern();

    [GeneratedRegex("^[A-Za-z0-9_\\-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServerNamePattern();
}
