namespace Gateway.WeChatSandbox;

/// <summary>
/// Misbehaviour injected into one app's API calls (<c>PUT {prefix}/sandbox/faults/{appid}</c>). Faults are
/// evaluated before a code or token is looked at, so a call failed by a fault consumes nothing and a retry with the
/// same code can succeed, as with WeChat's transient errors.
/// </summary>
public sealed record SandboxFaults
{
    /// <summary>Delay before every answer, on the sandbox's clock.</summary>
    public int LatencyMilliseconds { get; init; }

    /// <summary>The next this-many calls answer errcode -1 (system busy).</summary>
    public int SystemBusyCalls { get; init; }

    /// <summary>Errcode to answer for the next <see cref="ForcedErrcodeCalls"/> calls (after any system-busy burst).</summary>
    public int? ForcedErrcode { get; init; }

    public int ForcedErrcodeCalls { get; init; }

    /// <summary>Calls allowed per clock minute; further calls in the same minute answer 45011.</summary>
    public int? RateLimitPerMinute { get; init; }

    /// <summary>Keys of users WeChat treats as high risk: their code exchanges answer 40226.</summary>
    public IReadOnlyList<string> HighRiskUsers { get; init; } = [];

    /// <summary>Error answers carry errcode as a JSON string ("40029"), as one of WeChat's documented examples does.</summary>
    public bool ErrcodeAsString { get; init; }
}
