using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rerank;

/// <summary>
/// The application's named rerankers: builds each pipeline once per container from the root services (so caches, coalescers
/// and model sessions are shared by every scope), hands out one non-owning handle per name, and disposes every pipeline it
/// built when the container disposes it.
/// </summary>
internal sealed partial class RerankerRegistry : IRerankerProvider, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IReranker> _built = [];
    private readonly ILogger _logger;
    private int _disposed;

    public RerankerRegistry(IServiceProvider services, RerankingPlan plan, ILoggerFactory? loggerFactory = null)
    {
        if (plan.Errors.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(string.Empty, typeof(RerankingOptions), plan.Errors);
        }

        _services = services;
        _logger = loggerFactory?.CreateLogger<RerankerRegistry>() ?? NullLogger<RerankerRegistry>.Instance;
        foreach (PlannedReranker planned in plan.Rerankers)
        {
            _entries.Add(planned.Name, new Entry(planned));
        }

        Names = [.. plan.Rerankers.Select(r => r.Name)];
        DefaultName = plan.DefaultName is null ? null : _entries[plan.DefaultName].Planned.Name;
        Loading = plan.Loading;
    }

    public IReadOnlyList<string> Names { get; }

    public string? DefaultName { get; }

    public RerankerLoading Loading { get; }

    public IReranker GetReranker(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGetReranker(name, out IReranker? reranker)
            ? reranker
            : throw new KeyNotFoundException($"No reranker is named '{name}'; {RerankingPlan.Registered(Names)}.");
    }

    public bool TryGetReranker(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReranker? reranker)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_entries.TryGetValue(name, out Entry? entry))
        {
            reranker = null;
            return false;
        }

        reranker = EnsureBuilt(entry).Handle!;
        return true;
    }

    /// <summary>Gets the default reranker, for the unkeyed <see cref="IReranker"/> service.</summary>
    public IReranker GetDefault() => DefaultName is not null
        ? GetReranker(DefaultName)
        : throw new InvalidOperationException(Names.Count == 0
            ? "No rerankers are registered: add one with services.AddReranking().AddBm25() (or another provider), or under Rerankers in the configuration section given to AddReranking."
            : $"{Names.Count} rerankers are registered ({string.Join(", ", Names)}) and none is the default: set Default in the reranking configuration section (or RerankingOptions.Default), or resolve one by name with [FromKeyedServices(\"name\")] or IRerankerProvider.");

    /// <summary>Gets the pipeline itself (not its handle), for another pipeline's fallback layer, which gets it behind a shield.</summary>
    public IReranker GetPipeline(string name) => EnsureBuilt(_entries[name]).Pipeline!;

    /// <summary>Builds every reranker not yet built; returns the failures (also recorded for the health check and logged).</summary>
    public IReadOnlyList<Exception> LoadAll()
    {
        var failures = new List<Exception>();
        foreach (Entry entry in _entries.Values)
        {
            try
            {
                EnsureBuilt(entry);
            }
            catch (Exception ex) when (ex is not ObjectDisposedException)
            {
                failures.Add(ex);
            }
        }

        return failures;
    }

    /// <summary>Gets each reranker's state, in registration order.</summary>
    public IEnumerable<(string Name, RerankerReadiness State, Exception? Error)> Snapshot() =>
        Names.Select(n => _entries[n]).Select(e => (e.Planned.Name, e.State, e.Error));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        IReranker[] built;
        lock (_built)
        {
            built = [.. _built];
            _built.Clear();
        }

        // Reverse build order: a pipeline goes before the fallbacks it was built on.
        for (int i = built.Length - 1; i >= 0; i--)
        {
            built[i].Dispose();
        }
    }

    private Entry EnsureBuilt(Entry entry)
    {
        if (Volatile.Read(ref entry.HandleField) is not null)
        {
            return entry;
        }

        lock (entry.Gate)
        {
            if (entry.HandleField is not null)
            {
                return entry;
            }

            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (entry.Building)
            {
                // The monitor is re-entrant: only a factory that asks for its own reranker (directly or through others) gets here.
                throw new InvalidOperationException($"The reranker '{entry.Planned.Name}' ({entry.Planned.Source}) refers back to itself while it is being built; break the cycle.");
            }

            entry.Building = true;
            entry.State = RerankerReadiness.Loading;
            try
            {
                IReranker pipeline = entry.Planned.Pipeline.Build(_services);
                lock (_built)
                {
                    if (Volatile.Read(ref _disposed) != 0)
                    {
                        pipeline.Dispose();
                        throw new ObjectDisposedException(nameof(RerankerRegistry));
                    }

                    _built.Add(pipeline);
                }

                entry.Pipeline = pipeline;
                entry.Error = null;
                entry.State = RerankerReadiness.Ready;
                Volatile.Write(ref entry.HandleField, new SharedInstanceReranker(pipeline));
                LogBuilt(_logger, entry.Planned.Name);
                return entry;
            }
            catch (Exception ex) when (ex is not ObjectDisposedException)
            {
                // Not cached: a download or a file may be there on the next try; the health check reports the failure meanwhile.
                var failure = new InvalidOperationException($"The reranker '{entry.Planned.Name}' ({entry.Planned.Source}) could not be built: {ex.Message}", ex);
                entry.Error = failure;
                entry.State = RerankerReadiness.Failed;
                LogFailed(_logger, failure, entry.Planned.Name);
                throw failure;
            }
            finally
            {
                entry.Building = false;
            }
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Reranker '{Name}' is built.")]
    private static partial void LogBuilt(ILogger logger, string name);

    [LoggerMessage(2, LogLevel.Error, "Reranker '{Name}' could not be built.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string name);

    private sealed class Entry(PlannedReranker planned)
    {
        public readonly object Gate = new();
        public IReranker? HandleField;

        public PlannedReranker Planned { get; } = planned;

        public IReranker? Pipeline { get; set; }

        public IReranker? Handle => Volatile.Read(ref HandleField);

        public bool Building { get; set; }

        public RerankerReadiness State { get; set; }

        public Exception? Error { get; set; }
    }
}
