using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rerank;

/// <summary>One reranker's configuration section, given to <see cref="RerankerProviderFactory.Configure"/>, with readers whose errors name the value's path.</summary>
public sealed class RerankerConfigurationContext
{
    private readonly IServiceProviderIsService? _isService;

    /// <summary>Initializes a new instance of the <see cref="RerankerConfigurationContext"/> class, such as for a provider's own tests.</summary>
    /// <param name="name">The reranker's name.</param>
    /// <param name="section">The reranker's configuration section.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is <see langword="null"/>.</exception>
    public RerankerConfigurationContext(string name, IConfigurationSection section)
        : this(name, section, isService: null)
    {
    }

    internal RerankerConfigurationContext(string name, IConfigurationSection section, IServiceProviderIsService? isService)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        Name = name;
        Section = section;
        _isService = isService;
    }

    /// <summary>Gets the reranker's name: its key under <c>Rerankers</c>, and the key it resolves with.</summary>
    public string Name { get; }

    /// <summary>Gets the reranker's configuration section.</summary>
    public IConfigurationSection Section { get; }

    /// <summary>Gets the section's path, such as <c>Reranking:Rerankers:local</c>.</summary>
    public string Path => Section.Path;

    /// <summary>Gets the value of the common <c>Model</c> key, or <see langword="null"/> when it is not set; what it names is up to the provider.</summary>
    public string? Model => GetString("Model");

    /// <summary>Gets a string value.</summary>
    /// <param name="key">The key, relative to the reranker's section.</param>
    /// <returns>The value, or <see langword="null"/> when it is missing or blank.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    /// <exception cref="RerankingConfigurationException">The key holds a section, not a value.</exception>
    public string? GetString(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        IConfigurationSection child = Section.GetSection(key);
        if (child.Value is null && child.GetChildren().Any())
        {
            throw Error(key, "expected a value, found a section.");
        }

        return string.IsNullOrWhiteSpace(child.Value) ? null : child.Value.Trim();
    }

    /// <summary>Gets a value of a simple type (a number, <see cref="bool"/>, <see cref="TimeSpan"/>, an enum), read with the invariant culture.</summary>
    /// <typeparam name="T">The type. Enums accept their names only (case-insensitive), not numbers.</typeparam>
    /// <param name="key">The key, relative to the reranker's section.</param>
    /// <returns>The value, or <see langword="null"/> when it is missing or blank.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    /// <exception cref="RerankingConfigurationException">The value cannot be read as a <typeparamref name="T"/>; the message names the path and the values expected.</exception>
    public T? GetValue<T>(string key)
        where T : struct
    {
        string? raw = GetString(key);
        if (raw is null)
        {
            return null;
        }

        if (typeof(T).IsEnum)
        {
            // Enum.TryParse also takes "7" or "1, 2": configuration names a member, nothing else.
            if (!char.IsDigit(raw[0]) && raw[0] != '-' && !raw.Contains(',', StringComparison.Ordinal) && Enum.TryParse(raw, ignoreCase: true, out T member))
            {
                return member;
            }

            throw Error(key, $"'{raw}' is not one of {string.Join(", ", Enum.GetNames(typeof(T)))}.");
        }

        try
        {
            if (TypeDescriptor.GetConverter(typeof(T)).ConvertFromInvariantString(raw) is T value)
            {
                return value;
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            throw Error(key, $"'{raw}' is not a valid {Describe(typeof(T))}.", ex);
        }

        throw Error(key, $"'{raw}' is not a valid {Describe(typeof(T))}.");
    }

    /// <summary>Gets a number and checks that it lies in a range.</summary>
    /// <param name="key">The key, relative to the reranker's section.</param>
    /// <param name="minimum">The smallest value allowed.</param>
    /// <param name="maximum">The largest value allowed.</param>
    /// <returns>The value, or <see langword="null"/> when it is missing or blank.</returns>
    /// <exception cref="RerankingConfigurationException">The value is not an integer, or lies outside the range.</exception>
    public int? GetInt32(string key, int minimum = int.MinValue, int maximum = int.MaxValue)
    {
        int? value = GetValue<int>(key);
        if (value is int v && (v < minimum || v > maximum))
        {
            throw Error(key, maximum == int.MaxValue ? $"must be at least {minimum}; got {v}." : $"must be between {minimum} and {maximum}; got {v}.");
        }

        return value;
    }

    /// <summary>Gets an absolute http or https address.</summary>
    /// <param name="key">The key, relative to the reranker's section.</param>
    /// <returns>The address, or <see langword="null"/> when it is missing or blank.</returns>
    /// <exception cref="RerankingConfigurationException">The value is not an absolute http or https address.</exception>
    public Uri? GetUri(string key)
    {
        string? raw = GetString(key);
        if (raw is null)
        {
            return null;
        }

        if (Uri.TryCreate(raw, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        // Not echoed: an address can carry credentials.
        throw Error(key, "must be an absolute http or https address.");
    }

    /// <summary>Binds a nested section (such as <c>Retry</c>) onto <paramref name="instance"/>, failing on keys the type does not have.</summary>
    /// <param name="key">The key of the nested section, relative to the reranker's section.</param>
    /// <param name="instance">The object to bind onto.</param>
    /// <exception cref="ArgumentNullException"><paramref name="instance"/> is <see langword="null"/>.</exception>
    /// <exception cref="RerankingConfigurationException">A key is unknown or a value cannot be converted.</exception>
    public void Bind(string key, object instance)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(instance);
        IConfigurationSection child = Section.GetSection(key);
        if (child.Value is not null && !child.GetChildren().Any())
        {
            throw Error(key, "expected a section, found a value.");
        }

        try
        {
            child.Bind(instance, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the key or path; it may quote a value, but never one of ours that is a secret.
            throw Error(key, ex.Message, ex);
        }
    }

    /// <summary>Tells whether a service is registered, so that a factory can report a missing dependency at start-up instead of on first use.</summary>
    /// <param name="serviceType">The service type.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for an unkeyed service.</param>
    /// <returns><see langword="true"/> when it is registered, or when the container cannot tell.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    public bool IsServiceRegistered(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return _isService switch
        {
            null => true,
            IServiceProviderIsKeyedService keyed when serviceKey is not null => keyed.IsKeyedService(serviceType, serviceKey),
            not null when serviceKey is not null => true,
            _ => _isService.IsService(serviceType),
        };
    }

    /// <summary>Creates the exception for a bad value under <paramref name="key"/>, with the full path in its message.</summary>
    /// <param name="key">The key, relative to the reranker's section.</param>
    /// <param name="message">What is wrong and what is expected; never the value of a secret.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    /// <returns>The exception, to throw.</returns>
    public RerankingConfigurationException Error(string key, string message, Exception? innerException = null) =>
        new($"{Path}:{key}", message, innerException);

    private static string Describe(Type type) => type == typeof(TimeSpan) ? "time span (such as 00:00:00.800)"
        : type == typeof(bool) ? "boolean (true or false)"
        : type == typeof(int) ? "whole number"
        : type == typeof(double) || type == typeof(float) ? string.Create(CultureInfo.InvariantCulture, $"number (such as {1.5})")
        : type.Name;
}
