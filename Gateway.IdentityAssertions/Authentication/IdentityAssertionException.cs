namespace Gateway.IdentityAssertions;

/// <summary>
/// The failure of an <c>AuthenticateResult</c> from the identity assertion scheme: <see cref="Reason"/> is one of
/// <see cref="AssertionFailureReasons"/>, or the application's own when it refuses a valid assertion in
/// <see cref="IdentityAssertionEvents.OnAssertionValidated"/> (a replayed <c>jti</c>, for instance).
/// </summary>
public sealed class IdentityAssertionException : Exception
{
    public IdentityAssertionException(string reason)
        : base($"Identity assertion refused: {reason}.")
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Reason = reason;
    }

    public string Reason { get; }

    /// <summary>The reason a failed result carries; a failure the application raised with another exception type reads as <c>rejected</c>.</summary>
    internal static string ReasonOf(Exception? failure) => failure is IdentityAssertionException refused ? refused.Reason : "rejected";
}
