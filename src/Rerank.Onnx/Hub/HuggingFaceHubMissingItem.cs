namespace Rerank.Onnx.Hub;

/// <summary>What a 404 from the Hub was about.</summary>
public enum HuggingFaceHubMissingItem
{
    /// <summary>The file does not exist at that revision.</summary>
    File,

    /// <summary>The repository does not exist.</summary>
    Repository,

    /// <summary>The branch, tag or commit does not exist in the repository.</summary>
    Revision,
}
