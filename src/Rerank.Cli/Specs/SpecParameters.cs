using System.Globalization;

namespace Rerank.Cli;

/// <summary>The <c>key=value,key=value</c> settings after a spec's colon, read strictly: an unknown key or a malformed value names the spec.</summary>
internal sealed class SpecParameters
{
    private readonly string _spec;
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

    public SpecParameters(string spec, string? argument)
    {
        _spec = spec;
        foreach (string pair in (argument ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !_values.TryAdd(pair[..equals].Trim(), pair[(equals + 1)..].Trim()))
            {
                throw new CliUsageException($"Reranker spec '{spec}': '{pair}' is not key=value, or the key is repeated.");
            }
        }
    }

    public double Double(string key, double defaultValue, double minimum, double maximum)
    {
        _read.Add(key);
        if (!_values.TryGetValue(key, out string? text))
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < minimum || value > maximum)
        {
            throw new CliUsageException($"Reranker spec '{_spec}': {key} must be a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}; got '{text}'.");
        }

        return value;
    }

    public string Choice(string key, string defaultValue, params string[] choices)
    {
        _read.Add(key);
        if (!_values.TryGetValue(key, out string? text))
        {
            return defaultValue;
        }

        return choices.FirstOrDefault(choice => string.Equals(choice, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliUsageException($"Reranker spec '{_spec}': {key} must be one of {string.Join(", ", choices)}; got '{text}'.");
    }

    public void EnsureAllRead()
    {
        string[] unknown = [.. _values.Keys.Where(key => !_read.Contains(key))];
        if (unknown.Length > 0)
        {
            throw new CliUsageException($"Reranker spec '{_spec}': unknown setting(s) {string.Join(", ", unknown)}; known: {string.Join(", ", _read)}.");
        }
    }
}
