namespace Gateway.Auth.Identity;

/// <summary>The person is disabled in the database, but a listener (e.g. ending sessions) failed; retrying the disable is safe.</summary>
public sealed class PersonDisabledNotPropagatedException(long personId, Exception innerException)
    : Exception($"Person {personId} is disabled, but not every feature could act on it; retry the disable.", innerException)
{
    public long PersonId { get; } = personId;
}
