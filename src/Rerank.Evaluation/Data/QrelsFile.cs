namespace Rerank.Evaluation;

/// <summary>Reads judgements in either format, telling them apart by the first line: four columns is TREC qrels, three tab-separated is BEIR TSV.</summary>
public static class QrelsFile
{
    /// <summary>Reads a TREC qrels file or a BEIR qrels TSV.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">A token that cancels reading.</param>
    /// <returns>The judgements.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="EvaluationDataException">The file is missing, empty or malformed; the message names the file and line.</exception>
    public static Qrels Read(string path, CancellationToken cancellationToken = default)
    {
        foreach ((int _, string line) in DataLines.Read(path, cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            return line.Split('\t').Length == 3 ? BeirDataset.ReadQrelsTsv(path, cancellationToken) : TrecFormat.ReadQrels(path, cancellationToken);
        }

        throw new EvaluationDataException(path, 0, "the judgements are empty.");
    }
}
