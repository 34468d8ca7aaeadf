using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace Rerank.Onnx;

/// <summary>
/// The token embeddings of one text as a late-interaction (ColBERT) model encodes it: one L2-normalised vector per
/// kept token, row after row. Documents keep the tokens the skiplist and padding leave; queries keep every position
/// of the query length.
/// </summary>
/// <remarks>
/// Immutable and safe to share. Store a document's embeddings at indexing time with <see cref="ToBytes"/> and read
/// them back with <see cref="FromBytes"/> to rerank without the encoder
/// (<see cref="OnnxLateInteractionReranker.RerankAsync(string, IReadOnlyList{RerankDocument}, IReadOnlyList{LateInteractionEmbeddings}, RerankOptions?, CancellationToken)"/>).
/// </remarks>
public sealed class LateInteractionEmbeddings
{
    // "CLB1": the magic of the binary form, so that bytes of something else are rejected instead of misread.
    private const uint Magic = 0x31424C43;
    private const int HeaderSize = 16;
    private readonly float[] _values;

    /// <summary>Initializes a new instance of the <see cref="LateInteractionEmbeddings"/> class.</summary>
    /// <param name="values">The vectors, row-major: <paramref name="tokenCount"/> rows of <paramref name="dimension"/> values. The array is copied.</param>
    /// <param name="tokenCount">The number of token vectors.</param>
    /// <param name="dimension">The length of each vector.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, the dimension is not positive, or <paramref name="values"/> does not hold tokenCount × dimension values.</exception>
    public LateInteractionEmbeddings(ReadOnlySpan<float> values, int tokenCount, int dimension)
        : this(Validate(values, tokenCount, dimension), tokenCount, dimension)
    {
    }

    private LateInteractionEmbeddings(float[] values, int tokenCount, int dimension)
    {
        _values = values;
        TokenCount = tokenCount;
        Dimension = dimension;
    }

    /// <summary>Gets the number of token vectors.</summary>
    public int TokenCount { get; }

    /// <summary>Gets the length of each vector (the model's ColBERT dimension).</summary>
    public int Dimension { get; }

    /// <summary>Gets all vectors, row-major.</summary>
    public ReadOnlyMemory<float> Values => _values;

    /// <summary>Gets the bytes the vectors take in memory (4 per value).</summary>
    public long SizeInBytes => (long)_values.Length * sizeof(float);

    /// <summary>Gets the vector of one token.</summary>
    /// <param name="token">The token's row, from 0 to <see cref="TokenCount"/> − 1.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="token"/> is out of range.</exception>
    public ReadOnlySpan<float> GetToken(int token)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(token);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(token, TokenCount);
        return _values.AsSpan(token * Dimension, Dimension);
    }

    /// <summary>Serialises the vectors compactly: a 16-byte header (magic, format, counts) and the values, little-endian.</summary>
    /// <param name="format">The precision to store.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a <see cref="LateInteractionStorageFormat"/> value.</exception>
    public byte[] ToBytes(LateInteractionStorageFormat format = LateInteractionStorageFormat.Float16)
    {
        int width = format switch
        {
            LateInteractionStorageFormat.Float16 => 2,
            LateInteractionStorageFormat.Float32 => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a LateInteractionStorageFormat value."),
        };
        var bytes = new byte[HeaderSize + (_values.Length * width)];
        Span<byte> span = bytes;
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], (int)format);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], TokenCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], Dimension);
        Span<byte> payload = span[HeaderSize..];
        if (format == LateInteractionStorageFormat.Float32)
        {
            for (int i = 0; i < _values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(payload[(i * 4)..], _values[i]);
            }
        }
        else
        {
            var halves = new Half[_values.Length];
            TensorPrimitives.ConvertToHalf(_values, halves);
            for (int i = 0; i < halves.Length; i++)
            {
                BinaryPrimitives.WriteHalfLittleEndian(payload[(i * 2)..], halves[i]);
            }
        }

        return bytes;
    }

    /// <summary>Reads vectors written by <see cref="ToBytes"/>.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The embeddings.</returns>
    /// <exception cref="FormatException">The bytes are not embeddings written by <see cref="ToBytes"/>, or are cut short.</exception>
    public static LateInteractionEmbeddings FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw new FormatException($"The {bytes.Length} bytes are not late-interaction embeddings (no 'CLB1' header).");
        }

        int format = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        int tokens = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        int dimension = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        int width = format switch
        {
            (int)LateInteractionStorageFormat.Float16 => 2,
            (int)LateInteractionStorageFormat.Float32 => 4,
            _ => throw new FormatException($"The embeddings' storage format {format} is unknown."),
        };
        long count = (long)tokens * dimension;
        if (tokens < 0 || dimension < 1 || count > int.MaxValue / 4 || bytes.Length != HeaderSize + (count * width))
        {
            throw new FormatException($"The embeddings' header says {tokens} × {dimension} values of {width} bytes, but {bytes.Length - HeaderSize} bytes follow it.");
        }

        var values = new float[count];
        ReadOnlySpan<byte> payload = bytes[HeaderSize..];
        if (width == 4)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(payload[(i * 4)..]);
            }
        }
        else
        {
            var halves = new Half[values.Length];
            for (int i = 0; i < halves.Length; i++)
            {
                halves[i] = BinaryPrimitives.ReadHalfLittleEndian(payload[(i * 2)..]);
            }

            TensorPrimitives.ConvertToSingle(halves, values);
        }

        return new LateInteractionEmbeddings(values, tokens, dimension);
    }

    /// <summary>Wraps an array the caller gives up, without copying it.</summary>
    internal static LateInteractionEmbeddings Wrap(float[] values, int tokenCount, int dimension) => new(values, tokenCount, dimension);

    private static float[] Validate(ReadOnlySpan<float> values, int tokenCount, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if ((long)tokenCount * dimension != values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(values), values.Length, $"Expected {tokenCount} × {dimension} = {(long)tokenCount * dimension} values.");
        }

        return values.ToArray();
    }
}
