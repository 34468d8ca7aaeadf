using System.Globalization;

namespace Rerank;

/// <summary>
/// Pointwise LLM reranking: the candidates go to the model in batches of <see cref="LlmRerankerOptions.BatchSize"/>,
/// each batch one call asking for one score per document id; batches run with bounded concurrency.
/// </summary>
/// <remarks>
/// Scores are matched to documents only through the ids the model writes. Unknown and duplicate ids are ignored,
/// out-of-scale scores clamped, documents left without a score sent again in a call of their own (up to
/// <see cref="LlmRerankerOptions.MaxOutputRetries"/> times) and then given the lowest score of the scale. A batch whose
/// output never yields a single score fails with <see cref="LlmRerankerException"/> rather than ranking by default.
/// </remarks>
internal static class PointwiseLlmRanker
{
    /// <summary>Scores every candidate of <paramref name="call"/> on the options' scale.</summary>
    /// <returns>One raw score per candidate, on the scale.</returns>
    public static async Task<double[]> ScoreAsync(LlmRerankCall call, CancellationToken cancellationToken)
    {
        int count = call.Candidates.Count;
        int batchSize = call.Options.BatchSize;
        int batches = (count + batchSize - 1) / batchSize;
        var scores = new double[count];

        if (batches == 1)
        {
            await ScoreBatchAsync(call, 0, 0, count, scores, cancellationToken).ConfigureAwait(false);
            return scores;
        }

        // The first failure cancels the batches still in flight and is rethrown; so is the caller's cancellation.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, batches),
            new ParallelOptions { MaxDegreeOfParallelism = call.Options.MaxConcurrency, CancellationToken = cancellationToken },
            (batch, token) => new ValueTask(ScoreBatchAsync(call, batch, batch * batchSize, Math.Min(batchSize, count - (batch * batchSize)), scores, token)))
            .ConfigureAwait(false);
        return scores;
    }

    private static async Task ScoreBatchAsync(LlmRerankCall call, int batch, int first, int count, double[] scores, CancellationToken cancellationToken)
    {
        LlmRerankerOptions options = call.Options;
        string[] ids = [.. Enumerable.Range(1, count).Select(k => "d" + k.ToString(CultureInfo.InvariantCulture))];
        var raw = new double?[count];
        List<int> pending = [.. Enumerable.Range(0, count)];

        for (int attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string text = await call.SendAsync(
                batch,
                call.BuildMessages(options.PointwiseSystemPrompt, options.PointwisePromptTemplate, [.. pending.Select(k => ids[k])], pending.Select(k => first + k)),
                cancellationToken).ConfigureAwait(false);

            var asked = new bool[count];
            pending.ForEach(k => asked[k] = true);
            List<LlmOutputParser.ScoreEntry>? entries = LlmOutputParser.ParseScores(text, id => LlmOutputParser.ParseId(id) - 1 is int k && (uint)k < (uint)count && asked[k]);
            int accepted = Accept(call, batch, first, count, asked, entries, raw);
            List<int> missing = [.. pending.Where(k => raw[k] is null)];
            if (missing.Count == 0)
            {
                break;
            }

            IEnumerable<int> missingCandidates = missing.Select(k => first + k);
            string missingIds = string.Join(", ", missing.Select(k => ids[k]));
            if (attempt >= options.MaxOutputRetries || !call.TryReserveRetry())
            {
                if (Array.TrueForAll(raw, s => s is null))
                {
                    throw new LlmRerankerException(
                        $"The model gave no usable score for any of the {count} documents of a pointwise batch after {attempt + 1} attempt(s). " +
                        "Check that the model follows JSON instructions (an instruction-tuned model helps), that ChatOptions.MaxOutputTokens leaves room " +
                        $"for {count} scores, or lower BatchSize. Output began: {LlmOutputParser.Shorten(text, 200) ?? "(none)"}",
                        LlmRerankMode.Pointwise,
                        LlmOutputParser.Shorten(text),
                        attempt + 1);
                }

                foreach (int k in missing)
                {
                    raw[k] = options.MinScore;
                }

                call.Report(batch, LlmOutputRepairKind.MissingScoreDefaulted, missingCandidates, null,
                    string.Create(CultureInfo.InvariantCulture, $"No score for {missingIds} after {attempt + 1} attempt(s); scored {options.MinScore}, the bottom of the scale."));
                break;
            }

            call.Report(batch, accepted == 0 ? LlmOutputRepairKind.UnusableOutputRetried : LlmOutputRepairKind.MissingScoreRetried, missingCandidates, null,
                accepted == 0 ? $"The output held no usable score; asked again for {missingIds}." : $"No score for {missingIds}; asked again for them.");
            pending = missing;
        }

        for (int k = 0; k < count; k++)
        {
            scores[first + k] = raw[k]!.Value;
        }
    }

    /// <summary>Takes the entries that name a document asked for in this attempt; reports every entry it ignores or changes.</summary>
    /// <returns>How many scores were taken.</returns>
    private static int Accept(LlmRerankCall call, int batch, int first, int count, bool[] asked, List<LlmOutputParser.ScoreEntry>? entries, double?[] raw)
    {
        if (entries is null)
        {
            return 0;
        }

        LlmRerankerOptions options = call.Options;
        var seen = new bool[count];

        int accepted = 0;
        foreach (LlmOutputParser.ScoreEntry entry in entries)
        {
            int k = LlmOutputParser.ParseId(entry.Id) - 1;
            if ((uint)k >= (uint)count || !asked[k])
            {
                call.Report(batch, LlmOutputRepairKind.UnknownIdIgnored, [], entry.Id, $"The output scored id '{entry.Id ?? "(none)"}', which was not in the prompt; ignored.");
                continue;
            }

            if (seen[k])
            {
                call.Report(batch, LlmOutputRepairKind.DuplicateIdIgnored, [first + k], entry.Id, $"The output scored id '{entry.Id}' more than once; kept the first.");
                continue;
            }

            seen[k] = true;
            if (!double.IsFinite(entry.Score))
            {
                call.Report(batch, LlmOutputRepairKind.InvalidScoreIgnored, [first + k], entry.Id, $"The score of id '{entry.Id}' is not a number; ignored.");
                continue;
            }

            double score = Math.Clamp(entry.Score, options.MinScore, options.MaxScore);
            if (score != entry.Score)
            {
                call.Report(batch, LlmOutputRepairKind.ScoreClamped, [first + k], entry.Id,
                    string.Create(CultureInfo.InvariantCulture, $"The score {entry.Score} of id '{entry.Id}' is outside {options.MinScore}–{options.MaxScore}; clamped to {score}."));
            }

            raw[k] = score;
            accepted++;
        }

        return accepted;
    }
}
