using System.Buffers;
using System.Numerics;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Inference;

/// <summary>
/// The three input tensors of one batch (input_ids, attention_mask, token_type_ids), row-major
/// [rows, <see cref="SequenceLength"/>], in arrays rented from <see cref="ArrayPool{T}.Shared"/>; dispose to return them.
/// </summary>
/// <typeparam name="T">The graph's integer input type (long, or int for int32 exports).</typeparam>
internal readonly struct PooledBatch<T> : IDisposable
    where T : unmanaged, IBinaryInteger<T>
{
    private PooledBatch(T[] inputIds, T[] attentionMask, T[]? tokenTypeIds, int rows, int sequenceLength)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = tokenTypeIds;
        Rows = rows;
        SequenceLength = sequenceLength;
    }

    /// <summary>Gets the ids; only the first <see cref="Size"/> elements belong to the batch.</summary>
    public T[] InputIds { get; }

    /// <summary>Gets the attention mask: 1 for tokens, 0 for padding.</summary>
    public T[] AttentionMask { get; }

    /// <summary>Gets the token type ids, or <see langword="null"/> when the graph takes none.</summary>
    public T[]? TokenTypeIds { get; }

    /// <summary>Gets the number of pairs.</summary>
    public int Rows { get; }

    /// <summary>Gets the padded length: the longest pair of the batch.</summary>
    public int SequenceLength { get; }

    /// <summary>Gets the number of elements of each tensor.</summary>
    public int Size => Rows * SequenceLength;

    /// <summary>Rents the buffers and lays out the pairs <paramref name="encodings"/>[<paramref name="batch"/>[i]], padded to the longest.</summary>
    /// <param name="encodings">The tokenised pairs.</param>
    /// <param name="batch">The indices of this batch's pairs.</param>
    /// <param name="padTokenId">The padding id.</param>
    /// <param name="withTokenTypes">Whether to build token_type_ids.</param>
    /// <returns>The batch; dispose it to return the buffers.</returns>
    public static PooledBatch<T> Rent(ReadOnlySpan<PairEncoding> encodings, ReadOnlySpan<int> batch, int padTokenId, bool withTokenTypes)
    {
        int sequenceLength = 0;
        foreach (int index in batch)
        {
            sequenceLength = Math.Max(sequenceLength, encodings[index].Length);
        }

        int size = batch.Length * sequenceLength;
        var pooled = new PooledBatch<T>(
            ArrayPool<T>.Shared.Rent(size),
            ArrayPool<T>.Shared.Rent(size),
            withTokenTypes ? ArrayPool<T>.Shared.Rent(size) : null,
            batch.Length,
            sequenceLength);
        Fill(encodings, batch, sequenceLength, padTokenId, pooled.InputIds.AsSpan(0, size), pooled.AttentionMask.AsSpan(0, size), withTokenTypes ? pooled.TokenTypeIds.AsSpan(0, size) : default);
        return pooled;
    }

    /// <summary>Lays out a batch as the graph's tensors, row-major [batch, sequenceLength], padded with <paramref name="padTokenId"/>.</summary>
    /// <param name="encodings">The tokenised pairs.</param>
    /// <param name="batch">The indices of this batch's pairs.</param>
    /// <param name="sequenceLength">The padded length, at least the longest pair's.</param>
    /// <param name="padTokenId">The padding id.</param>
    /// <param name="inputIds">Receives the ids.</param>
    /// <param name="attentionMask">Receives the mask.</param>
    /// <param name="tokenTypeIds">Receives the token types; empty when the graph takes none.</param>
    public static void Fill(ReadOnlySpan<PairEncoding> encodings, ReadOnlySpan<int> batch, int sequenceLength, int padTokenId, Span<T> inputIds, Span<T> attentionMask, Span<T> tokenTypeIds)
    {
        T pad = T.CreateTruncating(padTokenId);
        for (int row = 0; row < batch.Length; row++)
        {
            PairEncoding encoding = encodings[batch[row]];
            int length = encoding.Length;
            Span<T> ids = inputIds.Slice(row * sequenceLength, sequenceLength);
            Span<T> mask = attentionMask.Slice(row * sequenceLength, sequenceLength);
            ReadOnlySpan<int> sourceIds = encoding.InputIds;
            for (int i = 0; i < length; i++)
            {
                ids[i] = T.CreateTruncating(sourceIds[i]);
            }

            ids[length..].Fill(pad);
            mask[..length].Fill(T.One);
            mask[length..].Clear();
            if (!tokenTypeIds.IsEmpty)
            {
                Span<T> types = tokenTypeIds.Slice(row * sequenceLength, sequenceLength);
                ReadOnlySpan<int> sourceTypes = encoding.TokenTypeIds;
                for (int i = 0; i < length; i++)
                {
                    types[i] = T.CreateTruncating(sourceTypes[i]);
                }

                types[length..].Clear();
            }
        }
    }

    /// <summary>Returns the buffers to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<T>.Shared.Return(InputIds);
        ArrayPool<T>.Shared.Return(AttentionMask);
        if (TokenTypeIds is not null)
        {
            ArrayPool<T>.Shared.Return(TokenTypeIds);
        }
    }
}
