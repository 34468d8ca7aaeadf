namespace Rerank;

/// <summary>Receives the tokens of a text one at a time, without a string per token.</summary>
internal interface ITokenSink
{
    /// <summary>Takes one analysed token. The span is only valid during the call.</summary>
    void Accept(ReadOnlySpan<char> token);
}
