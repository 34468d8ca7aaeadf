namespace Rerank;

/// <summary>
/// The paths and JSON field names of the rerank wire formats, shared as source by the client (Rerank.Cohere's dialects) and the
/// server (Rerank.AspNetCore) so that both speak exactly the same format. Compiled into each assembly as an internal type: the
/// names are the formats', not an API of ours.
/// </summary>
internal static class RerankWire
{
    /// <summary>Cohere Rerank v2 (also vLLM's Cohere-compatible endpoint).</summary>
    public static class Cohere
    {
        public const string Path = "v2/rerank";
        public const string Model = "model";
        public const string Query = "query";
        public const string Documents = "documents";
        public const string TopN = "top_n";
        public const string MaxTokensPerDocument = "max_tokens_per_doc";
        public const string Id = "id";
        public const string Results = "results";
        public const string Index = "index";
        public const string RelevanceScore = "relevance_score";
        public const string Meta = "meta";
        public const string ApiVersion = "api_version";
        public const string Version = "version";
        public const string BilledUnits = "billed_units";
        public const string SearchUnits = "search_units";
        public const string Tokens = "tokens";
        public const string InputTokens = "input_tokens";
        public const string OutputTokens = "output_tokens";
        public const string Warnings = "warnings";
        public const string Message = "message";
    }

    /// <summary>Jina AI's and vLLM's <c>/v1/rerank</c>: Cohere's request fields plus these.</summary>
    public static class Jina
    {
        public const string Path = "v1/rerank";
        public const string ReturnDocuments = "return_documents";
        public const string Document = "document";
        public const string Text = "text";
        public const string Usage = "usage";
        public const string PromptTokens = "prompt_tokens";
        public const string TotalTokens = "total_tokens";
        public const string Detail = "detail";
    }

    /// <summary>Hugging Face text-embeddings-inference's <c>/rerank</c>.</summary>
    public static class Tei
    {
        public const string Path = "rerank";
        public const string Query = "query";
        public const string Texts = "texts";
        public const string Truncate = "truncate";
        public const string RawScores = "raw_scores";
        public const string ReturnText = "return_text";
        public const string Index = "index";
        public const string Score = "score";
        public const string Text = "text";
        public const string Error = "error";
        public const string ErrorType = "error_type";
        public const string ComputeTokensHeader = "x-compute-tokens";
    }
}
