using System.Globalization;
using System.Security.Cryptography;
using Rerank.Onnx.Tokenization;

namespace Rerank.Onnx.Model;

/// <summary>
/// The <see cref="RerankerMetadata.ScoringFingerprint"/> of a loaded cross-encoder: SHA-256 digests of the files that
/// decide its scores (the ONNX graph and weights, config.json, the tokenizer and its config) and the settings applied on
/// top of them (activation, label, maximum length, variant, tokenizer kind).
/// </summary>
/// <remarks>
/// Digests, not paths: the same model copied to another folder or machine shares cached scores, and a file replaced in
/// place (a new fine-tune) does not. The files are read once, at load; measured in docs/performance.md.
/// </remarks>
internal static class ModelFingerprint
{
    public static string Create(ModelFiles files, OnnxModelVariant variant, CrossEncoderActivation activation, int labelIndex, int maxLength, string tokenizerKind)
    {
        string tokenizer = TokenizerFile(files);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"onnx(model={Digest(files.ModelPath)},config={Digest(files.ConfigPath)},tokenizer={tokenizerKind}:{Digest(tokenizer)},tokenizer-config={Digest(files.TokenizerConfigPath)},variant={variant},activation={activation},label={labelIndex},max-length={maxLength})");
    }

    /// <summary>The tokenizer file the loader uses: the one named, else the first of its files in the folder, else <c>none</c>.</summary>
    public static string TokenizerFile(ModelFiles files) =>
        files.TokenizerPath
            ?? TokenizerLoader.TokenizerFiles.Select(f => Path.Combine(files.ConfigDirectory, f)).FirstOrDefault(File.Exists)
            ?? "none";

    /// <summary>A short SHA-256 of a text (a prompt), so that the fingerprint names it without holding it.</summary>
    public static string DigestText(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)), 0, 16);

    /// <summary>The SHA-256 of a file, streamed (a model may be gigabytes), or <c>none</c>.</summary>
    public static string Digest(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return "none";
        }

        using FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
