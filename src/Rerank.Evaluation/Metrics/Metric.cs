using System.Globalization;

namespace Rerank.Evaluation;

/// <summary>A measure and its optional cut-off, such as <c>ndcg@10</c> or <c>map</c>.</summary>
/// <remarks>
/// Parsed from the names of this library (<c>ndcg@10</c>, <c>mrr</c>, <c>mrr@10</c>, <c>map</c>, <c>map@100</c>,
/// <c>recall@100</c>, <c>p@5</c>, <c>hit@1</c>) and from trec_eval's (<c>ndcg_cut_10</c>, <c>ndcg_cut.10</c>,
/// <c>recip_rank</c>, <c>map_cut_100</c>, <c>recall_100</c>, <c>P_5</c>, <c>success_1</c>); case-insensitive.
/// <see cref="Name"/> is always this library's form.
/// </remarks>
public sealed record Metric
{
    /// <summary>The metrics reported when none are asked for: nDCG@10, MRR@10, MAP, recall@100, P@5 and hit@1.</summary>
    public static readonly IReadOnlyList<Metric> Defaults = ParseList("ndcg@10,mrr@10,map,recall@100,p@5,hit@1");

    /// <summary>Initializes a new instance of the <see cref="Metric"/> class.</summary>
    /// <param name="kind">The measure.</param>
    /// <param name="cutoff">The cut-off k, or <see langword="null"/> for the whole ranking. Required for <see cref="MetricKind.Precision"/> and <see cref="MetricKind.Hit"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined, <paramref name="cutoff"/> is less than 1, or a cut-off is missing where one is required.</exception>
    public Metric(MetricKind kind, int? cutoff = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a defined metric.");
        }

        if (cutoff is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "A metric's cut-off must be at least 1.");
        }

        if (cutoff is null && kind is MetricKind.Precision or MetricKind.Hit)
        {
            throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, $"{kind} needs a cut-off, such as p@5 or hit@1.");
        }

        Kind = kind;
        Cutoff = cutoff;
    }

    /// <summary>Gets the measure.</summary>
    public MetricKind Kind { get; }

    /// <summary>Gets the cut-off k, or <see langword="null"/> for the whole ranking.</summary>
    public int? Cutoff { get; }

    /// <summary>Gets the canonical name, such as <c>ndcg@10</c>.</summary>
    public string Name
    {
        get
        {
            string stem = Kind switch
            {
                MetricKind.Ndcg => "ndcg",
                MetricKind.ReciprocalRank => "mrr",
                MetricKind.AveragePrecision => "map",
                MetricKind.Recall => "recall",
                MetricKind.Precision => "p",
                _ => "hit",
            };
            return Cutoff is int k ? string.Create(CultureInfo.InvariantCulture, $"{stem}@{k}") : stem;
        }
    }

    /// <summary>Parses a metric name.</summary>
    /// <param name="text">The name, such as <c>ndcg@10</c> or <c>ndcg_cut_10</c>.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The name is not a known metric; the message lists the known ones.</exception>
    public static Metric Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string name = text.Trim();
        string stem = name;
        int? cutoff = null;
        int separator = name.IndexOfAny(['@', '.']);
        if (separator < 0 && name.LastIndexOf('_') is int underscore and > 0 && underscore < name.Length - 1 && char.IsAsciiDigit(name[underscore + 1]))
        {
            separator = underscore;
        }

        if (separator >= 0)
        {
            stem = name[..separator];
            if (!int.TryParse(name.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k < 1)
            {
                throw new FormatException($"Metric '{text}': the cut-off must be a whole number of at least 1, as in ndcg@10.");
            }

            cutoff = k;
        }

        MetricKind? kind = stem.ToLowerInvariant() switch
        {
            "ndcg" or "ndcg_cut" => MetricKind.Ndcg,
            "mrr" or "recip_rank" or "rr" => MetricKind.ReciprocalRank,
            "map" or "map_cut" or "ap" => MetricKind.AveragePrecision,
            "recall" or "r" => MetricKind.Recall,
            "p" or "precision" => MetricKind.Precision,
            "hit" or "success" => MetricKind.Hit,
            _ => null,
        };
        if (kind is null)
        {
            throw new FormatException($"Unknown metric '{text}'. Known: ndcg[@k], mrr[@k], map[@k], recall[@k], p@k, hit@k (or trec_eval's ndcg_cut_k, recip_rank, map_cut_k, recall_k, P_k, success_k).");
        }

        if (cutoff is null && kind is MetricKind.Precision or MetricKind.Hit)
        {
            throw new FormatException($"Metric '{text}' needs a cut-off, such as p@5 or hit@1.");
        }

        return new Metric(kind.Value, cutoff);
    }

    /// <summary>Parses a comma-separated list of metric names; duplicates are kept once.</summary>
    /// <param name="text">The names, such as <c>ndcg@10,mrr@10,map</c>.</param>
    /// <returns>The metrics, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">A name is not a known metric, or the list is empty.</exception>
    public static IReadOnlyList<Metric> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<Metric> metrics = [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).Distinct()];
        return metrics.Count > 0 ? metrics : throw new FormatException("The metric list is empty; give names such as ndcg@10,mrr@10,map.");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
