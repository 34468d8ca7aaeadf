namespace Rerank;

/// <summary>A reranking configuration value is missing or invalid; the message starts with its configuration path.</summary>
/// <remarks>Messages name keys and paths, never the values of secrets such as API keys.</remarks>
public sealed class RerankingConfigurationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="RerankingConfigurationException"/> class.</summary>
    public RerankingConfigurationException()
        : this("The reranking configuration is invalid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RerankingConfigurationException"/> class.</summary>
    /// <param name="message">What is wrong, starting with the configuration path.</param>
    public RerankingConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RerankingConfigurationException"/> class.</summary>
    /// <param name="message">What is wrong, starting with the configuration path.</param>
    /// <param name="innerException">The cause.</param>
    public RerankingConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RerankingConfigurationException"/> class for one configuration path.</summary>
    /// <param name="path">The configuration path of the bad value, such as <c>Reranking:Rerankers:local:Variant</c>.</param>
    /// <param name="message">What is wrong and what is expected.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public RerankingConfigurationException(string path, string message, Exception? innerException)
        : base($"{path}: {message}", innerException)
    {
        ConfigurationPath = path;
    }

    /// <summary>Gets the configuration path of the bad value, when one is known.</summary>
    public string? ConfigurationPath { get; }
}
