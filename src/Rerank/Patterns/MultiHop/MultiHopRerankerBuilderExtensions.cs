using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Rerank;

/// <summary>Adds a <see cref="MultiHopReranker"/> to a pipeline.</summary>
public static class MultiHopRerankerBuilderExtensions
{
    /// <summary>Reranks in hops: the user's query, then follow-up queries an <see cref="IChatClient"/> writes from the best passages; scores combine with a decay.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="chatClient">Writes the follow-ups, or <see langword="null"/> to resolve <see cref="IChatClient"/> from the services given to <see cref="RerankerBuilder.Build"/>; never disposed by the pipeline.</param>
    /// <param name="configure">Sets the bounds, or <see langword="null"/> for the defaults (2 hops, decay 0.5).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">At build: no chat client was given and none is registered.</exception>
    public static RerankerBuilder UseMultiHop(this RerankerBuilder builder, IChatClient? chatClient = null, Action<MultiHopRerankerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new MultiHopRerankerOptions();
        configure?.Invoke(options);
        return builder.Use((inner, services) => new MultiHopReranker(
            inner,
            chatClient ?? services.GetService<IChatClient>()
                ?? throw new InvalidOperationException("UseMultiHop needs an IChatClient: pass one, or register one in the services given to Build."),
            options));
    }
}
