namespace Rerank.AspNetCore;

/// <summary>Limits the rerank endpoints enforce on every request, whatever the wire format.</summary>
/// <remarks>
/// Bound from the <c>RerankServer</c> configuration section by <c>services.AddRerankServer()</c> and validated when the host
/// starts. A request over a limit is answered with HTTP 413 in the format's own error shape, before any reranker runs.
/// </remarks>
public sealed class RerankServerOptions
{
    /// <summary>The configuration section <c>AddRerankServer</c> binds: <c>RerankServer</c>.</summary>
    public const string DefaultConfigurationSectionPath = "RerankServer";

    /// <summary>Gets or sets the most documents one request may carry.</summary>
    /// <value>Default 1,000 (Cohere's own limit); at least 1.</value>
    public int MaxDocuments { get; set; } = 1000;

    /// <summary>Gets or sets the largest request body, in bytes. The body is read up to this limit before it is parsed.</summary>
    /// <value>Default 4 MiB; between 1 KiB and 1 GiB.</value>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Gets or sets the longest query or document, in UTF-16 characters.</summary>
    /// <value>Default 100,000; at least 1.</value>
    public int MaxDocumentChars { get; set; } = 100_000;

    /// <summary>Gets or sets the deepest JSON nesting a request may have; the formats need 3 levels.</summary>
    /// <value>Default 16; between 4 and 256.</value>
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>Checks every limit.</summary>
    /// <returns>One message per invalid setting, naming the setting and its value; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxDocuments < 1)
        {
            errors.Add($"{DefaultConfigurationSectionPath}:{nameof(MaxDocuments)} is {MaxDocuments}; it must be at least 1.");
        }

        if (MaxRequestBytes is < 1024 or > 1024 * 1024 * 1024)
        {
            errors.Add($"{DefaultConfigurationSectionPath}:{nameof(MaxRequestBytes)} is {MaxRequestBytes}; it must be between 1024 and 1073741824.");
        }

        if (MaxDocumentChars < 1)
        {
            errors.Add($"{DefaultConfigurationSectionPath}:{nameof(MaxDocumentChars)} is {MaxDocumentChars}; it must be at least 1.");
        }

        if (MaxJsonDepth is < 4 or > 256)
        {
            errors.Add($"{DefaultConfigurationSectionPath}:{nameof(MaxJsonDepth)} is {MaxJsonDepth}; it must be between 4 and 256.");
        }

        return errors;
    }
}
