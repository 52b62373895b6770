using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Gateway.Auth.Signing;

/// <summary>
/// Calls back when one of the key files changes: file system notifications through <see cref="PhysicalFileProvider"/>
/// (polling when <c>DOTNET_USE_POLLING_FILE_WATCHER</c> is set), and polling for a directory whose notifications
/// cannot be had, as when the inotify instance limit is reached.
/// </summary>
internal sealed class KeyFileWatcher(Action changed, ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PhysicalFileProvider> _providers = new(StringComparer.Ordinal);
    private List<IDisposable> _registrations = [];

    /// <summary>Watches exactly these files (full paths) from now on.</summary>
    public void Watch(IEnumerable<string> files)
    {
        lock (_gate)
        {
            foreach (var registration in _registrations)
            {
                registration.Dispose();
            }

            _registrations = [];
            var watched = files.Distinct(StringComparer.Ordinal)
                .Select(file => (Directory: Path.GetDirectoryName(file)!, Name: Path.GetFileName(file)))
                .Where(file => Directory.Exists(file.Directory))
                .ToList();
            foreach (var directory in _providers.Keys.Except(watched.Select(file => file.Directory)).ToList())
            {
                _providers.Remove(directory, out var provider);
                provider!.Dispose();
            }

            foreach (var (directory, name) in watched)
            {
                _registrations.Add(ChangeToken.OnChange(() => WatchOrPoll(directory, name), changed));
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _registrations.ForEach(registration => registration.Dispose());
            foreach (var provider in _providers.Values)
            {
                provider.Dispose();
            }

            _providers.Clear();
        }
    }

    private IChangeToken WatchOrPoll(string directory, string name)
    {
        lock (_gate)
        {
            if (!_providers.TryGetValue(directory, out var provider))
            {
                _providers[directory] = provider = new PhysicalFileProvider(directory, ExclusionFilters.None);
            }

            try
            {
                return provider.Watch(name);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                SigningLog.PollingKeyFiles(logger, directory, ex.Message);
                provider.Dispose();
                _providers[directory] = provider = new PhysicalFileProvider(directory, ExclusionFilters.None)
                {
                    UsePollingFileWatcher = true,
                    UseActivePolling = true,
                };
                return provider.Watch(name);
            }
        }
    }
}
