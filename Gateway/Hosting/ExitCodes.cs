namespace Gateway.Hosting;

/// <summary>The process exit codes an operator or a supervisor (systemd, Docker) can act on; documented in the READMEs.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Anything else: the message and the stack are in the log.</summary>
    public const int Other = 1;

    /// <summary>The configuration is invalid (every mistake is in one logged list); restarting will not help.</summary>
    public const int Configuration = 2;

    /// <summary>A dependency (the database or Redis) could not be reached; restarting later may help.</summary>
    public const int DependencyUnavailable = 3;
}
