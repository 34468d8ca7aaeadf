using Rerank.Onnx.Hub;

namespace Rerank.Onnx.Tests.Hub;

/// <summary>Collects progress reports synchronously (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
internal sealed class ProgressLog : IProgress<HuggingFaceDownloadProgress>
{
    private readonly List<HuggingFaceDownloadProgress> _reports = [];

    public IReadOnlyList<HuggingFaceDownloadProgress> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(HuggingFaceDownloadProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }
    }
}
