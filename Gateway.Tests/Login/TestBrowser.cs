using System.Net;
using System.Text.RegularExpressions;
using Gateway.Auth.Sessions;

namespace Gateway.Tests.Login;

/// <summary>
/// A browser for the OAuth flows: its own cookie jar for the gateway, follows the gateway's redirect to the
/// sandbox's consent page, clicks a user (or refuses), and comes back to the gateway's callback the way WeChat
/// redirects it (to <see cref="LoginTestbed.PublicBaseUrl"/>, mapped to the gateway's loopback listener).
/// </summary>
public sealed partial class TestBrowser(LoginTestbed bed, Infrastructure.GatewayInstance gateway)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public IReadOnlyDictionary<string, string> Cookies => _cookies;

    /// <summary>The instance this browser's requests reach; tests move it to another instance mid-flow.</summary>
    public Infrastructure.GatewayInstance Gateway { get; set; } = gateway;

    public string? SessionToken => _cookies.GetValueOrDefault(SessionOptions.DefaultCookieName);

    /// <summary>GET on the gateway (a path, or a URL on <see cref="LoginTestbed.PublicBaseUrl"/>) with this browser's cookies.</summary>
    public Task<HttpResponseMessage> GetAsync(string pathOrPublicUrl, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Get, pathOrPublicUrl, configure);

    /// <summary>An empty form a page of the gateway posts to the gateway (same origin), with this browser's cookies.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string pathOrPublicUrl, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Post, pathOrPublicUrl, request =>
        {
            request.Content = new FormUrlEncodedContent([]);
            request.Headers.Add("Origin", LoginTestbed.PublicBaseUrl);
            configure?.Invoke(request);
        });

    /// <summary>Drops a cookie, as a browser does when it is cleared or was never sent.</summary>
    public void Forget(string name) => _cookies.Remove(name);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathOrPublicUrl, Action<HttpRequestMessage>? configure)
    {
        var path = pathOrPublicUrl.StartsWith(LoginTestbed.PublicBaseUrl, StringComparison.Ordinal)
            ? pathOrPublicUrl[LoginTestbed.PublicBaseUrl.Length..]
            : pathOrPublicUrl;
        using var request = new HttpRequestMessage(method, new Uri(Gateway.PublicUrl, path));
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        configure?.Invoke(request);
        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                var pair = header.Split(';')[0];
                var name = pair[..pair.IndexOf('=')];
                var value = pair[(name.Length + 1)..];
                var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) || value.Length == 0;
                if (expired)
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = value;
                }
            }
        }

        return response;
    }

    /// <summary>Start → WeChat's consent page → choose <paramref name="user"/> (or refuse): the callback URL WeChat sends the browser to.</summary>
    public async Task<string> AuthorizeAsync(string startPath, string? user)
    {
        var start = await GetAsync(startPath);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!.ToString();
        Assert.StartsWith(bed.Sandbox.BaseUrl, authorize);

        var page = await _http.GetStringAsync(authorize.Split('#')[0]);
        var link = user is null ? RefuseLink().Match(page) : new Regex($"id=\"user-{user}\" href=\"([^\"]+)\"").Match(page);
        Assert.True(link.Success, page);
        var decision = await _http.GetAsync(new Uri(new Uri(bed.Sandbox.Origin), WebUtility.HtmlDecode(link.Groups[1].Value)));
        Assert.Equal(HttpStatusCode.Redirect, decision.StatusCode);
        var callback = decision.Headers.Location!.ToString();
        Assert.StartsWith(LoginTestbed.PublicBaseUrl, callback);
        return callback;
    }

    /// <summary>The whole login: start, consent, callback; returns the callback's answer.</summary>
    public async Task<HttpResponseMessage> LogInAsync(string startPath, string user) => await GetAsync(await AuthorizeAsync(startPath, user));

    /// <summary>The machine-readable code of a login error page.</summary>
    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        var page = await response.Content.ReadAsStringAsync();
        var match = ErrorCode().Match(page);
        Assert.True(match.Success, page);
        return match.Groups[1].Value;
    }

    /// <summary>Sets a cookie as if another site (a sibling subdomain) had planted it in this browser.</summary>
    public void Plant(string name, string value) => _cookies[name] = value;

    [GeneratedRegex("data-error-code=\"([a-z_]+)\"")]
    private static partial Regex ErrorCode();

    [GeneratedRegex("id=\"refuse\" href=\"([^\"]+)\"")]
    private static partial Regex RefuseLink();
}
