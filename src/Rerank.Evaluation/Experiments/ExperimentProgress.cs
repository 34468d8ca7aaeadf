namespace Rerank.Evaluation;

/// <summary>How far an experiment has got, reported after each query.</summary>
/// <param name="CompletedQueries">Queries that every system has reranked.</param>
/// <param name="TotalQueries">Queries the experiment will run.</param>
/// <param name="Elapsed">Time since the experiment started.</param>
public readonly record struct ExperimentProgress(int CompletedQueries, int TotalQueries, TimeSpan Elapsed);
