using System.Collections.Concurrent;
using Rerank.Tests.Middleware;

namespace Rerank.Tests.DependencyInjection;

/// <summary>
/// A test provider, <c>"Provider": "probe"</c>: builds a <see cref="ProbeReranker"/> and records it. <c>Fail</c> makes the build
/// throw; <c>Gate</c> holds the build until <see cref="ReleaseBuilds"/>, so that loading can be observed without sleeping.
/// </summary>
internal sealed class ProbeProviderFactory() : RerankerProviderFactory("probe", ["Fail", "Gate", "Scale"])
{
    private readonly TaskCompletionSource _buildGate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(string Name, ProbeReranker Reranker)> Built { get; } = new();

    public ProbeReranker Single(string name) => Built.Single(b => b.Name == name).Reranker;

    public void ReleaseBuilds() => _buildGate.TrySetResult();

    public override Func<IServiceProvider, IReranker> Configure(RerankerConfigurationContext context)
    {
        bool fail = context.GetValue<bool>("Fail") ?? false;
        bool gate = context.GetValue<bool>("Gate") ?? false;
        double scale = context.GetValue<double>("Scale") ?? 1;
        string name = context.Name;
        string? model = context.Model;
        return _ =>
        {
            if (gate)
            {
                _buildGate.Task.Wait(TimeSpan.FromSeconds(30));
            }

            if (fail)
            {
                throw new InvalidOperationException($"the probe model of '{name}' is missing");
            }

            var probe = new ProbeReranker("probe", model ?? "probe-model") { Scorer = (q, d) => scale * Rerank.Testing.TestReranker.Score(q, d) };
            Built.Enqueue((name, probe));
            return new Pointwise(probe);
        };
    }

    /// <summary>Declares the probe's scores pointwise (they are), so that caching layers accept it.</summary>
    internal sealed class Pointwise(IReranker inner) : DelegatingReranker(inner)
    {
        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(RerankerMetadata) && serviceKey is null && base.GetService(serviceType) is RerankerMetadata metadata
                ? new RerankerMetadata(metadata.ProviderName, metadata.ProviderUri, metadata.DefaultModelId)
                {
                    ScoreSemantics = RerankScoreSemantics.Pointwise,
                    ScoringFingerprint = "probe",
                }
                : base.GetService(serviceType, serviceKey);
    }
}
