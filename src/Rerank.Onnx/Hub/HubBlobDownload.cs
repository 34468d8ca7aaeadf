using System.Buffers;
using System.Net;

namespace Rerank.Onnx.Hub;

/// <summary>
/// Puts one blob into the cache: under the blob's lock, downloads to <c>blobs/{etag}.incomplete</c> (resuming it with a
/// Range request if a previous attempt left one), checks the size against the announced one and the content against
/// the ETag's hash, flushes to disk, and only then renames it to <c>blobs/{etag}</c>. A blob therefore exists only whole.
/// </summary>
internal sealed class HubBlobDownload
{
    private const int BufferSize = 81920;

    private readonly HubHttp _http;
    private readonly HubSettings _settings;
    private readonly HubCache _cache;
    private readonly string _revision;
    private readonly HubFileMetadata _file;
    private readonly Action<long> _onBytes;

    public HubBlobDownload(HubHttp http, HubSettings settings, HubCache cache, string revision, HubFileMetadata file, Action<long> onBytes)
    {
        _http = http;
        _settings = settings;
        _cache = cache;
        _revision = revision;
        _file = file;
        _onBytes = onBytes;
    }

    private string RepoId => _cache.RepoId;

    /// <summary>Makes sure the blob is in the cache; returns true if this call downloaded it.</summary>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        using HubFileLock fileLock = await HubFileLock.AcquireAsync(_cache.LockPath(_file.Etag), _settings.Logger, cancellationToken).ConfigureAwait(false);
        string blob = _cache.BlobPath(_file.Etag);
        if (File.Exists(blob))
        {
            long length = new FileInfo(blob).Length;
            if (_file.Size is not long expected || length == expected)
            {
                HubLog.BlobAlreadyCached(_settings.Logger, RepoId, _file.FilePath, _file.Etag);
                return false;
            }

            HubLog.CorruptBlobReplaced(_settings.Logger, blob, length, expected);
            File.Delete(blob);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        HubLog.DownloadStarting(_settings.Logger, RepoId, _file.FilePath, _file.Size, _file.DownloadUri.Host);
        int failures = 0;
        while (true)
        {
            try
            {
                await AttemptAsync(blob, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TransientDownloadException ex) when (failures < _settings.MaxResumeAttempts)
            {
                failures++;
                HubLog.DownloadInterrupted(_settings.Logger, RepoId, _file.FilePath, ex.Received, failures, _settings.MaxResumeAttempts, ex.InnerException ?? ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Min(1 << (failures - 1), 20)), cancellationToken).ConfigureAwait(false);
            }
            catch (TransientDownloadException ex)
            {
                string incomplete = _cache.IncompletePath(_file.Etag);
                throw new HuggingFaceHubUnavailableException(
                    $"The download of '{_file.FilePath}' of '{RepoId}' broke off {failures + 1} time(s): {(ex.InnerException ?? ex).Message} The {ex.Received} bytes received are kept in {incomplete}, and the next call resumes from there.",
                    ex.InnerException ?? ex)
                {
                    RepoId = RepoId, Revision = _revision, FilePath = _file.FilePath, MissingFiles = [_file.FilePath],
                };
            }
        }
    }

