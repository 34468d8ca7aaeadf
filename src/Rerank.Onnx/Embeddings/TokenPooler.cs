namespace Rerank.Onnx.Embeddings;

/// <summary>sentence-transformers' <c>Pooling</c> and <c>Normalize</c> modules over one text's token embeddings.</summary>
internal static class TokenPooler
{
    /// <summary>Pools one row of the model's output into <paramref name="destination"/>, one block of hidden size per mode.</summary>
    /// <param name="tokens">The row's token embeddings, [padded length × hidden].</param>
    /// <param name="hidden">The hidden size.</param>
    /// <param name="length">The number of real tokens (the rest is padding).</param>
    /// <param name="skip">Leading tokens left out of the averages and the maximum (the prompt, when <c>include_prompt</c> is false).</param>
    /// <param name="modes">The pooling modes, concatenated in this order.</param>
    /// <param name="destination">Receives modes × hidden values.</param>
    public static void Pool(ReadOnlySpan<float> tokens, int hidden, int length, int skip, IReadOnlyList<EmbeddingPooling> modes, Span<float> destination)
    {
        // sentence-transformers masks the prompt out of the attention mask it pools with; a text made only of the prompt
        // then pools nothing, and its clamp (1e-9) makes the mean 0. Keep the same outcome.
        int from = Math.Min(skip, length);
        for (int m = 0; m < modes.Count; m++)
        {
            Span<float> target = destination.Slice(m * hidden, hidden);
            switch (modes[m])
            {
                case EmbeddingPooling.Cls:
                    tokens[..hidden].CopyTo(target);
                    break;
                case EmbeddingPooling.LastToken:
                    tokens.Slice((length - 1) * hidden, hidden).CopyTo(target);
                    break;
                case EmbeddingPooling.Max:
                    Max(tokens, hidden, from, length, target);
                    break;
                default:
                    Sum(tokens, hidden, from, length, target, modes[m] == EmbeddingPooling.MeanSqrtLength);
                    break;
            }
        }
    }

    /// <summary>Scales <paramref name="vector"/> to unit length, as <c>torch.nn.functional.normalize</c> does (the norm clamped at 1e-12).</summary>
    /// <param name="vector">The vector, changed in place.</param>
    public static void Normalize(Span<float> vector)
    {
        double squares = 0;
        foreach (float value in vector)
        {
            squares += (double)value * value;
        }

        double norm = Math.Max(Math.Sqrt(squares), 1e-12);
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(vector[i] / norm);
        }
    }

    private static void Sum(ReadOnlySpan<float> tokens, int hidden, int from, int length, Span<float> target, bool sqrtLength)
    {
        int count = length - from;
        double divisor = count == 0 ? 1e-9 : sqrtLength ? Math.Sqrt(count) : count;
        Span<double> sums = hidden <= 4096 ? stackalloc double[hidden] : new double[hidden];
        sums.Clear();
        for (int t = from; t < length; t++)
        {
            ReadOnlySpan<float> token = tokens.Slice(t * hidden, hidden);
            for (int i = 0; i < hidden; i++)
            {
                sums[i] += token[i];
            }
        }

        for (int i = 0; i < hidden; i++)
        {
            target[i] = (float)(sums[i] / divisor);
        }
    }

    private static void Max(ReadOnlySpan<float> tokens, int hidden, int from, int length, Span<float> target)
    {
        // sentence-transformers sets masked positions to -1e9 before the maximum, so a text with nothing to pool gets -1e9.
        target.Fill(-1e9f);
        for (int t = from; t < length; t++)
        {
            ReadOnlySpan<float> token = tokens.Slice(t * hidden, hidden);
            for (int i = 0; i < hidden; i++)
            {
                target[i] = Math.Max(target[i], token[i]);
            }
        }
    }
}
