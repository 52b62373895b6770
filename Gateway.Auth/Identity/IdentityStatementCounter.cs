namespace Gateway.Auth.Identity;

/// <summary>
/// Counts the statements identity resolution issues, so a test can hold the returning-person path to its budget
/// of two indexed lookups.
/// </summary>
internal sealed class IdentityStatementCounter
{
    private long _lookups;
    private long _writes;

    public long Lookups => Interlocked.Read(ref _lookups);

    public long Writes => Interlocked.Read(ref _writes);

    public void Lookup() => Interlocked.Increment(ref _lookups);

    public void Write() => Interlocked.Increment(ref _writes);
}
