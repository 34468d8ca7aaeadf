namespace Rerank.Onnx.Tests.Hub;

/// <summary>One request the test Hub received.</summary>
internal sealed record HubTestRequest(string Method, string Host, string Path, string? Authorization, string? Range);
