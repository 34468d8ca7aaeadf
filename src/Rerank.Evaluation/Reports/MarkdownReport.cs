using System.Text;

namespace Rerank.Evaluation;

/// <summary>Writes an <see cref="ExperimentReport"/> as Markdown: results, gains over the first stage with confidence intervals and significance, pairwise comparisons, latency and usage.</summary>
public static class MarkdownReport
{
    /// <summary>Renders the report as Markdown.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The Markdown text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string Render(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append("## Results\n\n").Append(ReportTables.Summary(report)).Append("\n\n");
        Table(text, ReportTables.Results(report));
        text.Append("\n† the difference from the first stage is significant: paired randomisation test, Holm–Bonferroni corrected p < 0.05.\n\n");
        text.Append("## Gain over the first stage\n\n");
        Table(text, ReportTables.Gains(report, primaryOnly: false));
        text.Append("\nW / T / L: queries where the system scores higher / the same / lower than the first stage. * p < 0.05 after correction.\n\n");
        text.Append("## Pairwise comparisons (").Append(report.Metrics[0]).Append(")\n\n");
        Table(text, ReportTables.Pairwise(report));
        (string[] header, List<string[]> rows) = ReportTables.Latency(report);
        if (rows.Count > 0)
        {
            text.Append("\n## Latency per query and usage\n\n");
            Table(text, (header, rows));
        }

        if (report.Warnings.Count > 0)
        {
            text.Append("\n## Warnings\n\n");
            foreach (string warning in report.Warnings)
            {
                text.Append("- ").Append(warning).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Writes the report as Markdown to a file, creating its folder.</summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static void Write(ExperimentReport report, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        TrecFormat.CreateFolder(path);
        File.WriteAllText(path, Render(report), new UTF8Encoding(false));
    }

    internal static void Table(StringBuilder text, (string[] Header, List<string[]> Rows) table)
    {
        text.Append("| ").AppendJoin(" | ", table.Header.Select(Escape)).Append(" |\n");
        text.Append('|').AppendJoin('|', table.Header.Select((_, i) => i == 0 ? " --- " : " ---: ")).Append("|\n");
        foreach (string[] row in table.Rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(Escape)).Append(" |\n");
        }
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
