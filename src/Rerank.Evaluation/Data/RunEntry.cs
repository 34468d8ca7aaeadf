namespace Rerank.Evaluation;

/// <summary>One retrieved document of a run: its id and the score the system gave it.</summary>
/// <param name="DocumentId">The document id.</param>
/// <param name="Score">The score; higher ranks first.</param>
public readonly record struct RunEntry(string DocumentId, double Score);
