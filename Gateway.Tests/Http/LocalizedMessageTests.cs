using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Gateway.Auth.Http;
using Gateway.Auth.Login;
using Gateway.Auth.Oidc;
using Gateway.Tests.Login;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Http;

/// <summary>
/// The <c>message</c> of every gateway error is for the end user: Simplified Chinese unless the client prefers
/// English (Accept-Language), while <c>code</c> stays the same in every language.
/// </summary>
public sealed class LocalizedMessageTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    [Theory]
    [InlineData(null, "请求格式不受支持。")]
    [InlineData("zh-CN,zh;q=0.9", "请求格式不受支持。")]
    [InlineData("en-US,en;q=0.9", "This request is in a format that cannot be handled.")]
    [InlineData("fr-FR", "请求格式不受支持。")]
    public async Task ALoginErrorMessageIsInTheClientsLanguageAndTheCodeIsNot(string? acceptLanguage, string expected)
    {
        var body = await SendAsync(HttpMethod.Post, "/auth/wechat/miniprogram/mp/login", acceptLanguage, new StringContent("code=x", Encoding.UTF8, "text/plain"));

        Assert.Equal("unsupported_media_type", body.GetProperty("code").GetString());
        Assert.Equal(expected, body.GetProperty("message").GetString());
        Assert.Equal("The body must be sent as Content-Type: application/json (UTF-8).", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null, "你访问的页面不存在。")]
    [InlineData("en", "The page you requested does not exist.")]
    public async Task AnErrorTheHttpLayerRaisesIsLocalizedToo(string? acceptLanguage, string expected)
    {
        var body = await SendAsync(HttpMethod.Get, "/no/such/route", acceptLanguage);

        Assert.Equal("route_not_found", body.GetProperty("code").GetString());
        Assert.Equal(expected, body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ChineseMessagesAreCharactersInTheBodyNotEscapes()
    {
        using var response = await _bed.Api.GetAsync("/no/such/route");

        Assert.Contains("\"message\":\"你访问的页面不存在。\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void EveryLoginCodeAndEveryHttpLayerCodeHasAChineseAndAnEnglishMessage()
    {
        var messages = _bed.Gateway.Services.GetRequiredService<ClientMessages>();
        var loginCodes = new[] { typeof(LoginErrorCodes), typeof(OidcErrorCodes) }
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetRawConstantValue()!);
        var httpCodes = new[] { 400, 401, 403, 404, 405, 408, 411, 413, 415, 431, 500, 418 }.Select(status => ClientErrors.Describe(status).Code);
        var proxyCodes = new[] { "session_required", "session_store_unavailable", "cross_site_request", "destination_timeout", "destination_unavailable", "no_destination", "management_unauthorized", "management_throttled", "session_key_unknown" };

        foreach (var code in loginCodes.Concat(httpCodes).Concat(proxyCodes).Distinct())
        {
            var chinese = messages.In(CultureInfo.GetCultureInfo("zh-CN"), code);
            var english = messages.In(CultureInfo.GetCultureInfo("en"), code);
            Assert.False(string.IsNullOrWhiteSpace(chinese), $"{code} has no Chinese message");
            Assert.False(string.IsNullOrWhiteSpace(english), $"{code} has no English message");
            Assert.True(chinese.Any(c => c >= '\u4e00' && c <= '\u9fff'), $"{code}'s Chinese message is \"{chinese}\"");
            Assert.NotEqual(english, chinese);
        }
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? acceptLanguage, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (acceptLanguage is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _bed.Api.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
