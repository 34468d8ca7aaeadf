namespace Rerank.Onnx.LateInteraction;

/// <summary>
/// The reranker's own bounded memory cache of document embeddings: least recently used first out, bounded by the
/// bytes the vectors take (plus a fixed overhead per entry).
/// </summary>
/// <remarks>Thread-safe; one lock, held only for dictionary and list updates.</remarks>
internal sealed class DocumentEmbeddingCache
{
    /// <summary>The bytes counted per entry beyond its vectors: key, node, dictionary slot and object headers.</summary>
    internal const int EntryOverhead = 256;

    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly object _lock = new();
    private readonly long _capacity;
    private long _bytes;

    public DocumentEmbeddingCache(long capacityBytes)
    {
        _capacity = capacityBytes;
    }

    /// <summary>Gets the bytes counted now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Gets the number of documents held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string key, out LateInteractionEmbeddings embeddings, out LateInteractionTruncation? truncation)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                embeddings = node.Value.Embeddings;
                truncation = node.Value.Truncation;
                return true;
            }
        }

        embeddings = null!;
        truncation = null;
        return false;
    }

    public void Set(string key, LateInteractionEmbeddings embeddings, LateInteractionTruncation? truncation)
    {
        long size = embeddings.SizeInBytes + EntryOverhead + (key.Length * 2L);
        if (size > _capacity)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.Remove(key, out LinkedListNode<Entry>? old))
            {
                _recency.Remove(old);
                _bytes -= old.Value.Size;
            }

            var node = new LinkedListNode<Entry>(new Entry(key, embeddings, truncation, size));
            _entries[key] = node;
            _recency.AddFirst(node);
            _bytes += size;
            while (_bytes > _capacity && _recency.Last is { } last)
            {
                _recency.RemoveLast();
                _entries.Remove(last.Value.Key);
                _bytes -= last.Value.Size;
            }
        }
    }

    private sealed record Entry(string Key, LateInteractionEmbeddings Embeddings, LateInteractionTruncation? Truncation, long Size);
}
