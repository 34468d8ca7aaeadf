namespace Rerank;

/// <summary>The provider <see cref="RerankerBuilder.Build"/> uses when it is given none.</summary>
internal sealed class EmptyServiceProvider : IServiceProvider
{
    public static EmptyServiceProvider Instance { get; } = new();

    public object? GetService(Type serviceType) => null;
}
