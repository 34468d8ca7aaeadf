namespace Rerank.Onnx.Hub;

/// <summary>What a HEAD request on a resolve URL tells about a file, read as <c>huggingface_hub.get_hf_file_metadata</c> reads it.</summary>
/// <param name="FilePath">The path in the repository.</param>
/// <param name="Exists">False when the Hub answered EntryNotFound (404) for the file alone.</param>
/// <param name="CommitHash">The commit the revision resolved to (<c>X-Repo-Commit</c>); may be null on a 404.</param>
/// <param name="Etag">The blob's name: <c>X-Linked-Etag</c> (LFS SHA-256) or <c>ETag</c> (Git blob SHA-1), without quotes or <c>W/</c>.</param>
/// <param name="Size">The size: <c>X-Linked-Size</c> or <c>Content-Length</c>; null if neither was sent.</param>
/// <param name="DownloadUri">Where to GET the content: the redirect's target for LFS files, else the resolve URL.</param>
internal sealed record HubFileMetadata(string FilePath, bool Exists, string? CommitHash, string Etag, long? Size, Uri DownloadUri)
{
    public static HubFileMetadata NotFound(string filePath, string? commitHash, Uri url) => new(filePath, false, commitHash, string.Empty, null, url);
}
