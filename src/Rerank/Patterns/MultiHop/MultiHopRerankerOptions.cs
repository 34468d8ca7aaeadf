namespace Rerank;

/// <summary>Bounds and settings of a <see cref="MultiHopReranker"/>; checked when it is created.</summary>
public sealed class MultiHopRerankerOptions
{
    /// <summary>Gets or sets the most hops, the first (the user's query) included: each hop after the first costs one chat call and one reranker call.</summary>
    /// <value>2 by default; 1 to 5.</value>
    public int MaxHops { get; set; } = 2;

    /// <summary>Gets or sets how much each later hop counts: hop h's scores are weighted <c>Decay^h</c> (1.0, 0.5, 0.25… by default).</summary>
    /// <value>0.5 by default; greater than 0 and at most 1.</value>
    public double Decay { get; set; } = 0.5;

    /// <summary>Gets or sets how many of the best passages so far the chat client reads to write the follow-up query.</summary>
    /// <value>3 by default; 1 to 20.</value>
    public int PassagesForFollowUp { get; set; } = 3;

    /// <summary>Gets or sets the most characters of each passage shown to the chat client.</summary>
    /// <value>1000 by default; at least 1.</value>
    public int MaxPassageCharacters { get; set; } = 1000;

    /// <summary>Gets or sets the longest follow-up query used; a longer reply is cut to it.</summary>
    /// <value>256 by default; at least 1.</value>
    public int MaxFollowUpLength { get; set; } = 256;

    internal MultiHopRerankerOptions Validated()
    {
        if (MaxHops is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException("options", MaxHops, "MultiHopRerankerOptions.MaxHops must be between 1 and 5.");
        }

        if (!(Decay > 0 && Decay <= 1))
        {
            throw new ArgumentOutOfRangeException("options", Decay, "MultiHopRerankerOptions.Decay must be greater than 0 and at most 1.");
        }

        if (PassagesForFollowUp is < 1 or > 20)
        {
            throw new ArgumentOutOfRangeException("options", PassagesForFollowUp, "MultiHopRerankerOptions.PassagesForFollowUp must be between 1 and 20.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPassageCharacters, 1, "options");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFollowUpLength, 1, "options");
        return new MultiHopRerankerOptions
        {
            MaxHops = MaxHops,
            Decay = Decay,
            PassagesForFollowUp = PassagesForFollowUp,
            MaxPassageCharacters = MaxPassageCharacters,
            MaxFollowUpLength = MaxFollowUpLength,
        };
    }
}
