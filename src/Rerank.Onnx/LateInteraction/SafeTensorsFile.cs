using System.Buffers.Binary;
using System.Text.Json;

namespace Rerank.Onnx.LateInteraction;

/// <summary>
/// Reads float tensors from a safetensors file without torch: an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, then the raw little-endian data.
/// </summary>
internal static class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Reads one tensor as float32, converting F16 and BF16.</summary>
    /// <param name="path">The file.</param>
    /// <param name="name">The tensor's name, such as <c>linear.weight</c>.</param>
    /// <param name="shape">Receives the tensor's shape.</param>
    /// <returns>The values, row-major, or <see langword="null"/> when the file has no tensor of that name.</returns>
    /// <exception cref="OnnxModelLoadException">The file is not a safetensors file, or the tensor is not a float tensor.</exception>
    public static float[]? TryRead(string path, string name, out long[] shape)
    {
        shape = [];
        try
        {
            using FileStream stream = File.OpenRead(path);
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength == 0 || headerLength > (ulong)Math.Min(MaxHeaderBytes, stream.Length - 8))
            {
                throw new OnnxModelLoadException($"'{path}' is not a safetensors file: its header length {headerLength} does not fit its {stream.Length} bytes.", path);
            }

            var header = new byte[headerLength];
            stream.ReadExactly(header);
            using JsonDocument document = JsonDocument.Parse(header);
            if (!document.RootElement.TryGetProperty(name, out JsonElement entry))
            {
                return null;
            }

            string dtype = entry.GetProperty("dtype").GetString() ?? "";
            shape = [.. entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64())];
            JsonElement offsets = entry.GetProperty("data_offsets");
            long start = offsets[0].GetInt64();
            long end = offsets[1].GetInt64();
            int width = dtype switch
            {
                "F32" => 4,
                "F16" or "BF16" => 2,
                _ => throw new OnnxModelLoadException($"'{path}' stores '{name}' as {dtype}; a projection must be F32, F16 or BF16.", path),
            };
            long count = shape.Aggregate(1L, (a, b) => a * b);
            long dataStart = 8 + (long)headerLength;
            if (start < 0 || end - start != count * width || dataStart + end > stream.Length || count > int.MaxValue / 4)
            {
                throw new OnnxModelLoadException($"'{path}' declares '{name}' as {dtype}[{string.Join(", ", shape)}] at bytes {start}..{end}, which the file does not hold.", path);
            }

            var raw = new byte[end - start];
            stream.Position = dataStart + start;
            stream.ReadExactly(raw);
            var values = new float[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = dtype switch
                {
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4)),
                    "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(raw.AsSpan(i * 2)),
                    _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)) << 16),
                };
            }

            return values;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or EndOfStreamException)
        {
            throw new OnnxModelLoadException($"'{path}' is not a valid safetensors file: {ex.Message}", path, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not FileNotFoundException)
        {
            throw new OnnxModelLoadException($"'{path}' could not be read: {ex.Message}", path, ex);
        }
    }
}
