namespace Gateway.Auth.Identity;

/// <summary>The person is erased or anonymised in the database, but a listener (ending sessions) failed; repeating the call is safe.</summary>
public sealed class PersonForgottenNotPropagatedException(long personId, Exception innerException)
    : Exception($"Person {personId} is erased or anonymised, but their sessions could not all be ended; repeat the call.", innerException)
{
    public long PersonId { get; } = personId;
}
