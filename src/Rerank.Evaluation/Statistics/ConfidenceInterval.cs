namespace Rerank.Evaluation;

/// <summary>A mean with a confidence interval around it.</summary>
/// <param name="Mean">The sample mean.</param>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
/// <param name="Level">The confidence level, such as 0.95.</param>
public readonly record struct ConfidenceInterval(double Mean, double Lower, double Upper, double Level);
