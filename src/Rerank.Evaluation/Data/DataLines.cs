using System.Globalization;
using System.Text;

namespace Rerank.Evaluation;

/// <summary>Reads a text file line by line for the parsers: clear errors for missing files, BOM and CRLF accepted, line numbers kept.</summary>
internal static class DataLines
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Yields (line number, line) for every line, blank ones included; a UTF-8 or UTF-16 byte order mark is skipped, CR LF and LF both end a line.</summary>
    public static IEnumerable<(int Number, string Text)> Read(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        StreamReader reader = Open(path);
        using (reader)
        {
            int number = 0;
            while (true)
            {
                string? line;
                try
                {
                    line = reader.ReadLine();
                }
                catch (DecoderFallbackException ex)
                {
                    throw new EvaluationDataException(path, number + 1, "the file is not valid UTF-8.", ex);
                }
                catch (IOException ex)
                {
                    throw new EvaluationDataException(path, number + 1, $"the file could not be read: {ex.Message}", ex);
                }

                if (line is null)
                {
                    yield break;
                }

                number++;
                if ((number & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                yield return (number, line);
            }
        }
    }

    /// <summary>Opens a file for reading, turning the usual failures into one exception type that names the file.</summary>
    public static StreamReader Open(string path)
    {
        try
        {
            return new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EvaluationDataException(path, 0, "the file does not exist.", ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new EvaluationDataException(path, 0, $"the file could not be opened: {ex.Message}", ex);
        }
    }

    /// <summary>Splits a line on runs of spaces and tabs, as trec_eval does.</summary>
    public static string[] SplitWhitespace(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Parses a relevance grade: an integer, as trec_eval reads it.</summary>
    public static int ParseGrade(string text, string path, int line)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int grade))
        {
            throw new EvaluationDataException(path, line, $"the relevance grade '{text}' is not an integer.");
        }

        return grade;
    }

    /// <summary>Parses a retrieval score: a finite number in invariant notation.</summary>
    public static double ParseScore(string text, string path, int line)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
        {
            throw new EvaluationDataException(path, line, $"the score '{text}' is not a number.");
        }

        if (!double.IsFinite(score))
        {
            throw new EvaluationDataException(path, line, $"the score '{text}' is not finite; ranking by it would be undefined.");
        }

        return score;
    }
}
