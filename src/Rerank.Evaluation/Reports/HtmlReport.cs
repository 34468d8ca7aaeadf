using System.Globalization;
using System.Net;
using System.Text;

namespace Rerank.Evaluation;

/// <summary>
/// Writes an <see cref="ExperimentReport"/> as one self-contained HTML file: the report's tables and three inline SVG
/// charts (metrics per system with confidence intervals, per-query gain on the primary metric against the first
/// stage, latency distribution). No script, style sheet or font is fetched: it works offline and as an e-mail attachment.
/// </summary>
/// <remarks>
/// A short inline script measures each chart after layout and records on <c>&lt;body&gt;</c> how many charts there are
/// (<c>data-charts</c>) and how many have every mark drawn with a size (<c>data-charts-rendered</c>), so that a headless
/// browser can check that the charts render.
/// </remarks>
public static class HtmlReport
{
    private static readonly string[] Palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>Renders the report as HTML.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The HTML document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string Render(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        string title = $"Reranking evaluation: {report.Dataset}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n<style>\n")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1000px;color:#222;padding:0 1em}")
            .Append("table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}")
            .Append("th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}svg.chart{display:block;margin:1em 0;background:#fff}")
            .Append(".note{color:#555;font-size:13px}.warn{color:#a40}\n</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n<p>").Append(E(ReportTables.Summary(report))).Append("</p>\n");
        if (!report.Completed)
        {
            html.Append("<p class=\"warn\">Cancelled: the results cover the queries completed before cancellation.</p>\n");
        }

        html.Append("<h2>Results</h2>\n");
        Table(html, ReportTables.Results(report));
        html.Append("<p class=\"note\">† significantly different from the first stage: paired randomisation test, Holm–Bonferroni corrected p &lt; 0.05.</p>\n");
        html.Append("<h2>Metrics with ").Append(E(ReportTables.Percent(report.ConfidenceLevel))).Append(" bootstrap confidence intervals</h2>\n");
        MetricsChart(html, report);
        html.Append("<h2>Gain over the first stage</h2>\n");
        Table(html, ReportTables.Gains(report, primaryOnly: false));
        html.Append("<p class=\"note\">W / T / L: queries where the system scores higher / the same / lower than the first stage. * p &lt; 0.05 after correction.</p>\n");
        html.Append("<h2>Per-query Δ ").Append(E(report.Metrics[0])).Append(" against the first stage</h2>\n");
        DeltaChart(html, report);
        html.Append("<h2>Pairwise comparisons (").Append(E(report.Metrics[0])).Append(")</h2>\n");
        Table(html, ReportTables.Pairwise(report));
        (string[] header, List<string[]> rows) = ReportTables.Latency(report);
        if (rows.Count > 0)
        {
            html.Append("<h2>Latency per query</h2>\n");
            LatencyChart(html, report);
            Table(html, (header, rows));
        }

