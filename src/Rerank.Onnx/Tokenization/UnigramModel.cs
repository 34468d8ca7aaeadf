using System.Buffers;

namespace Rerank.Onnx.Tokenization;

/// <summary>
/// A sentencepiece unigram model: the Viterbi segmentation of sentencepiece's <c>unigram_model.cc</c> (Encode) and
/// Hugging Face's <c>Unigram::encode_optimized</c>, which agree: the best-scoring path over the vocabulary pieces, a
/// character that no single-character piece covers becomes unknown at <c>min_score - 10</c>, ties keep the path found
/// first (shorter pieces, earlier starts), and consecutive unknown characters fuse into one unknown token.
/// </summary>
internal sealed class UnigramModel
{
    private const double UnknownPenalty = 10.0;

    // A character trie in one dictionary: (node << 16 | char) -> child node; a node's piece id, or -1.
    private readonly Dictionary<long, int> _children;
    private readonly int[] _pieceAtNode;
    private readonly double[] _scores;

    /// <summary>Initializes a new instance of the <see cref="UnigramModel"/> class.</summary>
    /// <param name="pieces">The pieces the text can be split into, with their ids and log-probability scores.</param>
    /// <param name="scoreCount">The size of the id space (the largest id plus one).</param>
    /// <param name="unknownId">The id of the unknown token.</param>
    /// <param name="minScore">The lowest piece score, from which the unknown score is derived.</param>
    public UnigramModel(IEnumerable<(string Piece, int Id, double Score)> pieces, int scoreCount, int unknownId, double minScore)
    {
        UnknownId = unknownId;
        UnknownScore = minScore - UnknownPenalty;
        _scores = new double[scoreCount];
        _children = [];
        var pieceAtNode = new List<int> { -1 };
        foreach ((string piece, int id, double score) in pieces)
        {
            if (piece.Length == 0)
            {
                continue;
            }

            _scores[id] = score;
            HasPieceSpanningSpace |= piece.AsSpan(1).IndexOfAny('\u2581', ' ') >= 0;
            int node = 0;
            foreach (char c in piece)
            {
                long key = ((long)node << 16) | c;
                if (!_children.TryGetValue(key, out int child))
                {
                    child = pieceAtNode.Count;
                    pieceAtNode.Add(-1);
                    _children.Add(key, child);
                }

                node = child;
            }

            // The first of duplicate pieces wins, as in both implementations' vocab maps.
            if (pieceAtNode[node] < 0)
            {
                pieceAtNode[node] = id;
            }
        }

        _pieceAtNode = [.. pieceAtNode];
    }

    /// <summary>Gets the id of the unknown token.</summary>
    public int UnknownId { get; }

    /// <summary>Gets a value indicating whether some piece holds ▁ or a space after its first character, so that a piece may span a word boundary.</summary>
    public bool HasPieceSpanningSpace { get; }

    /// <summary>Gets the score of an unknown character.</summary>
    public double UnknownScore { get; }

    /// <summary>Appends the ids of the best segmentation of <paramref name="text"/> to <paramref name="ids"/>.</summary>
    /// <param name="text">Normalised text.</param>
    /// <param name="ids">Receives the ids.</param>
    public void Encode(ReadOnlySpan<char> text, List<int> ids)
    {
        if (text.IsEmpty)
        {
            return;
        }

        int n = text.Length;
        double[]? rentedScores = null;
        int[]? rentedInts = null;
        Span<double> bestScore = n < 128 ? stackalloc double[n + 1] : (rentedScores = ArrayPool<double>.Shared.Rent(n + 1)).AsSpan(0, n + 1);
        Span<int> ints = n < 128 ? stackalloc int[2 * (n + 1)] : (rentedInts = ArrayPool<int>.Shared.Rent(2 * (n + 1))).AsSpan(0, 2 * (n + 1));
        Span<int> bestStart = ints[..(n + 1)];
        Span<int> bestId = ints[(n + 1)..];
        bestScore.Clear();
        bestStart.Fill(-1);
        bestStart[0] = 0;

        int start = 0;
        while (start < n)
        {
            int charLength = start + 1 < n && char.IsSurrogatePair(text[start], text[start + 1]) ? 2 : 1;
            if (bestStart[start] < 0)
            {
                // Unreachable only inside a surrogate pair, which is never a start.
                start += charLength;
                continue;
            }

            double scoreHere = bestScore[start];
            bool hasSingleCharacterPiece = false;
            int node = 0;
            for (int end = start; end < n; end++)
            {
                if (!_children.TryGetValue(((long)node << 16) | text[end], out node))
                {
                    break;
                }

                int id = _pieceAtNode[node];
                if (id < 0)
                {
                    continue;
                }

                int target = end + 1;
                double candidate = scoreHere + _scores[id];
                if (bestStart[target] < 0 || candidate > bestScore[target])
                {
                    bestScore[target] = candidate;
                    bestStart[target] = start;
                    bestId[target] = id;
                }

                if (target - start == charLength)
                {
                    hasSingleCharacterPiece = true;
                }
            }

            if (!hasSingleCharacterPiece)
            {
                int target = start + charLength;
                double candidate = scoreHere + UnknownScore;
                if (bestStart[target] < 0 || candidate > bestScore[target])
                {
                    bestScore[target] = candidate;
                    bestStart[target] = start;
                    bestId[target] = UnknownId;
                }
            }

            start += charLength;
        }

        int first = ids.Count;
        for (int end = n; end > 0; end = bestStart[end])
        {
            int id = bestId[end];
            if (id == UnknownId && ids.Count > first && ids[^1] == UnknownId)
            {
                continue;
            }

            ids.Add(id);
        }

        ids.Reverse(first, ids.Count - first);
        if (rentedScores is not null)
        {
            ArrayPool<double>.Shared.Return(rentedScores);
        }

        if (rentedInts is not null)
        {
            ArrayPool<int>.Shared.Return(rentedInts);
        }
    }
}
