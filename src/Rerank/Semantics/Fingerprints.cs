using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rerank;

/// <summary>Builds the parts of <see cref="RerankerMetadata.ScoringFingerprint"/> that rerankers and layers of this package share.</summary>
internal static class Fingerprints
{
    /// <summary>A short, stable digest of a text that may be long or private (a prompt, a term list), so that the fingerprint stays small and never holds it.</summary>
    public static string Digest(string? text) =>
        text is null ? "null" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 16);

    /// <summary>Formats a number the same way in every culture and process.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Names a delegate by the method it calls, stable across processes for the same build of the caller's code.</summary>
    /// <remarks>Two lambdas in one class have different compiler-given names; the same lambda is the same method in every run.</remarks>
    public static string Delegate(Delegate? function) =>
        function is null ? "none" : $"{function.Method.DeclaringType?.FullName}.{function.Method.Name}";

    /// <summary>Gets the fingerprint of a reranker, or the identity the caching layer falls back to when it declares none.</summary>
    /// <param name="reranker">The reranker.</param>
    /// <param name="declared"><see langword="false"/> when the reranker's metadata has no fingerprint and the provider, URI and model stand in for it.</param>
    public static string Of(IReranker reranker, out bool declared)
    {
        RerankerMetadata? metadata = reranker.GetService<RerankerMetadata>();
        declared = metadata?.ScoringFingerprint is not null;
        return metadata?.ScoringFingerprint
            ?? (metadata is null ? reranker.GetType().FullName ?? reranker.GetType().Name : $"{metadata.ProviderName}|{metadata.ProviderUri}|{metadata.DefaultModelId}");
    }

    /// <summary>Gets a reranker's declared semantics; <see cref="RerankScoreSemantics.Unspecified"/> when it has no metadata.</summary>
    public static RerankScoreSemantics SemanticsOf(IReranker reranker) =>
        reranker.GetService<RerankerMetadata>()?.ScoreSemantics ?? RerankScoreSemantics.Unspecified;

    /// <summary>Combines the semantics of rerankers whose scores all reach the caller: set-dependent if any is, else unspecified if any is, else pointwise.</summary>
    public static RerankScoreSemantics Combine(IEnumerable<RerankScoreSemantics> semantics)
    {
        RerankScoreSemantics combined = RerankScoreSemantics.Pointwise;
        foreach (RerankScoreSemantics s in semantics)
        {
            if (s == RerankScoreSemantics.CandidateSetDependent)
            {
                return s;
            }

            if (s != RerankScoreSemantics.Pointwise)
            {
                combined = RerankScoreSemantics.Unspecified;
            }
        }

        return combined;
    }
}
