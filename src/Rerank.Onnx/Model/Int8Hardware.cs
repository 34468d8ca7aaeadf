using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Rerank.Onnx.Model;

/// <summary>
/// Which int8 exports suit the CPU this process runs on. ONNX Runtime multiplies signed-by-signed (s8s8, the
/// <c>*_qint8_avx512*</c> exports) and unsigned-by-signed int8 with <c>VPMADDUBSW</c> on x86 CPUs without VNNI, whose
/// 16-bit intermediate sums saturate: scores can move by tenths (measured on the toy XLM-R export: 0.82 → 0.65). The
/// optimum exports are named for that reason: <c>avx512_vnni</c>/<c>avx512</c> for VNNI CPUs, <c>quint8_avx2</c>
/// (unsigned weights, no saturation) for the others, <c>arm64</c> for ARM.
/// </summary>
internal static class Int8Hardware
{
    private static readonly Lazy<bool> VnniAvailable = new(DetectVnni);

    /// <summary>Gets a value indicating whether this CPU multiplies int8 with VNNI (no intermediate saturation).</summary>
    public static bool HasVnni => VnniAvailable.Value;

    /// <summary>Gets a value indicating whether this is an x86 CPU whose int8 kernels saturate on signed exports.</summary>
    public static bool SaturatesSignedInt8 =>
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 && !HasVnni;

    /// <summary>Whether <paramref name="fileName"/> is an export made for VNNI CPUs (<c>*_avx512*</c>).</summary>
    /// <param name="fileName">The ONNX file name.</param>
    /// <returns><see langword="true"/> for an AVX-512 export.</returns>
    public static bool IsVnniExport(string fileName) => Path.GetFileName(fileName).Contains("avx512", StringComparison.OrdinalIgnoreCase);

    /// <summary>Orders optimum's hardware-specific int8 names so the export made for this CPU is tried first.</summary>
    /// <param name="portable">The names that suit every CPU, tried first.</param>
    /// <returns>The names in the order to try.</returns>
    public static string[] QuantizedNamesForThisCpu(string[] portable)
    {
        string[] vnni = ["model_qint8_avx512_vnni.onnx", "model_qint8_avx512.onnx"];
        string[] avx2 = ["model_quint8_avx2.onnx"];
        string[] arm = ["model_qint8_arm64.onnx"];
        string[] tail = ["model_uint8.onnx"];
        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 or Architecture.Arm => [.. portable, .. arm, .. avx2, .. vnni, .. tail],
            _ when HasVnni => [.. portable, .. vnni, .. avx2, .. arm, .. tail],
            _ => [.. portable, .. avx2, .. tail, .. vnni, .. arm],
        };
    }

    private static bool DetectVnni()
    {
        if (AvxVnni.IsSupported)
        {
            return true;
        }

        // .NET exposes no AVX512-VNNI flag of its own; Linux lists it in /proc/cpuinfo. Elsewhere, assume none: the
        // cost of a wrong "none" is only the order in which exports are tried and a warning.
        try
        {
            return OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo")
                && File.ReadLines("/proc/cpuinfo").Any(line => line.StartsWith("flags", StringComparison.Ordinal) && line.Contains(" avx512_vnni", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
