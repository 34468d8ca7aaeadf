using Microsoft.Extensions.Options;

namespace Rerank.AspNetCore;

/// <summary>Fails the host's start with every invalid <see cref="RerankServerOptions"/> setting named.</summary>
internal sealed class RerankServerOptionsValidator : IValidateOptions<RerankServerOptions>
{
    public ValidateOptionsResult Validate(string? name, RerankServerOptions options)
    {
        IReadOnlyList<string> errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
