using System.Collections.Concurrent;

namespace Gateway.IdentityAssertions;

/// <summary>
/// One verifier per scheme, built from its options when the scheme first verifies and again when the options
/// change (a configuration reload gives the handler a new options instance): the keys are decoded once per
/// options, not per request.
/// </summary>
internal sealed class IdentityAssertionVerifiers : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, (IdentityAssertionOptions Options, IdentityAssertionVerifier Verifier)> _verifiers = new(StringComparer.Ordinal);

    public IdentityAssertionVerifier For(string scheme, IdentityAssertionOptions options)
    {
        if (_verifiers.TryGetValue(scheme, out var built) && ReferenceEquals(built.Options, options))
        {
            return built.Verifier;
        }

        lock (_gate)
        {
            if (_verifiers.TryGetValue(scheme, out built) && ReferenceEquals(built.Options, options))
            {
                return built.Verifier;
            }

            // The verifier replaced here is left to the finalizer: a request that took it may still be verifying.
            var verifier = new IdentityAssertionVerifier(options, options.TimeProvider ?? TimeProvider.System);
            _verifiers[scheme] = (options, verifier);
            return verifier;
        }
    }

    public void Dispose()
    {
        foreach (var (_, verifier) in _verifiers.Values)
        {
            verifier.Dispose();
        }
    }
}
