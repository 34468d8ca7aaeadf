namespace Rerank.Onnx.Hub;

/// <summary>How many files of a <see cref="HubFileGroup"/> are needed.</summary>
internal enum HubFileRule
{
    /// <summary>The single file must exist.</summary>
    Required,

    /// <summary>The single file is taken if it exists.</summary>
    Optional,

    /// <summary>Every candidate that exists is taken; at least one must exist.</summary>
    AnyOf,

    /// <summary>The first candidate that exists is taken; one must exist.</summary>
    FirstOf,
}
