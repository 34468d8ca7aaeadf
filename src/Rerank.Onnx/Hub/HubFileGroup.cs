namespace Rerank.Onnx.Hub;

/// <summary>
/// A set of files a model needs, and how many of them: one required file, one optional file, every existing file of a
/// list (at least one), or the first existing file of a list in order of preference. A chosen file may bring an
/// optional companion (ONNX external weights: <c>model.onnx</c> → <c>model.onnx_data</c>).
/// </summary>
internal sealed record HubFileGroup(HubFileRule Rule, IReadOnlyList<string> Candidates, string? CompanionSuffix = null, string? Hint = null)
{
    public static HubFileGroup Required(string filePath) => new(HubFileRule.Required, [filePath]);

    public static HubFileGroup Optional(string filePath) => new(HubFileRule.Optional, [filePath]);

    public string Describe() => Rule switch
    {
        HubFileRule.AnyOf => "at least one of " + string.Join(", ", Candidates),
        HubFileRule.FirstOf => "one of " + string.Join(", ", Candidates),
        _ => Candidates[0],
    };
}
