using System.Buffers.Binary;
using System.Text;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// The parts of a sentencepiece <c>ModelProto</c> (sentencepiece_model.proto) a unigram tokenizer needs, read with a
/// minimal protobuf wire-format reader so that no protobuf dependency is required.
/// </summary>
internal sealed class SentencePieceModelFile
{
    /// <summary>sentencepiece's piece types.</summary>
    public enum PieceType
    {
        /// <summary>An ordinary piece.</summary>
        Normal = 1,

        /// <summary>The unknown piece.</summary>
        Unknown = 2,

        /// <summary>A control symbol such as &lt;s&gt;, never produced from text.</summary>
        Control = 3,

        /// <summary>A user-defined symbol, always kept whole.</summary>
        UserDefined = 4,

        /// <summary>A piece that is never produced.</summary>
        Unused = 5,

        /// <summary>A byte-fallback piece.</summary>
        Byte = 6,
    }

    /// <summary>Gets the pieces in id order: text, score and type.</summary>
    public List<(string Piece, float Score, PieceType Type)> Pieces { get; } = [];

    /// <summary>Gets the model type: 1 unigram, 2 BPE, 3 word, 4 char.</summary>
    public int ModelType { get; private set; } = 1;

    /// <summary>Gets the id of the unknown piece.</summary>
    public int UnknownId { get; private set; }

    /// <summary>Gets a value indicating whether unknown characters fall back to byte pieces.</summary>
    public bool ByteFallback { get; private set; }

    /// <summary>Gets a value indicating whether whitespace is a suffix instead of a prefix.</summary>
    public bool TreatWhitespaceAsSuffix { get; private set; }

    /// <summary>Gets the normalisation rules (a Darts double-array blob); empty for the identity rule.</summary>
    public byte[] PrecompiledCharsMap { get; private set; } = [];

    /// <summary>Gets a value indicating whether ▁ is prepended to the text.</summary>
    public bool AddDummyPrefix { get; private set; } = true;

    /// <summary>Gets a value indicating whether leading, trailing and repeated whitespace is removed.</summary>
    public bool RemoveExtraWhitespaces { get; private set; } = true;

    /// <summary>Gets a value indicating whether spaces become ▁.</summary>
    public bool EscapeWhitespaces { get; private set; } = true;

    /// <summary>Parses a serialized <c>ModelProto</c>.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="source">The file, for error messages.</param>
    /// <returns>The parsed model.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a sentencepiece model.</exception>
    public static SentencePieceModelFile Parse(ReadOnlySpan<byte> data, string source)
    {
        var model = new SentencePieceModelFile();
        try
        {
            var reader = new Reader(data);
            while (reader.Next(out int field, out int wire))
            {
                switch (field, wire)
                {
                    case (1, 2):
                        model.Pieces.Add(ParsePiece(reader.Bytes()));
                        break;
                    case (2, 2):
                        model.ParseTrainerSpec(reader.Bytes());
                        break;
                    case (3, 2):
                        model.ParseNormalizerSpec(reader.Bytes());
                        break;
                    default:
                        reader.Skip(wire);
                        break;
                }
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or DecoderFallbackException or FormatException)
        {
            throw new InvalidDataException($"'{source}' is not a valid sentencepiece model: {e.Message}", e);
        }

        if (model.Pieces.Count == 0)
        {
            throw new InvalidDataException($"'{source}' is not a valid sentencepiece model: it has no pieces.");
        }

        return model;
    }

    private static (string, float, PieceType) ParsePiece(ReadOnlySpan<byte> data)
    {
        string piece = "";
        float score = 0;
        var type = PieceType.Normal;
        var reader = new Reader(data);
        while (reader.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (1, 2):
                    piece = StrictUtf8.GetString(reader.Bytes());
                    break;
                case (2, 5):
                    score = reader.Float();
                    break;
                case (3, 0):
                    type = (PieceType)reader.Varint();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return (piece, score, type);
    }

    private void ParseTrainerSpec(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        while (reader.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (3, 0):
                    ModelType = (int)reader.Varint();
                    break;
                case (24, 0):
                    TreatWhitespaceAsSuffix = reader.Varint() != 0;
                    break;
                case (35, 0):
                    ByteFallback = reader.Varint() != 0;
                    break;
                case (40, 0):
                    UnknownId = (int)reader.Varint();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private void ParseNormalizerSpec(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        while (reader.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (2, 2):
                    PrecompiledCharsMap = reader.Bytes().ToArray();
                    break;
                case (3, 0):
                    AddDummyPrefix = reader.Varint() != 0;
                    break;
                case (4, 0):
                    RemoveExtraWhitespaces = reader.Varint() != 0;
                    break;
                case (5, 0):
                    EscapeWhitespaces = reader.Varint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wire)
        {
            if (_position >= _data.Length)
            {
                field = wire = 0;
                return false;
            }

            ulong key = Varint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("a varint is longer than 10 bytes");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            ulong length = Varint();
            if (length > (ulong)(_data.Length - _position))
            {
                throw new FormatException("a length-delimited field runs past the end of its message");
            }

            ReadOnlySpan<byte> bytes = _data.Slice(_position, (int)length);
            _position += (int)length;
            return bytes;
        }

        public float Float()
        {
            float value = BinaryPrimitives.ReadSingleLittleEndian(_data.Slice(_position, 4));
            _position += 4;
            return value;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _position = checked(_position + 8);
                    break;
                case 2:
                    Bytes();
                    break;
                case 5:
                    _position = checked(_position + 4);
                    break;
                default:
                    throw new FormatException($"unsupported protobuf wire type {wire}");
            }

            if (_position > _data.Length)
            {
                throw new FormatException("a field runs past the end of its message");
            }
        }
    }
}
