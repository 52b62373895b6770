using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Auth.Signing;

/// <summary>
/// The key ring new assertions are signed with. A change of the <c>Signing</c> section or of a key file it names
/// loads a whole new ring, which replaces the current one in one reference swap; a ring that does not load keeps
/// the current one in use, is logged once with every setting that is wrong, and shows in <see cref="Status"/>.
/// </summary>
internal sealed class SigningKeys : IDisposable
{
    /// <summary>Editors and secret managers write a file in several steps; the ring is read once they are done.</summary>
    internal static readonly TimeSpan ReloadDelay = TimeSpan.FromMilliseconds(300);

    private readonly IOptionsMonitor<SigningOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SigningKeys> _logger;
    private readonly Lock _gate = new();
    private readonly IDisposable[] _optionsChanges;
    private readonly ITimer _debounce;
    private readonly KeyFileWatcher _files;
    private volatile SigningKeyRing _current;
    private volatile SigningKeysStatus _status;

    /// <exception cref="OptionsValidationException">The <c>Signing</c> section is invalid (before start-up only).</exception>
    public SigningKeys(
        IOptionsMonitor<SigningOptions> options,
        IEnumerable<IOptionsChangeTokenSource<SigningOptions>> changes,
        SigningKeysState state,
        TimeProvider timeProvider,
        ILogger<SigningKeys> logger)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _current = SigningKeyRing.LoadValidated(options.CurrentValue);
        _status = new SigningKeysStatus(timeProvider.GetUtcNow(), null, []);
        state.Started = true;
        _debounce = timeProvider.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _files = new KeyFileWatcher(ScheduleReload, logger);
        _files.Watch(_current.KeyFiles);
        // The sources the options monitor itself follows, not its OnChange: a value that no longer binds makes the
        // monitor throw before any listener hears of it, and that change must be reported too.
        _optionsChanges = [.. changes.Select(source => ChangeToken.OnChange(source.GetChangeToken, ScheduleReload))];
    }

    public SigningKeyRing Current => _current;

    public SigningKeysStatus Status => _status;

    public void Dispose()
    {
        foreach (var change in _optionsChanges)
        {
            change.Dispose();
        }

        _debounce.Dispose();
        _files.Dispose();
        _current.Dispose();
    }

    private void ScheduleReload() => _debounce.Change(ReloadDelay, Timeout.InfiniteTimeSpan);

    private void Reload()
    {
        lock (_gate)
        {
            var current = _current;
            var errors = new List<string>();
            SigningOptions options;
            try
            {
                options = _options.CurrentValue;
            }
            catch (InvalidOperationException ex)
            {
                // A value that does not bind ("Failed to convert configuration value at 'Signing:Lifetime'..."):
                // refused like any other, since this runs on a timer thread that must not end the process.
                _status = _status with { RejectedAt = _timeProvider.GetUtcNow(), Errors = [ex.Message] };
                SigningLog.ReloadRefused(_logger, ex.Message);
                return;
            }

            var ring = SigningKeyRing.Load(options, errors);
            CheckNoAlgorithmWithdrawn("Hs256", current.Hs256ActiveKeyId, ring.Hs256ActiveKeyId, errors);
            CheckNoAlgorithmWithdrawn("Es256", current.Es256ActiveKeyId, ring.Es256ActiveKeyId, errors);

            if (errors.Count > 0)
            {
                // A file that cannot be read yet is watched too: the reload after it appears is the one that works.
                _files.Watch([.. current.KeyFiles, .. ring.KeyFiles]);
                ring.Dispose();
                _status = _status with { RejectedAt = _timeProvider.GetUtcNow(), Errors = errors };
                SigningLog.ReloadRefused(_logger, string.Join(" ", errors));
                return;
            }

            _files.Watch(ring.KeyFiles);
            if (ring.HasSameKeysAs(current))
            {
                ring.Dispose();
                _status = _status with { RejectedAt = null, Errors = [] };
                return;
            }

            // The replaced ring is not disposed: a request that read it just before the swap may still be signing
            // with its ECDsa keys, whose handles the finalizer releases once nothing holds them.
            _current = ring;
            _status = new SigningKeysStatus(_timeProvider.GetUtcNow(), null, []);
            SigningLog.Reloaded(
                _logger,
                ring.Hs256ActiveKeyId ?? "-",
                string.Join(", ", ring.Hs256MasterSecrets.Keys.Order(StringComparer.Ordinal)),
                ring.Es256ActiveKeyId ?? "-",
                string.Join(", ", ring.Es256Keys.Select(k => k.Id)));
        }
    }

    /// <summary>Clusters were checked against the algorithms signing at start-up; taking one away needs a restart.</summary>
    private static void CheckNoAlgorithmWithdrawn(string algorithm, string? before, string? after, List<string> errors)
    {
        if (before is not null && after is null)
        {
            errors.Add($"Signing:{algorithm}:ActiveKeyId cannot be removed while the gateway runs (clusters may sign with {algorithm}); restart to stop using {algorithm}.");
        }
    }
}

/// <param name="LoadedAt">When the ring in use was loaded.</param>
/// <param name="RejectedAt">When a later change was refused, or null when the last change loaded.</param>
/// <param name="Errors">Why it was refused, each naming its setting.</param>
internal sealed record SigningKeysStatus(DateTimeOffset LoadedAt, DateTimeOffset? RejectedAt, IReadOnlyList<string> Errors);

/// <summary>
/// Whether the key ring is running. Before that, an invalid <c>Signing</c> section fails start-up; after it, a
/// change is judged by <see cref="SigningKeys"/>, which keeps the ring in use instead of making every reader of
/// the options throw.
/// </summary>
internal sealed class SigningKeysState
{
    public volatile bool Started;
}
