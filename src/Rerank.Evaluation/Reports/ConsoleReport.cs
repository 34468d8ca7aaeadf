using System.Text;

namespace Rerank.Evaluation;

/// <summary>Writes an <see cref="ExperimentReport"/> as aligned plain-text tables for a terminal.</summary>
public static class ConsoleReport
{
    /// <summary>Renders the report as plain text: results, the gain of each reranker on the primary metric, pairwise significance and latency.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string Render(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(ReportTables.Summary(report)).Append("\n\n");
        Table(text, ReportTables.Results(report));
        text.Append("† significantly different from the first stage (randomisation test, Holm-corrected p < 0.05)\n\n");
        Table(text, ReportTables.Gains(report, primaryOnly: true));
        text.Append('\n');
        Table(text, ReportTables.Pairwise(report));
        (string[] header, List<string[]> rows) = ReportTables.Latency(report);
        if (rows.Count > 0)
        {
            text.Append('\n');
            Table(text, (header, rows));
        }

        foreach (string warning in report.Warnings)
        {
            text.Append("\nwarning: ").Append(warning);
        }

        return text.Append('\n').ToString();
    }

    /// <summary>Writes the report to a text writer, such as <see cref="Console.Out"/>.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Where to write.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(ExperimentReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render(report));
    }

    private static void Table(StringBuilder text, (string[] Header, List<string[]> Rows) table)
    {
        var widths = new int[table.Header.Length];
        foreach (string[] row in table.Rows.Prepend(table.Header))
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        void Line(string[] row)
        {
            for (int i = 0; i < row.Length; i++)
            {
                text.Append(i == 0 ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]));
                text.Append(i == row.Length - 1 ? "\n" : "  ");
            }
        }

        Line(table.Header);
        text.Append(new string('-', widths.Sum() + (2 * (widths.Length - 1)))).Append('\n');
        foreach (string[] row in table.Rows)
        {
            Line(row);
        }
    }
}
