namespace Rerank.AspNetCore;

/// <summary>A request the server refuses: the HTTP status and a message for the client, written in the format's error shape.</summary>
internal sealed class RerankRequestException : Exception
{
    public RerankRequestException(int statusCode, string message, string errorType)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
    }

    public RerankRequestException()
    {
    }

    public RerankRequestException(string message)
        : base(message)
    {
    }

    public RerankRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the HTTP status: 400, 404, 413, 422, 500 or 503.</summary>
    public int StatusCode { get; } = 400;

    /// <summary>Gets the kind of error, in TEI's and vLLM's vocabulary: <c>Validation</c>, <c>NotFound</c>, <c>Backend</c>.</summary>
    public string ErrorType { get; } = "Validation";

    public static RerankRequestException Malformed(string message) => new(400, message, "Validation");

    public static RerankRequestException Invalid(string message) => new(422, message, "Validation");

    public static RerankRequestException TooLarge(string message) => new(413, message, "Validation");
}
