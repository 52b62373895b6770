using Gateway.Auth.Identity;
using Gateway.Auth.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Signs a person in on a running gateway without WeChat: resolves the login through the gateway's own
/// <see cref="IIdentityResolver"/> and issues the session through its own <see cref="ISessionIssuer"/>.
/// </summary>
public static class GatewaySessions
{
    public static async Task<TestSession> IssueAsync(GatewayInstance gateway, LoginIdentity login, SessionTransport transport)
    {
        var identity = await gateway.Services.GetRequiredService<IIdentityResolver>().ResolveAsync(login);
        var context = new DefaultHttpContext { RequestServices = gateway.Services };
        var issued = await gateway.Services.GetRequiredService<ISessionIssuer>().IssueAsync(context, identity, transport);
        return new TestSession(identity, issued, transport);
    }

    /// <summary>A Mini Program login with a unionid, distinct per call.</summary>
    public static LoginIdentity NewMiniProgramLogin(string? unionId = null) =>
        new(new AppId("wx1234567890abcdef"), new OpenId("oMP" + Guid.NewGuid().ToString("N")[..24]), new UnionId(unionId ?? "oU" + Guid.NewGuid().ToString("N")[..26]), LoginChannel.MiniProgram);
}

/// <summary>A session issued for a test, and how to present it.</summary>
public sealed record TestSession(ResolvedIdentity Identity, IssuedSession Issued, SessionTransport Transport)
{
    public string Token => Issued.Token;

    /// <summary>Adds the session to a request the way its client would: the cookie, or the bearer.</summary>
    public HttpRequestMessage Present(HttpRequestMessage request)
    {
        if (Transport == SessionTransport.Cookie)
        {
            request.Headers.Add("Cookie", $"{SessionOptions.DefaultCookieName}={Token}");
        }
        else
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        }

        return request;
    }

    public HttpRequestMessage Get(string path) => Present(new HttpRequestMessage(HttpMethod.Get, path));

    public HttpRequestMessage Post(string path) => Present(new HttpRequestMessage(HttpMethod.Post, path));
}
