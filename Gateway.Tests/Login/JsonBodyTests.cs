using System.Net;
using System.Text;
using System.Text.Json;

namespace Gateway.Tests.Login;

/// <summary>
/// What a client can put in a JSON login body that the parser accepts but .NET strings cannot hold (lone UTF-16
/// surrogates, invalid UTF-8), and bodies that are not declared as JSON: each is a 400 or 415 with a
/// <c>{code, message}</c> body, never a 500.
/// </summary>
public sealed class JsonBodyTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    /// <summary>Every JSON login endpoint with every string field it reads, the others filled with plausible values.</summary>
    public static TheoryData<string, string> EndpointFields() => new()
    {
        { "/auth/wechat/miniprogram/mp/login", "code" },
        { "/auth/wechat/app/app/login", "code" },
        { "/auth/wechat/miniprogram/mp/phone", "code" },
        { "/auth/wechat/miniprogram/mp/bind", "ticket" },
        { "/auth/wechat/miniprogram/mp/bind", "encryptedData" },
        { "/auth/wechat/miniprogram/mp/bind", "iv" },
        { "/auth/wechat/miniprogram/mp/bind", "rawData" },
        { "/auth/wechat/miniprogram/mp/bind", "signature" },
    };

    [Theory]
    [MemberData(nameof(EndpointFields))]
    public async Task ALoneSurrogateEscapeInAnyFieldIsInvalidRequest(string path, string field)
    {
        foreach (var escape in new[] { "\\ud800", "\\udc00", "a\\ud83dz" })
        {
            var (response, body) = await SendAsync(path, BodyWith(field, escape), "application/json");

            Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (response.StatusCode, body.GetProperty("code").GetString()));
        }
    }

    [Theory]
    [MemberData(nameof(EndpointFields))]
    public async Task InvalidUtf8InAnyFieldIsInvalidRequest(string path, string field)
    {
        foreach (var bytes in new byte[][] { [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe4, 0xbd] })
        {
            var json = Encoding.UTF8.GetBytes(BodyWith(field, "MARK"));
            var at = json.AsSpan().IndexOf("MARK"u8);
            var content = json[..at].Concat(bytes).Concat(json[(at + 4)..]).ToArray();

            var (response, body) = await SendAsync(path, content, "application/json");

            Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (response.StatusCode, body.GetProperty("code").GetString()));
        }
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/jsonp")]
    [InlineData("text/json")]
    [InlineData(null)]
    public async Task ABodyNotDeclaredAsJsonIsUnsupportedMediaType415(string? contentType)
    {
        foreach (var (path, _) in EndpointFields().Select(row => ((string)row[0], (string)row[1])).DistinctBy(row => row.Item1))
        {
            var (response, body) = await SendAsync(path, "{\"code\":\"x\"}", contentType);

            Assert.Equal((HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"), (response.StatusCode, body.GetProperty("code").GetString()));
        }
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON;charset=UTF-8")]
    public async Task JsonWithOrWithoutAUtf8CharsetIsRead(string contentType)
    {
        var code = _bed.Sandbox.IssueAppSdkCode(LoginTestbed.MobileApp, "xiaoming");

        var (response, _) = await SendAsync("/auth/wechat/app/app/login", JsonSerializer.Serialize(new { code }), contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task JsonInAnotherCharsetIsUnsupportedMediaType415()
    {
        var (response, body) = await SendAsync("/auth/wechat/app/app/login", "{\"code\":\"x\"}", "application/json; charset=gbk");

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"), (response.StatusCode, body.GetProperty("code").GetString()));
    }

    private static string BodyWith(string field, string rawJsonText)
    {
        var fields = new Dictionary<string, string>
        {
            ["code"] = "c0de", ["ticket"] = "t1cket", ["encryptedData"] = "ZGF0YQ==", ["iv"] = "aXZpdml2aXZpdml2aXZpdg==",
            ["rawData"] = "{}", ["signature"] = "0000000000000000000000000000000000000000",
        };
        fields[field] = "PLACEHOLDER";
        return JsonSerializer.Serialize(fields).Replace("PLACEHOLDER", rawJsonText, StringComparison.Ordinal);
    }

    private Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(string path, string body, string? contentType) =>
        SendAsync(path, Encoding.UTF8.GetBytes(body), contentType);

    private async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(string path, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (path.EndsWith("/phone", StringComparison.Ordinal))
        {
            var (_, login) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "alice");
            request.Headers.Authorization = new("Bearer", login.GetProperty("token").GetString());
        }

        return await _bed.SendAsync(request);
    }
}
