using System.Buffers;

namespace Rerank.Onnx.Inference;

/// <summary>
/// Splits length-sorted pairs into batches of at most <c>maxBatchSize</c> so that the padded work is smallest.
/// </summary>
/// <remarks>
/// <para>
/// Cutting the sorted pairs into fixed runs of <c>maxBatchSize</c> pads every pair of a run to the longest one: one
/// 512-token passage among 31 of 100 tokens makes the model process 32 × 512 positions. Instead the cut points are
/// chosen by dynamic programming over the sorted lengths (O(n × maxBatchSize)) to minimise the estimated cost of all
/// runs: a batch of r rows padded to L tokens costs r·L·(1 + L / (6·hidden)) token-equivalents (the dense layers
/// cost 24·hidden² FLOPs per token, attention 4·L·hidden more) plus a fixed <see cref="RunOverheadTokens"/> per
/// session run. Equal lengths still give full batches; outliers get batches of their own.
/// </para>
/// <para>Scores never depend on the plan: padding is masked, and each pair's result is independent of its batch.</para>
/// </remarks>
internal static class BatchPlanner
{
    /// <summary>The cost of one session run (graph dispatch, tensor setup), in token-equivalents.</summary>
    public const double RunOverheadTokens = 32;

    /// <summary>Plans the batches.</summary>
    /// <param name="sortedLengths">The pairs' lengths in the order they will run, longest first.</param>
    /// <param name="maxBatchSize">The most pairs in one batch.</param>
    /// <param name="hiddenSize">The model's hidden size, which weighs attention's quadratic cost against the dense layers.</param>
    /// <param name="batchStarts">Receives the index of each batch's first pair, then the count of pairs: at least <c>sortedLengths.Length + 1</c> long.</param>
    /// <returns>The number of batches; batch b covers <c>[batchStarts[b], batchStarts[b + 1])</c>.</returns>
    public static int Plan(ReadOnlySpan<int> sortedLengths, int maxBatchSize, int hiddenSize, Span<int> batchStarts)
    {
        int n = sortedLengths.Length;
        if (n == 0)
        {
            batchStarts[0] = 0;
            return 0;
        }

        double[] best = ArrayPool<double>.Shared.Rent(n + 1);
        int[] cut = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            // best[i]: the least cost of running pairs [0, i); cut[i]: where the last batch of that plan starts.
            double quadratic = 1.0 / (6.0 * Math.Max(1, hiddenSize));
            best[0] = 0;
            for (int i = 1; i <= n; i++)
            {
                best[i] = double.PositiveInfinity;
                for (int start = Math.Max(0, i - maxBatchSize); start < i; start++)
                {
                    // Sorted longest first, so the batch [start, i) is padded to sortedLengths[start].
                    double length = sortedLengths[start];
                    double cost = best[start] + ((i - start) * length * (1 + (length * quadratic))) + RunOverheadTokens;
                    if (cost < best[i])
                    {
                        best[i] = cost;
                        cut[i] = start;
                    }
                }
            }

            int batches = 0;
            for (int i = n; i > 0; i = cut[i])
            {
                batches++;
            }

            batchStarts[batches] = n;
            int b = batches;
            for (int i = n; i > 0; i = cut[i])
            {
                batchStarts[--b] = cut[i];
            }

            return batches;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(best);
            ArrayPool<int>.Shared.Return(cut);
        }
    }
}
