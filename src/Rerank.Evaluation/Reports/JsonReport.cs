using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rerank.Evaluation;

/// <summary>Writes an <see cref="ExperimentReport"/> as JSON (snake_case names; NaN and infinities as the strings <c>"NaN"</c>, <c>"Infinity"</c>), for scripts and dashboards.</summary>
public static class JsonReport
{
    /// <summary>The serializer settings of the report JSON.</summary>
    internal static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Renders the report as JSON.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string Render(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Options);
    }

    /// <summary>Writes the report as JSON to a file, creating its folder.</summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static void Write(ExperimentReport report, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        TrecFormat.CreateFolder(path);
        File.WriteAllText(path, Render(report));
    }
}
