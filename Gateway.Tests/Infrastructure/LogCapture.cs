using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Every log entry of a gateway at every level, as one line each: category, level, message, every structured
/// value (also those the message template leaves out), scopes and exception. Tests search it for secrets.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyCollection<string> Lines => _lines;

    public string All => string.Join('\n', _lines);

    /// <summary>
    /// The lines the shipped <c>Gateway/appsettings.json</c> levels would let through: everything is captured at
    /// Trace, then lines of a category that file raises (for example <c>Microsoft.AspNetCore</c> to Warning) are
    /// dropped when below that level.
    /// </summary>
    public string AllAtShippedLevels()
    {
        var levels = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "Gateway", "appsettings.json")))
            .RootElement.GetProperty("Logging").GetProperty("LogLevel").EnumerateObject()
            .Where(entry => entry.Name != "Default")
            .Select(entry => (Category: entry.Name, Minimum: Enum.Parse<LogLevel>(entry.Value.GetString()!)))
            .ToList();
        return string.Join('\n', _lines.Where(line =>
        {
            var parts = line.Split(' ', 3);
            var level = Enum.Parse<LogLevel>(parts[1]);
            var rule = levels.Where(r => parts[0] == r.Category || parts[0].StartsWith(r.Category + ".", StringComparison.Ordinal))
                .OrderByDescending(r => r.Category.Length).FirstOrDefault();
            return rule.Category is null || level >= rule.Minimum;
        }));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder().Append(category).Append(' ').Append(logLevel).Append(' ').Append(eventId.Id).Append(' ')
                .Append(formatter(state, exception));
            Append(line, state);
            owner._scopes?.ForEachScope((scope, builder) => Append(builder.Append(" scope:").Append(scope), scope), line);
            if (exception is not null)
            {
                line.Append(' ').Append(exception);
            }

            owner._lines.Enqueue(line.ToString());
        }

        private static void Append(StringBuilder line, object? state)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    line.Append(" [").Append(key).Append('=').Append(value).Append(']');
                }
            }
        }
    }
}
