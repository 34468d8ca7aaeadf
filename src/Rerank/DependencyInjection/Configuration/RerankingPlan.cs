using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rerank;

/// <summary>
/// The checked result of everything <c>AddReranking</c> registered: each named reranker with the pipeline that builds it, the
/// default, and every error found, each starting with its configuration path. Made at start-up, before any model is loaded.
/// </summary>
internal sealed class RerankingPlan
{
    /// <summary>The keys every configured reranker may hold, whatever its provider.</summary>
    internal static readonly string[] CommonKeys = ["Provider", "Model", "Timeout", "Cache", "FallbackTo"];

    private static readonly string[] SectionKeys = ["Default", "Loading", "Rerankers"];

    // Providers of other packages, so that a missing package is named rather than reported as an unknown provider. Strings only:
    // Rerank never references them.
    private static readonly Dictionary<string, (string Package, string Method)> KnownPackages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["onnx"] = ("Rerank.Onnx", "AddOnnxProvider()"),
        ["cohere"] = ("Rerank.Cohere", "AddCohereProvider()"),
    };

    private static readonly ConditionalWeakTable<RerankingOptions, RerankingPlan> Plans = new();

    private RerankingPlan(IReadOnlyList<PlannedReranker> rerankers, string? defaultName, RerankerLoading loading, IReadOnlyList<string> errors)
    {
        Rerankers = rerankers;
        DefaultName = defaultName;
        Loading = loading;
        Errors = errors;
    }

    public IReadOnlyList<PlannedReranker> Rerankers { get; }

    public string? DefaultName { get; }

    public RerankerLoading Loading { get; }

    public IReadOnlyList<string> Errors { get; }

    /// <summary>Gets the plan for <paramref name="options"/>, made once per options instance (validation and the registry share it).</summary>
    public static RerankingPlan For(RerankingSetup setup, RerankingOptions options, IEnumerable<RerankerProviderFactory> factories, IServiceProviderIsService? isService) =>
        Plans.GetValue(options, o => Create(setup, o, factories, isService));

    public static RerankingPlan Create(RerankingSetup setup, RerankingOptions options, IEnumerable<RerankerProviderFactory> factories, IServiceProviderIsService? isService)
    {
        var errors = new List<string>();
        var providers = new Dictionary<string, RerankerProviderFactory>(StringComparer.OrdinalIgnoreCase);
        foreach (RerankerProviderFactory factory in factories)
        {
            providers[factory.ProviderName] = factory; // the last registered wins, as with any service
        }

        var sources = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rerankers = new List<PlannedReranker>();
        foreach ((string name, RerankerBuilder pipeline) in setup.CodeRerankers)
        {
            if (!sources.TryAdd(name, "code"))
            {
                errors.Add($"A reranker named '{name}' is registered twice in code; each name is registered once.");
                continue;
            }

            rerankers.Add(new PlannedReranker(name, "code", pipeline));
        }

        var configured = new List<ConfiguredReranker>();
        string? defaultPath = null;
        foreach (IConfigurationSection section in setup.Sections)
        {
            if (!section.Exists())
            {
                errors.Add($"{section.Path}: the section is missing or empty; AddReranking was given it to read the rerankers from (check its name and the configuration sources).");
                continue;
            }

            foreach (IConfigurationSection child in section.GetChildren())
            {
                if (!SectionKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add($"{child.Path}: unknown key; the section takes {string.Join(", ", SectionKeys)}.");
                }
            }

            if (section["Default"] is not null)
            {
                defaultPath = $"{section.Path}:Default";
            }

            if (section["Loading"] is string loading && !TryParseLoading(loading, out _))
            {
                errors.Add($"{section.Path}:Loading: '{loading}' is not one of {string.Join(", ", Enum.GetNames<RerankerLoading>())}.");
            }

            IConfigurationSection list = section.GetSection("Rerankers");
            if (list.Value is not null)
            {
                errors.Add($"{list.Path}: expected a section with one entry per reranker, such as \"Rerankers\": {{ \"bm25\": {{ \"Provider\": \"bm25\" }} }}.");
                continue;
            }

            foreach (IConfigurationSection entry in list.GetChildren())
            {
                if (sources.TryGetValue(entry.Key, out string? existing))
                {
                    errors.Add($"{entry.Path}: a reranker named '{entry.Key}' is already registered ({existing}); each name is registered once.");
                    continue;
                }

                sources.Add(entry.Key, entry.Path);
                if (ConfiguredReranker.Parse(entry, providers, isService, errors) is { } parsed)
                {
                    configured.Add(parsed);
                }
            }
        }

        CheckFallbacks(configured, sources, errors);
        foreach ((string name, _) in setup.PipelineConfigurations)
        {
            if (!configured.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) && !sources.ContainsKey(name))
            {
                errors.Add($"ConfigurePipeline(\"{name}\"): no configured reranker has that name; {Registered(sources.Keys)}.");
            }
            else if (sources.TryGetValue(name, out string? source) && source == "code")
            {
                errors.Add($"ConfigurePipeline(\"{name}\"): '{name}' is registered in code; add its layers to the RerankerBuilder its Add… method returned.");
            }
        }

        foreach (ConfiguredReranker entry in configured)
        {
            Action<RerankerBuilder>[] code = [.. setup.PipelineConfigurations
                .Where(c => string.Equals(c.Name, entry.Name, StringComparison.OrdinalIgnoreCase)).Select(c => c.Configure)];
            rerankers.Add(new PlannedReranker(entry.Name, entry.Path, entry.CreatePipeline(code)));
        }

        string? defaultName = options.Default;
        if (defaultName is not null && !sources.ContainsKey(defaultName))
        {
            errors.Add($"{defaultPath ?? "RerankingOptions.Default"}: '{defaultName}' is not a registered reranker; {Registered(sources.Keys)}.");
        }

        defaultName ??= sources.Count == 1 ? sources.Keys.First() : null;
        if (!Enum.IsDefined(options.Loading))
        {
            errors.Add($"RerankingOptions.Loading: {options.Loading} is not one of {string.Join(", ", Enum.GetNames<RerankerLoading>())}.");
        }

        return new RerankingPlan(rerankers, defaultName, options.Loading, errors);
    }

    internal static bool TryParseLoading(string value, out RerankerLoading loading) =>
        Enum.TryParse(value, ignoreCase: true, out loading) && Enum.IsDefined(loading) && !char.IsDigit(value.TrimStart()[0]);

    internal static string Registered(IEnumerable<string> names)
    {
        string[] all = [.. names];
        return all.Length == 0 ? "no rerankers are registered" : $"registered: {string.Join(", ", all)}";
    }

    internal static string ProviderHint(string provider, IEnumerable<string> registered)
    {
        string known = string.Join(", ", registered.Order(StringComparer.OrdinalIgnoreCase));
        return KnownPackages.TryGetValue(provider, out var package)
            ? $"'{provider}' is provided by the {package.Package} package, which is not registered: reference it and call {package.Method} on the builder AddReranking returns (registered providers: {known})."
            : $"'{provider}' is not a registered provider; registered providers: {known}.";
    }

    private static void CheckFallbacks(List<ConfiguredReranker> configured, Dictionary<string, string> sources, List<string> errors)
    {
        var byName = configured.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        foreach (ConfiguredReranker entry in configured)
        {
            for (int i = 0; i < entry.FallbackTo.Count; i++)
            {
                if (!sources.ContainsKey(entry.FallbackTo[i]))
                {
                    errors.Add($"{entry.Path}:FallbackTo:{i}: '{entry.FallbackTo[i]}' is not a registered reranker; {Registered(sources.Keys)}.");
                }
            }
        }

        // Depth-first search; each cycle is reported once, at the first of its members in configuration order.
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (ConfiguredReranker entry in configured)
        {
            Visit(entry.Name, []);
        }

        void Visit(string name, List<string> path)
        {
            int at = path.FindIndex(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                List<string> cycle = [.. path.Skip(at), name];
                if (cycle.Take(cycle.Count - 1).All(reported.Add))
                {
                    errors.Add($"{byName[cycle[0]].Path}:FallbackTo: fallback cycle {string.Join(" -> ", cycle)}; a reranker cannot fall back, directly or through others, to itself.");
                }

                return;
            }

            if (!byName.TryGetValue(name, out ConfiguredReranker? entry) || !done.Add(name))
            {
                return;
            }

            path.Add(name);
            foreach (string next in entry.FallbackTo)
            {
                Visit(next, path);
            }

            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>One reranker read from configuration.</summary>
    private sealed class ConfiguredReranker
    {
        private ConfiguredReranker(string name, string path, Func<IServiceProvider, IReranker> inner)
        {
            Name = name;
            Path = path;
            Inner = inner;
        }

        public string Name { get; }

        public string Path { get; }

        public Func<IServiceProvider, IReranker> Inner { get; }

        public TimeSpan? Timeout { get; private init; }

        public CacheKind Cache { get; private init; }

        public IReadOnlyList<string> FallbackTo { get; private init; } = [];

        public static ConfiguredReranker? Parse(
            IConfigurationSection section, Dictionary<string, RerankerProviderFactory> providers, IServiceProviderIsService? isService, List<string> errors)
        {
            var context = new RerankerConfigurationContext(section.Key, section, isService);
            int errorCount = errors.Count;
            if (section.Value is not null && !section.GetChildren().Any())
            {
                errors.Add($"{section.Path}: expected a section with a Provider key, such as {{ \"Provider\": \"bm25\" }}.");
                return null;
            }

            string? provider = Read(errors, () => context.GetString("Provider"));
            RerankerProviderFactory? factory = null;
            if (provider is null)
            {
                errors.Add($"{section.Path}:Provider: required; registered providers: {string.Join(", ", providers.Keys.Order(StringComparer.OrdinalIgnoreCase))}.");
            }
            else if (!providers.TryGetValue(provider, out factory))
            {
                errors.Add($"{section.Path}:Provider: {ProviderHint(provider, providers.Keys)}");
            }

            if (factory is not null)
            {
                string[] known = [.. CommonKeys, .. factory.ConfigurationKeys];
                foreach (IConfigurationSection child in section.GetChildren())
                {
                    if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                    {
                        // The key is named, never its value: a misspelt "ApiKye" holds a secret.
                        errors.Add($"{child.Path}: unknown key for provider '{factory.ProviderName}'; it takes {string.Join(", ", known)}.");
                    }
                }
            }

            TimeSpan? timeout = Read(errors, () => context.GetValue<TimeSpan>("Timeout"));
            if (timeout is TimeSpan t && (t <= TimeSpan.Zero || t > TimeSpan.FromDays(1)) && t != System.Threading.Timeout.InfiniteTimeSpan)
            {
                errors.Add($"{section.Path}:Timeout: must be positive and at most one day; got {t}.");
            }

            CacheKind cache = Read(errors, () => context.GetValue<CacheKind>("Cache")) ?? CacheKind.None;
            string? missingCache = cache switch
            {
                CacheKind.Distributed when !context.IsServiceRegistered(typeof(IDistributedCache)) =>
                    "'distributed' needs an IDistributedCache service: register one (such as AddStackExchangeRedisCache or AddDistributedMemoryCache), or use 'memory'.",
                CacheKind.Hybrid when !context.IsServiceRegistered(typeof(HybridCache)) =>
                    "'hybrid' needs a HybridCache service: register one with AddHybridCache, or use 'memory'.",
                _ => null,
            };
            if (missingCache is not null)
            {
                errors.Add($"{section.Path}:Cache: {missingCache}");
            }

            List<string> fallbacks = ReadFallbacks(section.GetSection("FallbackTo"), errors);

            Func<IServiceProvider, IReranker>? inner = null;
            if (factory is not null)
            {
                try
                {
                    inner = factory.Configure(context);
                }
                catch (RerankingConfigurationException ex)
                {
                    errors.Add(ex.Message);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
                {
                    errors.Add($"{section.Path}: {ex.Message}");
                }
            }

            return errors.Count > errorCount || inner is null
                ? null
                : new ConfiguredReranker(section.Key, section.Path, inner) { Timeout = timeout, Cache = cache, FallbackTo = fallbacks };
        }

        /// <summary>
        /// Layers added in code outermost (telemetry, logging), then the cache (a fallback's answer is not cached), the fallback and
        /// the timeout around the provider, as docs/dependency-injection.md shows.
        /// </summary>
        public RerankerBuilder CreatePipeline(IEnumerable<Action<RerankerBuilder>> code)
        {
            var pipeline = new RerankerBuilder(Inner);
            foreach (Action<RerankerBuilder> configure in code)
            {
                configure(pipeline);
            }

            _ = Cache switch
            {
                CacheKind.Memory => pipeline.UseMemoryCache(),
                CacheKind.Distributed => pipeline.UseDistributedCache(),
                CacheKind.Hybrid => pipeline.UseHybridCache(),
                _ => pipeline,
            };

            if (FallbackTo.Count > 0)
            {
                string[] names = [.. FallbackTo];

                // The fallbacks are other named pipelines, owned by the registry: the fallback layer gets shields, which it may dispose.
                pipeline.UseFallback(sp =>
                {
                    RerankerRegistry registry = sp.GetRequiredService<RerankerRegistry>();
                    return names.Select(n => (IReranker)new SharedInstanceReranker(registry.GetPipeline(n)));
                });
            }

            if (Timeout is TimeSpan timeout)
            {
                pipeline.UseTimeout(timeout);
            }

            return pipeline;
        }

        private static List<string> ReadFallbacks(IConfigurationSection section, List<string> errors)
        {
            if (section.Value is not null)
            {
                return string.IsNullOrWhiteSpace(section.Value) ? [] : [section.Value.Trim()];
            }

            var names = new List<string>();
            foreach (IConfigurationSection item in section.GetChildren())
            {
                if (string.IsNullOrWhiteSpace(item.Value))
                {
                    errors.Add($"{item.Path}: expected the name of a registered reranker.");
                    continue;
                }

                names.Add(item.Value.Trim());
            }

            return names;
        }

        private static T? Read<T>(List<string> errors, Func<T?> read)
        {
            try
            {
                return read();
            }
            catch (RerankingConfigurationException ex)
            {
                errors.Add(ex.Message);
                return default;
            }
        }
    }
}
