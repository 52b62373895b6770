using Microsoft.Extensions.Options;

namespace Gateway.Auth.Signing;

/// <summary>Fails start-up with every problem of the <c>Signing</c> section, each message naming its setting.</summary>
internal sealed class SigningOptionsValidator(SigningKeysState state) : IValidateOptions<SigningOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        if (state.Started)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        SigningKeyRing.Load(options, errors).Dispose();
        PublicJwksPath.Validate(options.PublicJwksPath, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
