namespace Gateway.Hosting;

/// <summary>
/// Every configuration mistake found before the gateway serves, in one list: each entry names the setting or the
/// yarp.json route or cluster. The process reports it and exits with <see cref="ExitCodes.Configuration"/>.
/// </summary>
internal sealed class GatewayConfigurationException(IReadOnlyList<string> errors)
    : Exception($"The configuration has {errors.Count} error(s):{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
