using Gateway.Tests.Infrastructure;
using System.Collections.Concurrent;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.WeChat;

/// <summary>
/// Answers the sandbox does not give: what a proxy or load balancer in front of WeChat sends when it fails. A real
/// HTTP server on loopback; the gateway's client is the real one.
/// </summary>
public sealed class MisbehavingWeChatTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _paths = new();
    private WebApplication _upstream = null!;
    private WeChatTestbed _bed = null!;
    private IServiceProvider _instance = null!;

    public async Task InitializeAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Logging.ClearProviders();
        _upstream = builder.Build();
        _upstream.Run(async context =>
        {
            _paths.Enqueue(context.Request.Path);
            var mode = context.Request.Query["js_code"].ToString();
            switch (mode)
            {
                case "html":
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync("<html><body>upstream error</body></html>");
                    break;
                case "502":
                    context.Response.StatusCode = StatusCodes.Status502BadGateway;
                    break;
                case "huge":
                    await context.Response.WriteAsync("{\"openid\":\"" + new string('x', 300_000) + "\"}");
                    break;
                case "bad-errcode":
                    await context.Response.WriteAsync("{\"errcode\":\"busy?\",\"errmsg\":\"x\"}");
                    break;
                default:
                    await context.Response.WriteAsync("{\"errcode\":0,\"errmsg\":\"ok\"}");
                    break;
            }
        });
        await _upstream.StartAsync();
        _bed = await WeChatTestbed.StartAsync();
        _instance = _bed.NewInstance(new Dictionary<string, string?> { ["WeChat:ApiBaseUrl"] = Loopback.AddressOf(_upstream).ToString().TrimEnd('/') });
    }

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private Task<MiniProgramSession> CallAsync(string mode) =>
        _instance.GetRequiredService<WeChatApiClient>().Code2SessionAsync(_bed.App(_instance, "mp"), mode);

    [Fact]
    public async Task AnHtmlPageIsUnavailableNotAParsedIdentity()
    {
        var error = await Assert.ThrowsAsync<WeChatApiException>(() => CallAsync("html"));

        Assert.Equal((WeChatErrorKind.Unavailable, null), (error.Kind, error.Errcode));
    }

    [Fact]
    public async Task AnHttpErrorStatusIsRetriedThenUnavailable()
    {
        var error = await Assert.ThrowsAsync<WeChatApiException>(() => CallAsync("502"));

        Assert.Equal(WeChatErrorKind.Unavailable, error.Kind);
        Assert.Equal(3, _paths.Count);
    }

    [Fact]
    public async Task AnOversizedAnswerIsRefused()
    {
        var error = await Assert.ThrowsAsync<WeChatApiException>(() => CallAsync("huge"));

        Assert.Equal(WeChatErrorKind.Unexpected, error.Kind);
    }

    [Fact]
    public async Task ANonNumericErrcodeIsUnexpected()
    {
        var error = await Assert.ThrowsAsync<WeChatApiException>(() => CallAsync("bad-errcode"));

        Assert.Equal(WeChatErrorKind.Unexpected, error.Kind);
    }

    [Fact]
    public async Task SuccessWithoutTheFieldsTheGatewayNeedsIsUnexpected()
    {
        var error = await Assert.ThrowsAsync<WeChatApiException>(() => CallAsync("empty"));

        Assert.Equal(WeChatErrorKind.Unexpected, error.Kind);
        Assert.Contains("openid", error.Message);
    }
}
