using Rerank.Onnx.Tests.Runtime;

namespace Rerank.Onnx.Tests.LateInteraction;

/// <summary>
/// The late-interaction fingerprint (which keys cached document embeddings) names the files by digest, as the
/// cross-encoder's does: a copy of the model shares it, a projection replaced in place does not.
/// </summary>
public sealed class LateInteractionFingerprintTests
{
    [Test]
    public void A_copy_of_the_model_shares_the_fingerprint_and_a_changed_projection_does_not()
    {
        using var copy = new TempModelFolder(ColBertGolden.Directory);
        using var changed = new TempModelFolder(ColBertGolden.Directory);
        byte[] weights = File.ReadAllBytes(changed[Path.Combine("1_Dense", "model.safetensors")]);
        weights[^1] ^= 0x01; // the last byte of the last weight: same size, different model
        File.WriteAllBytes(changed[Path.Combine("1_Dense", "model.safetensors")], weights);

        string original = Fingerprint(ColBertGolden.Directory);

        Assert.That(original, Does.Contain("onnx=").And.Contain("projection_digest=").And.Not.Contain(ColBertGolden.Directory), "digests, not paths");
        Assert.That(Fingerprint(copy.Path), Is.EqualTo(original), "the same files elsewhere: cached documents are shared");
        Assert.That(Fingerprint(changed.Path), Is.Not.EqualTo(original), "a projection replaced in place: cached documents are not reused");
    }

    private static string Fingerprint(string folder)
    {
        using var reranker = new OnnxLateInteractionReranker(new OnnxLateInteractionOptions(folder) { ModelId = "pinned", IntraOpNumThreads = 1 });
        return reranker.GetService<RerankerMetadata>()!.ScoringFingerprint!;
    }
}