        if (report.Warnings.Count > 0)
        {
            html.Append("<h2>Warnings</h2>\n<ul>\n");
            foreach (string warning in report.Warnings)
            {
                html.Append("<li class=\"warn\">").Append(E(warning)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("<p class=\"note\">Generated ").Append(E(report.CreatedAt.ToString("u", CultureInfo.InvariantCulture))).Append(" by Rerank.Evaluation.</p>\n");
        html.Append("<script>\n(function(){var charts=document.querySelectorAll('svg.chart'),ok=0;")
            .Append("charts.forEach(function(svg){var marks=svg.querySelectorAll('.mark'),drawn=0,box=svg.getBoundingClientRect();")
            .Append("marks.forEach(function(m){var r=m.getBBox();if(r.width>0||r.height>0)drawn++;});")
            .Append("if(marks.length>0&&drawn===marks.length&&box.width>0&&box.height>0)ok++;});")
            .Append("document.body.setAttribute('data-charts',String(charts.length));document.body.setAttribute('data-charts-rendered',String(ok));})();\n</script>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes the report as HTML to a file, creating its folder.</summary>
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

    private static void MetricsChart(StringBuilder html, ExperimentReport report)
    {
        const int Width = 900, Left = 50, Right = 10, Top = 20, PlotHeight = 230;
        List<(double X, int Row)> legend = LegendLayout([.. report.Systems.Select(system => system.Name)], Left, Width - Right);
        int height = 320 + (18 * legend[^1].Row);
        int plotWidth = Width - Left - Right, plotHeight = PlotHeight;
        int groups = report.Metrics.Count, bars = report.Systems.Count;
        double groupWidth = (double)plotWidth / groups, barWidth = groupWidth * 0.8 / bars;
        double Y(double value) => Top + (plotHeight * (1 - Math.Clamp(value, 0, 1)));
        html.Append(Svg("metrics", Width, height, "Mean of each metric per system, with confidence intervals"));
        Axis(html, Left, Top, plotWidth, plotHeight, 0, 1);
        for (int g = 0; g < groups; g++)
        {
            string metric = report.Metrics[g];
            double x0 = Left + (g * groupWidth) + (groupWidth * 0.1);
            for (int s = 0; s < bars; s++)
            {
                ConfidenceInterval mean = report.Systems[s].Metrics[metric].Mean;
                double x = x0 + (s * barWidth);
                double y = Y(mean.Mean);
                html.Append(F($"<rect class=\"mark\" x=\"{x:F1}\" y=\"{y:F1}\" width=\"{barWidth * 0.9:F1}\" height=\"{Math.Max(Top + plotHeight - y, 0.5):F1}\" fill=\"{Palette[s % Palette.Length]}\">"))
                    .Append("<title>").Append(E(F($"{report.Systems[s].Name} {metric} = {mean.Mean:F4} [{mean.Lower:F4}, {mean.Upper:F4}]"))).Append("</title></rect>");
                double cx = x + (barWidth * 0.45);
                if (Y(mean.Lower) - Y(mean.Upper) >= 0.5)
                {
                    // A degenerate interval (every query scored the same) has no whisker to draw.
                    html.Append(F($"<line class=\"mark\" x1=\"{cx:F1}\" x2=\"{cx:F1}\" y1=\"{Y(mean.Lower):F1}\" y2=\"{Y(mean.Upper):F1}\" stroke=\"#222\" stroke-width=\"1.5\"/>"));
                }
            }

            html.Append(F($"<text x=\"{Left + ((g + 0.5) * groupWidth):F1}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\" font-size=\"13\">")).Append(E(metric)).Append("</text>");
        }

        for (int s = 0; s < legend.Count; s++)
        {
            int y = Top + plotHeight + 32 + (18 * legend[s].Row);
            html.Append(F($"<rect x=\"{legend[s].X:F1}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{Palette[s % Palette.Length]}\"/>"));
            html.Append(F($"<text x=\"{legend[s].X + 16:F1}\" y=\"{y + 11}\" font-size=\"12\">")).Append(E(report.Systems[s].Name)).Append("</text>");
        }

        html.Append("</svg>\n");
    }

    private static void DeltaChart(StringBuilder html, ExperimentReport report)
    {
        string metric = report.Metrics[0];
        SystemReport first = report.Systems[0];
        List<SystemReport> rerankers = [.. report.Systems.Where(system => !system.IsFirstStage)];
        if (rerankers.Count == 0 || report.QueryIds.Count == 0)
        {
            html.Append("<p class=\"note\">No reranker to compare with the first stage.</p>\n");
            return;
        }

        const int Width = 900, PanelHeight = 130, Left = 50, Right = 10, Top = 10, Gap = 30;
        int plotWidth = Width - Left - Right;
        int height = Top + (rerankers.Count * (PanelHeight + Gap));
        html.Append(Svg("delta", Width, height, $"Per-query difference in {metric} from the first stage, sorted, per reranker"));
        for (int r = 0; r < rerankers.Count; r++)
        {
            IReadOnlyList<double> own = rerankers[r].PerQuery[metric], baseline = first.PerQuery[metric];
            var deltas = new (double Delta, string Query)[own.Count];
            for (int q = 0; q < own.Count; q++)
            {
                deltas[q] = (own[q] - baseline[q], report.QueryIds[q]);
            }

            Array.Sort(deltas, static (a, b) => b.Delta.CompareTo(a.Delta));
            double extent = Math.Max(deltas.Max(d => Math.Abs(d.Delta)), 1e-9);
            int top = Top + (r * (PanelHeight + Gap)) + 16;
            int plotHeight = PanelHeight - 16;
            double zero = top + (plotHeight / 2.0);
            html.Append(F($"<text x=\"{Left}\" y=\"{top - 4}\" font-size=\"13\" fill=\"{Palette[(r + 1) % Palette.Length]}\">")).Append(E($"{rerankers[r].Name} − {first.Name}")).Append("</text>");
            Axis(html, Left, top, plotWidth, plotHeight, -extent, extent);
            double barWidth = (double)plotWidth / deltas.Length;
            for (int q = 0; q < deltas.Length; q++)
            {
                double h = Math.Abs(deltas[q].Delta) / extent * (plotHeight / 2.0);
                double y = deltas[q].Delta >= 0 ? zero - h : zero;
                string colour = deltas[q].Delta > 1e-12 ? "#59a14f" : deltas[q].Delta < -1e-12 ? "#e15759" : "#999";
                html.Append(F($"<rect class=\"mark\" x=\"{Left + (q * barWidth):F2}\" y=\"{y:F1}\" width=\"{Math.Max(barWidth * 0.9, 0.5):F2}\" height=\"{Math.Max(h, 0.5):F1}\" fill=\"{colour}\">"))
                    .Append("<title>").Append(E(F($"query {deltas[q].Query}: {deltas[q].Delta:+0.0000;-0.0000;0}"))).Append("</title></rect>");
            }
        }

        html.Append("</svg>\n");
    }

    private static void LatencyChart(StringBuilder html, ExperimentReport report)
    {
        List<SystemReport> timed = [.. report.Systems.Where(system => system.Latency is { PerQueryMs.Count: > 0 })];
        const int Width = 900, Row = 34, Left = 200, Right = 20, Top = 10, Bottom = 40;
        int plotWidth = Width - Left - Right;
        int height = Top + (timed.Count * Row) + Bottom;
        double max = Math.Max(timed.Max(system => system.Latency!.PerQueryMs.Max()), 1e-6);
        double X(double ms) => Left + (plotWidth * ms / max);
        html.Append(Svg("latency", Width, height, "Latency per query: box from the 25th to the 75th percentile, median line, whiskers to the minimum and maximum, tick at the 95th percentile"));
        for (int s = 0; s < timed.Count; s++)
        {
            double[] sorted = [.. timed[s].Latency!.PerQueryMs];
            Array.Sort(sorted);
            double p25 = SignificanceTests.Quantile(sorted, 0.25), p50 = SignificanceTests.Quantile(sorted, 0.5), p75 = SignificanceTests.Quantile(sorted, 0.75), p95 = SignificanceTests.Quantile(sorted, 0.95);
            double y = Top + (s * Row) + 6, h = Row - 12, mid = y + (h / 2);
            string colour = Palette[report.Systems.ToList().IndexOf(timed[s]) % Palette.Length];
            html.Append(F($"<text x=\"{Left - 8}\" y=\"{mid + 4:F1}\" text-anchor=\"end\" font-size=\"12\">")).Append(E(timed[s].Name)).Append("</text>");
            if (X(sorted[^1]) - X(sorted[0]) >= 0.5)
            {
                html.Append(F($"<line class=\"mark\" x1=\"{X(sorted[0]):F1}\" x2=\"{X(sorted[^1]):F1}\" y1=\"{mid:F1}\" y2=\"{mid:F1}\" stroke=\"#444\"/>"));
            }
            html.Append(F($"<rect class=\"mark\" x=\"{X(p25):F1}\" y=\"{y:F1}\" width=\"{Math.Max(X(p75) - X(p25), 1):F1}\" height=\"{h:F1}\" fill=\"{colour}\" fill-opacity=\"0.6\" stroke=\"#444\">"))
                .Append("<title>").Append(E(F($"{timed[s].Name}: min {sorted[0]:F2} ms, p25 {p25:F2}, median {p50:F2}, p75 {p75:F2}, p95 {p95:F2}, max {sorted[^1]:F2}"))).Append("</title></rect>");
            html.Append(F($"<line class=\"mark\" x1=\"{X(p50):F1}\" x2=\"{X(p50):F1}\" y1=\"{y:F1}\" y2=\"{y + h:F1}\" stroke=\"#000\" stroke-width=\"2\"/>"));
            html.Append(F($"<line class=\"mark\" x1=\"{X(p95):F1}\" x2=\"{X(p95):F1}\" y1=\"{y + 3:F1}\" y2=\"{y + h - 3:F1}\" stroke=\"#a40\" stroke-width=\"2\"/>"));
        }

        int axisY = Top + (timed.Count * Row) + 4;
        html.Append(F($"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{axisY}\" y2=\"{axisY}\" stroke=\"#888\"/>"));
        for (int t = 0; t <= 4; t++)
        {
            double ms = max * t / 4;
            html.Append(F($"<text x=\"{X(ms):F1}\" y=\"{axisY + 16}\" text-anchor=\"middle\" font-size=\"11\">{ms:G3} ms</text>"));
        }

        html.Append("</svg>\n");
    }

    private static string Svg(string id, int width, int height, string label) =>
        F($"<svg class=\"chart\" id=\"chart-{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(label)}\"><title>{E(label)}</title>");

    private static void Axis(StringBuilder html, int left, int top, int width, int height, double min, double max)
    {
        for (int t = 0; t <= 4; t++)
        {
            double value = min + ((max - min) * t / 4);
            double y = top + (height * (1 - (t / 4.0)));
            html.Append(F($"<line x1=\"{left}\" x2=\"{left + width}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#eee\"/>"));
            html.Append(F($"<text x=\"{left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\" font-size=\"11\">{value:0.###}</text>"));
        }

        html.Append(F($"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + height}\" stroke=\"#888\"/>"));
    }

    /// <summary>Places legend entries left to right, wrapping to a new row when one would pass <paramref name="right"/>.</summary>
    private static List<(double X, int Row)> LegendLayout(List<string> names, int left, int right)
    {
        var layout = new List<(double X, int Row)>(names.Count);
        double x = left;
        int row = 0;
        foreach (string name in names)
        {
            double width = 30 + (name.Length * 7);
            if (x > left && x + width > right)
            {
                (x, row) = (left, row + 1);
            }

            layout.Add((x, row));
            x += width;
        }

        return layout;
    }

    private static void Table(StringBuilder html, (string[] Header, List<string[]> Rows) table)
    {
        html.Append("<table>\n<tr>");
        foreach (string cell in table.Header)
        {
            html.Append("<th>").Append(E(cell)).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (string[] row in table.Rows)
        {
            html.Append("<tr>");
            foreach (string cell in row)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
