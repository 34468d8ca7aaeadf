using System.Numerics.Tensors;

namespace Rerank.Onnx.LateInteraction;

/// <summary>
/// ColBERT's late-interaction score: for every query token the best dot product with a document token, summed over
/// the query tokens (colbert-ai's <c>colbert_score</c>, PyLate's <c>colbert_scores_pairwise</c>).
/// </summary>
internal static class MaxSim
{
    /// <summary>Scores one document; a document without tokens scores 0.</summary>
    /// <param name="query">The query's vectors, row-major.</param>
    /// <param name="document">The document's vectors, row-major.</param>
    /// <param name="dimension">The width of each vector.</param>
    /// <returns>The score.</returns>
    public static double Score(ReadOnlySpan<float> query, ReadOnlySpan<float> document, int dimension)
    {
        int queryTokens = query.Length / dimension;
        int documentTokens = document.Length / dimension;
        if (documentTokens == 0)
        {
            return 0;
        }

        double sum = 0;
        for (int q = 0; q < queryTokens; q++)
        {
            ReadOnlySpan<float> vector = query.Slice(q * dimension, dimension);
            float best = float.NegativeInfinity;
            for (int d = 0; d < documentTokens; d++)
            {
                best = MathF.Max(best, TensorPrimitives.Dot(vector, document.Slice(d * dimension, dimension)));
            }

            sum += best;
        }

        return sum;
    }
}
