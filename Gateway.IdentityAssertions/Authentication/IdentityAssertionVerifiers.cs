using System.Collections.Concurrent;

namespace Gateway.IdentityAssertions;

/// <summary>
/// One verifier per scheme, built from its options when the scheme first verifies: decoding the keys once, not per
/// request, and disposing them with the application's services.
/// </summary>
internal sealed class IdentityAssertionVerifiers : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IdentityAssertionVerifier>> verifiers = new(StringComparer.Ordinal);

    public IdentityAssertionVerifier For(string scheme, IdentityAssertionOptions options) =>
        verifiers.GetOrAdd(scheme, _ => new Lazy<IdentityAssertionVerifier>(
            () => new IdentityAssertionVerifier(options, options.TimeProvider ?? TimeProvider.System))).Value;

    public void Dispose()
    {
        foreach (var verifier in verifiers.Values)
        {
            if (verifier.IsValueCreated)
            {
                verifier.Value.Dispose();
            }
        }
    }
}
