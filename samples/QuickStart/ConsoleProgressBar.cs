using System.Diagnostics;
using Rerank.Onnx.Hub;

namespace QuickStart;

/// <summary>
/// Draws download progress on one console line (<c>[#######.....]  58%  52.1 / 90.4 MB  onnx/model.onnx</c>). When the
/// output is not a terminal (a log, CI) it prints one line per finished file instead of redrawing.
/// </summary>
internal sealed class ConsoleProgressBar : IProgress<HuggingFaceDownloadProgress>
{
    private const int Width = 30;
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private bool _drawn;

    public ConsoleProgressBar(TextWriter output, bool interactive)
    {
        _output = output;
        _interactive = interactive;
    }

    public void Report(HuggingFaceDownloadProgress value)
    {
        lock (_lock)
        {
            if (!_interactive)
            {
                if (value.IsFileComplete)
                {
                    _output.WriteLine($"  downloaded {value.FilePath} ({Megabytes(value.FileBytesReceived)} MB, file {value.FileNumber} of {value.FileCount})");
                }

                return;
            }

            // Redraw at most ten times a second, and always when a file completes.
            if (!value.IsFileComplete && _drawn && _sinceDraw.ElapsedMilliseconds < 100)
            {
                return;
            }

            double fraction = value.TotalBytes is long total && total > 0 ? Math.Clamp((double)value.BytesReceived / total, 0, 1) : 0;
            int filled = (int)Math.Round(fraction * Width);
            string size = value.TotalBytes is long all ? $"{Megabytes(value.BytesReceived)} / {Megabytes(all)} MB" : $"{Megabytes(value.BytesReceived)} MB";
            _output.Write($"\r  [{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0}  {size}  {value.FilePath,-28}");
            _drawn = true;
            _sinceDraw.Restart();
            if (value.IsFileComplete && value.FileNumber == value.FileCount)
            {
                _output.WriteLine();
            }
        }
    }

    private static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
