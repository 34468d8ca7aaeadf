using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Rerank;

/// <summary>The JSON schemas the reranker asks for when the chat options name no response format.</summary>
internal static class LlmResponseFormats
{
    /// <summary>Pointwise: <c>{"scores":[{"id":"d1","score":7}]}</c>.</summary>
    public static readonly ChatResponseFormat Scores = ChatResponseFormat.ForJsonSchema(
        Schema("""
        {
          "type": "object",
          "properties": {
            "scores": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": { "id": { "type": "string" }, "score": { "type": "number" } },
                "required": ["id", "score"],
                "additionalProperties": false
              }
            }
          },
          "required": ["scores"],
          "additionalProperties": false
        }
        """),
        "rerank_scores",
        "One relevance score per document id.");

    /// <summary>Listwise: <c>{"ranking":[3,1,2]}</c>.</summary>
    public static readonly ChatResponseFormat Ranking = ChatResponseFormat.ForJsonSchema(
        Schema("""
        {
          "type": "object",
          "properties": { "ranking": { "type": "array", "items": { "type": "integer" } } },
          "required": ["ranking"],
          "additionalProperties": false
        }
        """),
        "rerank_ranking",
        "Every passage id exactly once, most relevant first.");

    private static JsonElement Schema(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
