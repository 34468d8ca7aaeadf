using System.Globalization;

namespace Rerank.Cli;

/// <summary>
/// A minimal, strict parser of <c>--name value</c> options and <c>--flag</c> switches: an unknown option, a missing
/// value or a malformed number is a <see cref="CliUsageException"/> naming it.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public CliArguments(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flagOptions)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg, value = string.Empty;
            bool inline = false;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                (name, value, inline) = (arg[..equals], arg[(equals + 1)..], true);
            }

            if (flagOptions.Contains(name) && !inline)
            {
                _flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                if (!inline)
                {
                    if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                    {
                        throw new CliUsageException($"Option {name} needs a value.");
                    }

                    value = args[++i];
                }

                if (!_values.TryGetValue(name, out List<string>? list))
                {
                    _values[name] = list = [];
                }

                list.Add(value);
            }
            else
            {
                throw new CliUsageException($"Unknown option '{arg}'. Known: {string.Join(", ", valueOptions.Concat(flagOptions).Order(StringComparer.Ordinal))}.");
            }
        }
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out List<string>? list) ? list : [];

    public string? Optional(string name)
    {
        IReadOnlyList<string> values = All(name);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new CliUsageException($"Option {name} is given {values.Count} times; give it once."),
        };
    }

    public string Required(string name) => Optional(name) ?? throw new CliUsageException($"Option {name} is required.");

    public int Int(string name, int defaultValue, int minimum)
    {
        string? text = Optional(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < minimum)
        {
            throw new CliUsageException($"Option {name} must be a whole number of at least {minimum}; got '{text}'.");
        }

        return value;
    }
}
