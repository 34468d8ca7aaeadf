using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// Canonical (NFD) decomposition that works under invariant globalization, where <see cref="string.Normalize()"/>
/// returns its input unchanged (the reason accented letters became [UNK] in dotnet/machinelearning#7728).
/// </summary>
/// <remarks>
/// The table is generated from Python's unicodedata by tools/make_unicode_tables.py; Hangul syllables decompose
/// algorithmically. Combining marks are not reordered by combining class: the only caller drops every nonspacing
/// mark right after decomposing, so their order cannot change a token.
/// </remarks>
internal static class CanonicalDecomposition
{
    private const int HangulBase = 0xAC00, HangulCount = 11172, JamoL = 0x1100, JamoV = 0x1161, JamoT = 0x11A7;
    private const int VowelCount = 21, TrailingCount = 28;

    private static readonly Lazy<FrozenDictionary<int, int[]>> Table = new(Load);

    /// <summary>The longest canonical decomposition, in scalars.</summary>
    public const int MaxLength = 4;

    /// <summary>Writes the canonical decomposition of <paramref name="rune"/> to <paramref name="output"/>.</summary>
    /// <param name="rune">The scalar to decompose.</param>
    /// <param name="output">Receives the scalars; at least <see cref="MaxLength"/> long.</param>
    /// <returns>How many scalars were written (1 when the rune has no decomposition).</returns>
    public static int Decompose(Rune rune, Span<int> output)
    {
        int cp = rune.Value;
        if (cp < 0xC0)
        {
            output[0] = cp;
            return 1;
        }

        int s = cp - HangulBase;
        if ((uint)s < HangulCount)
        {
            output[0] = JamoL + (s / (VowelCount * TrailingCount));
            output[1] = JamoV + (s % (VowelCount * TrailingCount) / TrailingCount);
            if (s % TrailingCount == 0)
            {
                return 2;
            }

            output[2] = JamoT + (s % TrailingCount);
            return 3;
        }

        if (Table.Value.TryGetValue(cp, out int[]? decomposition))
        {
            decomposition.CopyTo(output);
            return decomposition.Length;
        }

        output[0] = cp;
        return 1;
    }

    private static FrozenDictionary<int, int[]> Load()
    {
        using Stream stream = typeof(CanonicalDecomposition).Assembly.GetManifestResourceStream(
            "Rerank.Onnx.Tokenization.CanonicalDecompositions.txt")
            ?? throw new InvalidOperationException("The embedded Unicode decomposition table is missing from Rerank.Onnx.");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var table = new Dictionary<int, int[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] fields = line.Split(' ');
            var parts = new int[fields.Length - 1];
            for (int i = 1; i < fields.Length; i++)
            {
                parts[i - 1] = int.Parse(fields[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            table[int.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = parts;
        }

        return table.ToFrozenDictionary();
    }
}
