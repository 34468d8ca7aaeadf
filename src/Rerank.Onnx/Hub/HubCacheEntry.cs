namespace Rerank.Onnx.Hub;

/// <summary>What the cache knows about one file at one commit.</summary>
internal enum HubCacheEntry
{
    /// <summary>Neither the file nor a <c>.no_exist</c> marker is there: only the Hub can tell.</summary>
    Unknown,

    /// <summary>The snapshot holds the file.</summary>
    Present,

    /// <summary>A <c>.no_exist</c> marker says the file does not exist at that commit.</summary>
    KnownAbsent,
}
