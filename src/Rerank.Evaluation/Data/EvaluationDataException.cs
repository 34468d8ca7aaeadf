namespace Rerank.Evaluation;

/// <summary>
/// A data file (qrels, run, BEIR corpus or queries) is malformed or inconsistent; the message names the file and, where
/// there is one, the line.
/// </summary>
public sealed class EvaluationDataException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationDataException"/> class.</summary>
    /// <param name="filePath">The file at fault, or <see langword="null"/> for data built in code.</param>
    /// <param name="lineNumber">The 1-based line at fault, or 0 when the problem is not on one line.</param>
    /// <param name="problem">What is wrong and, where it helps, how to fix it.</param>
    /// <param name="innerException">The error that revealed the problem, if any.</param>
    public EvaluationDataException(string? filePath, int lineNumber, string problem, Exception? innerException = null)
        : base(Format(filePath, lineNumber, problem), innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>Gets the file at fault, or <see langword="null"/> for data built in code.</summary>
    public string? FilePath { get; }

    /// <summary>Gets the 1-based line at fault, or 0 when the problem is not on one line.</summary>
    public int LineNumber { get; }

    /// <summary>Gets what is wrong, without the file and line.</summary>
    public string Problem { get; }

    private static string Format(string? filePath, int lineNumber, string problem) =>
        filePath is null ? problem
        : lineNumber > 0 ? $"{filePath}:{lineNumber}: {problem}"
        : $"{filePath}: {problem}";
}
