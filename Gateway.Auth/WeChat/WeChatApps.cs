using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.WeChat;

/// <summary>The configured apps by key, with secrets read (from <c>SecretFile</c> where given) once at start-up.</summary>
public sealed class WeChatApps
{
    private readonly FrozenDictionary<string, WeChatApp> _apps;

    public WeChatApps(IOptions<WeChatOptions> options)
    {
        _apps = options.Value.Apps.ToFrozenDictionary(
            entry => entry.Key,
            entry => new WeChatApp(entry.Key, entry.Value.Kind!.Value, entry.Value.AppId!, ReadSecret(entry.Value)),
            StringComparer.Ordinal);
    }

    public IEnumerable<WeChatApp> All => _apps.Values;

    /// <summary>The app with this key when it is of the given kind; null otherwise (the endpoints answer 404).</summary>
    public WeChatApp? Find(string key, WeChatAppKind kind) =>
        _apps.TryGetValue(key, out var app) && app.Kind == kind ? app : null;

    /// <summary>Whether an app of any kind is configured under this key.</summary>
    public bool IsConfigured(string key) => _apps.ContainsKey(key);

    internal static string ReadSecret(WeChatAppOptions app) =>
        app.SecretFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() : app.Secret ?? "";
}