    private async Task AttemptAsync(string blob, CancellationToken cancellationToken)
    {
        string incompletePath = _cache.IncompletePath(_file.Etag);
        long? expected = _file.Size;
        using HubContentHash? hash = _settings.VerifyChecksums ? HubContentHash.Create(_file.Etag, expected) : null;
        var incomplete = new FileStream(incompletePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        bool keep = true;
        try
        {
            long offset = incomplete.Length;
            if (expected is long size && offset > size)
            {
                offset = Truncate(incomplete, hash);
            }

            if (offset > 0)
            {
                HubLog.Resuming(_settings.Logger, RepoId, _file.FilePath, offset);
                if (hash is not null)
                {
                    await HashPrefixAsync(incomplete, offset, hash, cancellationToken).ConfigureAwait(false);
                }
            }

            incomplete.Position = offset;
            _onBytes(offset);
            if (expected is not long whole || offset < whole)
            {
                offset = await ReceiveAsync(incomplete, offset, hash, cancellationToken).ConfigureAwait(false);
            }

            if (expected is long announced && offset != announced)
            {
                keep = false;
                throw Integrity($"'{_file.FilePath}' of '{RepoId}' has {offset} bytes but the Hub announced {announced}.", offset);
            }

            if (hash is not null && !hash.Matches(out string actual))
            {
                keep = false;
                throw Integrity($"'{_file.FilePath}' of '{RepoId}' does not match its ETag: the {hash.Algorithm} of the {offset} bytes received is {actual}, the Hub announced {_file.Etag}.", offset);
            }

            // Durable before visible: the rename is what makes the blob exist, so the bytes must be on disk first.
            incomplete.Flush(flushToDisk: true);
            await incomplete.DisposeAsync().ConfigureAwait(false);
            File.Move(incompletePath, blob, overwrite: true);
            HubLog.DownloadCompleted(_settings.Logger, RepoId, _file.FilePath, offset, _file.Etag);
        }
        catch (HuggingFaceHubIntegrityException)
        {
            keep = false;
            throw;
        }
        finally
        {
            await incomplete.DisposeAsync().ConfigureAwait(false);
            if (!keep)
            {
                File.Delete(incompletePath);
            }
        }
    }

    /// <summary>Sends one GET (a Range request from <paramref name="offset"/>), appends what arrives, and returns the new length.</summary>
    private async Task<long> ReceiveAsync(FileStream incomplete, long offset, HubContentHash? hash, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetContentAsync(_file.DownloadUri, offset, RepoId, _revision, _file.FilePath, cancellationToken).ConfigureAwait(false);
        }
        catch (HuggingFaceHubUnavailableException ex)
        {
            throw new TransientDownloadException(offset, ex);
        }

        using (response)
        {
            long? expected = _file.Size;
            switch (response.StatusCode)
            {
                case HttpStatusCode.PartialContent when offset > 0:
                    var range = response.Content.Headers.ContentRange;
                    if (range?.From != offset)
                    {
                        // Not the bytes we asked for: start over rather than splice the wrong part in.
                        Truncate(incomplete, hash);
                        throw new TransientDownloadException(0, new IOException($"The server answered a Range request from byte {offset} with bytes from {range?.From?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown offset"}."));
                    }

                    if (expected is long total && range.Length is long rangeTotal && rangeTotal != total)
                    {
                        throw Integrity($"The server says '{_file.FilePath}' of '{RepoId}' has {rangeTotal} bytes but the Hub announced {total}.", offset);
                    }

                    break;

                case HttpStatusCode.OK:
                    if (offset > 0)
                    {
                        HubLog.RangeIgnored(_settings.Logger, _file.FilePath);
                        offset = Truncate(incomplete, hash);
                    }

                    if (expected is long announced && response.Content.Headers.ContentLength is long length && length != announced)
                    {
                        throw Integrity($"The server sends {length} bytes for '{_file.FilePath}' of '{RepoId}' but the Hub announced {announced}.", 0);
                    }

                    break;

                case HttpStatusCode.RequestedRangeNotSatisfiable:
                    // Our partial file does not fit the server's file: drop it and fetch the whole.
                    Truncate(incomplete, hash);
                    throw new TransientDownloadException(0, new IOException($"The server refused the Range request from byte {offset} (416)."));

                default:
                    Exception error = _http.CreateError(response, RepoId, _revision, _file.FilePath);
                    throw error is HuggingFaceHubUnavailableException ? new TransientDownloadException(offset, error) : error;
            }

            return await CopyAsync(response, incomplete, offset, hash, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> CopyAsync(HttpResponseMessage response, FileStream incomplete, long offset, HubContentHash? hash, CancellationToken cancellationToken)
    {
        long? expected = _file.Size;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            Stream body;
            try
            {
                body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw new TransientDownloadException(offset, ex);
            }

            await using (body.ConfigureAwait(false))
            {
                while (true)
                {
                    int read;
                    stall.CancelAfter(_settings.DownloadTimeout);
                    try
                    {
                        read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new TransientDownloadException(offset, new TimeoutException($"No data from {_file.DownloadUri.Host} for {_settings.DownloadTimeout.TotalSeconds:0.###} s (HuggingFaceHubOptions.DownloadTimeout, HF_HUB_DOWNLOAD_TIMEOUT).", ex));
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException)
                    {
                        throw new TransientDownloadException(offset, ex);
                    }

                    if (!stall.TryReset())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    if (expected is long announced && offset + read > announced)
                    {
                        throw Integrity($"The server sent more than the {announced} bytes the Hub announced for '{_file.FilePath}' of '{RepoId}'.", offset + read);
                    }

                    await incomplete.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    hash?.Append(buffer.AsSpan(0, read));
                    offset += read;
                    _onBytes(offset);
                }
            }

            if (expected is long whole && offset < whole)
            {
                // The body ended cleanly but short (a chunked answer cut off): keep what came and resume.
                throw new TransientDownloadException(offset, new IOException($"The server ended the body of '{_file.FilePath}' at byte {offset} of {whole}."));
            }

            return offset;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task HashPrefixAsync(FileStream incomplete, long length, HubContentHash hash, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            incomplete.Position = 0;
            long remaining = length;
            while (remaining > 0)
            {
                int read = await incomplete.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"{incomplete.Name} became shorter while it was read.");
                }

                hash.Append(buffer.AsSpan(0, read));
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long Truncate(FileStream incomplete, HubContentHash? hash)
    {
        incomplete.SetLength(0);
        incomplete.Position = 0;
        hash?.Reset();
        return 0;
    }

    private HuggingFaceHubIntegrityException Integrity(string message, long received) =>
        new(message + " The partial file was deleted; nothing was added to the cache. If this repeats, a proxy or mirror may be altering the file" + (_settings.VerifyChecksums ? " (HuggingFaceHubOptions.VerifyChecksums turns the hash check off)." : "."))
        {
            RepoId = RepoId, Revision = _revision, FilePath = _file.FilePath, ExpectedSize = _file.Size, ReceivedSize = received,
        };

    /// <summary>A failure worth resuming after: the connection broke, stalled, or the server answered 5xx.</summary>
    private sealed class TransientDownloadException(long received, Exception inner) : Exception(inner.Message, inner)
    {
        public long Received { get; } = received;
    }
}
