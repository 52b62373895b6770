namespace Gateway.WeChatSandbox;

/// <summary>One app's configured faults and the counters they consume; guarded by the sandbox state's lock.</summary>
internal sealed class AppFaultState(SandboxFaults faults)
{
    private int _systemBusyLeft = faults.SystemBusyCalls;
    private int _forcedLeft = faults.ForcedErrcode is null ? 0 : faults.ForcedErrcodeCalls;
    private long _rateWindow = -1;
    private int _callsInWindow;

    public SandboxFaults Faults { get; } = faults;

    /// <summary>What the remaining faults are now (counters consumed so far are taken off).</summary>
    public SandboxFaults Remaining => Faults with { SystemBusyCalls = _systemBusyLeft, ForcedErrcodeCalls = _forcedLeft };

    public TimeSpan Latency => TimeSpan.FromMilliseconds(Faults.LatencyMilliseconds);

    /// <summary>Counts one call and returns the errcode a fault imposes on it, if any.</summary>
    public int? OnCall(DateTimeOffset now)
    {
        if (Faults.RateLimitPerMinute is { } limit)
        {
            var window = now.ToUnixTimeSeconds() / 60;
            if (window != _rateWindow)
            {
                _rateWindow = window;
                _callsInWindow = 0;
            }

            if (++_callsInWindow > limit)
            {
                return WeChatError.RateLimited;
            }
        }

        if (_systemBusyLeft > 0)
        {
            _systemBusyLeft--;
            return WeChatError.SystemBusy;
        }

        if (_forcedLeft > 0)
        {
            _forcedLeft--;
            return Faults.ForcedErrcode;
        }

        return null;
    }

    public bool IsHighRisk(string userKey) => Faults.HighRiskUsers.Contains(userKey, StringComparer.Ordinal);
}
