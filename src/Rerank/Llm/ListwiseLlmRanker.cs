using System.Globalization;

namespace Rerank;

/// <summary>
/// Listwise LLM reranking (RankGPT): the model returns a permutation of the ids of one window of candidates. A list longer
/// than <see cref="LlmRerankerOptions.WindowSize"/> is ranked with a window that starts at the end of the list and moves
/// <see cref="LlmRerankerOptions.StepSize"/> towards the front after each call; because windows overlap, the best
/// candidates of each window are carried into the next, so the top <c>WindowSize − StepSize</c> of the whole list rise to
/// the front in order (provided the model ranks each window well).
/// </summary>
/// <remarks>
/// Repairs: unknown and duplicate ids are ignored (the first mention counts), and ids the model left out are appended
/// after the ranked ones in the order they were given. An output with no known id at all is sent again (up to
/// <see cref="LlmRerankerOptions.MaxOutputRetries"/> times) and then fails with <see cref="LlmRerankerException"/>.
/// </remarks>
internal static class ListwiseLlmRanker
{
    /// <summary>Ranks the candidates of <paramref name="call"/>.</summary>
    /// <returns>One score per candidate, derived from its final rank r (0 for the best) among n candidates: (n − r) / n.</returns>
    public static async Task<double[]> RankAsync(LlmRerankCall call, CancellationToken cancellationToken)
    {
        int count = call.Candidates.Count;
        int[] order = [.. Enumerable.Range(0, count)];

        // A single candidate needs no model to be ranked first.
        if (count > 1)
        {
            int window = call.Options.WindowSize, step = call.Options.StepSize;
            int end = count, start = count - window;
            for (int unit = 0; ; unit++)
            {
                int from = Math.Max(start, 0);
                await RankWindowAsync(call, unit, order, from, end, cancellationToken).ConfigureAwait(false);
                if (from == 0)
                {
                    break;
                }

                end -= step;
                start -= step;
            }
        }

        var scores = new double[count];
        for (int rank = 0; rank < count; rank++)
        {
            scores[order[rank]] = (double)(count - rank) / count;
        }

        return scores;
    }

    private static async Task RankWindowAsync(LlmRerankCall call, int unit, int[] order, int from, int end, CancellationToken cancellationToken)
    {
        LlmRerankerOptions options = call.Options;
        int count = end - from;
        int[] window = order[from..end];
        string[] ids = [.. Enumerable.Range(1, count).Select(k => k.ToString(CultureInfo.InvariantCulture))];

        for (int attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string text = await call.SendAsync(
                unit,
                call.BuildMessages(options.ListwiseSystemPrompt, options.ListwisePromptTemplate, ids, window),
                cancellationToken).ConfigureAwait(false);

            var ranked = new List<int>(count);
            var seen = new bool[count];
            var repairs = new List<(LlmOutputRepairKind Kind, int[] Candidates, string? Id, string Detail)>();
            foreach (string id in LlmOutputParser.ParseRanking(text, id => (uint)(LlmOutputParser.ParseId(id) - 1) < (uint)count) ?? [])
            {
                int k = LlmOutputParser.ParseId(id) - 1;
                if ((uint)k >= (uint)count)
                {
                    repairs.Add((LlmOutputRepairKind.UnknownIdIgnored, [], id, $"The ranking named id '{id}', which was not in the window of {count}; ignored."));
                }
                else if (seen[k])
                {
                    repairs.Add((LlmOutputRepairKind.DuplicateIdIgnored, [window[k]], id, $"The ranking named id '{id}' more than once; kept the first."));
                }
                else
                {
                    seen[k] = true;
                    ranked.Add(k);
                }
            }

            if (ranked.Count == 0)
            {
                if (attempt >= options.MaxOutputRetries || !call.TryReserveRetry())
                {
                    throw new LlmRerankerException(
                        $"The model gave no usable ranking of a window of {count} passages after {attempt + 1} attempt(s). " +
                        "Check that the model follows JSON instructions (an instruction-tuned model helps) and that ChatOptions.MaxOutputTokens " +
                        $"leaves room for {count} ids, or lower WindowSize. Output began: {LlmOutputParser.Shorten(text, 200) ?? "(none)"}",
                        LlmRerankMode.Listwise,
                        LlmOutputParser.Shorten(text),
                        attempt + 1);
                }

                call.Report(unit, LlmOutputRepairKind.UnusableOutputRetried, window, null, "The output held no known id; asked again.");
                continue;
            }

            foreach ((LlmOutputRepairKind kind, int[] candidates, string? id, string detail) in repairs)
            {
                call.Report(unit, kind, candidates, id, detail);
            }

            if (ranked.Count < count)
            {
                List<int> missing = [.. Enumerable.Range(0, count).Where(k => !seen[k])];
                call.Report(unit, LlmOutputRepairKind.MissingIdAppended, missing.Select(k => window[k]), null,
                    $"The ranking left out {string.Join(", ", missing.Select(k => ids[k]))}; appended in their given order.");
                ranked.AddRange(missing);
            }

            for (int i = 0; i < count; i++)
            {
                order[from + i] = window[ranked[i]];
            }

            return;
        }
    }
}
