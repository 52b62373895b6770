using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Auth.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.WeChat;

/// <summary>
/// The gateway's calls to api.weixin.qq.com. Every call has <c>WeChat:Timeout</c>; "system busy" (-1) and
/// connection failures are retried <c>WeChat:Retry:Attempts</c> times with capped exponential back-off; any other
/// failure becomes a <see cref="WeChatApiException"/> classified by errcode.
/// </summary>
internal sealed partial class WeChatApiClient(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<WeChatOptions> options,
    TimeProvider timeProvider,
    GatewayMetrics metrics,
    ILogger<WeChatApiClient> logger)
{
    /// <summary>The named HttpClient; its default request logging is removed because WeChat URLs carry secrets.</summary>
    public const string HttpClientName = "Gateway.WeChat";

    private const int MaxResponseBytes = 256 * 1024;

    public Task<OAuthAccessToken> ExchangeOAuthCodeAsync(WeChatApp app, string code, CancellationToken cancellationToken = default) =>
        GetAsync("sns/oauth2/access_token", app.AppId, [("appid", app.AppId), ("secret", app.Secret), ("code", code), ("grant_type", "authorization_code")], root => new OAuthAccessToken(
            Required(root, "access_token", "sns/oauth2/access_token"),
            WeChatJson.Int(root, "expires_in") ?? 0,
            WeChatJson.String(root, "refresh_token"),
            Required(root, "openid", "sns/oauth2/access_token"),
            WeChatJson.String(root, "scope"),
            WeChatJson.String(root, "unionid"),
            WeChatJson.Int(root, "is_snapshotuser") == 1), cancellationToken);

    public Task<WeChatUserInfo> GetUserInfoAsync(WeChatApp app, string accessToken, string openId, CancellationToken cancellationToken = default) =>
        GetAsync("sns/userinfo", app.AppId, [("access_token", accessToken), ("openid", openId), ("lang", "zh_CN")], root => new WeChatUserInfo(
            Required(root, "openid", "sns/userinfo"),
            WeChatJson.String(root, "nickname"),
            WeChatJson.String(root, "headimgurl"),
            WeChatJson.String(root, "unionid")), cancellationToken);

    public Task<MiniProgramSession> Code2SessionAsync(WeChatApp app, string jsCode, CancellationToken cancellationToken = default) =>
        GetAsync("sns/jscode2session", app.AppId, [("appid", app.AppId), ("secret", app.Secret), ("js_code", jsCode), ("grant_type", "authorization_code")], root => new MiniProgramSession(
            Required(root, "openid", "sns/jscode2session"),
            Required(root, "session_key", "sns/jscode2session"),
            WeChatJson.String(root, "unionid")), cancellationToken);

    /// <summary>The app access_token; <paramref name="forceRefresh"/> makes WeChat issue a new one (invalidating the old).</summary>
    public Task<AppAccessToken> GetStableAccessTokenAsync(WeChatApp app, bool forceRefresh, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["grant_type"] = "client_credential",
            ["appid"] = app.AppId,
            ["secret"] = app.Secret,
            ["force_refresh"] = forceRefresh,
        };
        return PostAsync("cgi-bin/stable_token", app.AppId, [], body, root => new AppAccessToken(
            Required(root, "access_token", "cgi-bin/stable_token"),
            WeChatJson.Int(root, "expires_in") ?? 0), cancellationToken);
    }

    /// <summary>
    /// Exchanges a phone code (from a getPhoneNumber button, not wx.login) with the app access_token. WeChat checks
    /// that the code was issued to <paramref name="openId"/> and answers 40003 otherwise.
    /// </summary>
    public Task<PhoneNumberInfo> GetPhoneNumberAsync(WeChatApp app, string accessToken, string phoneCode, string openId, CancellationToken cancellationToken = default) =>
        PostAsync("wxa/business/getuserphonenumber", app.AppId, [("access_token", accessToken)], new JsonObject { ["code"] = phoneCode, ["openid"] = openId }, root =>
        {
            if (!root.TryGetProperty("phone_info", out var info) || info.ValueKind != JsonValueKind.Object)
            {
                throw Unexpected("wxa/business/getuserphonenumber", "phone_info");
            }

            string? watermarkAppId = info.TryGetProperty("watermark", out var watermark) && watermark.ValueKind == JsonValueKind.Object
                ? WeChatJson.String(watermark, "appid")
                : null;
            return new PhoneNumberInfo(
                Required(info, "phoneNumber", "wxa/business/getuserphonenumber"),
                Required(info, "purePhoneNumber", "wxa/business/getuserphonenumber"),
                WeChatJson.String(info, "countryCode") ?? throw Unexpected("wxa/business/getuserphonenumber", "countryCode"),
                watermarkAppId);
        }, cancellationToken);

    private Task<T> GetAsync<T>(string api, string appId, (string Name, string Value)[] query, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        SendAsync(api, appId, () => new HttpRequestMessage(HttpMethod.Get, BuildUri(api, query)), read, cancellationToken);

    private Task<T> PostAsync<T>(string api, string appId, (string Name, string Value)[] query, JsonObject body, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        SendAsync(api, appId, () => new HttpRequestMessage(HttpMethod.Post, BuildUri(api, query)) { Content = JsonContent.Create(body) }, read, cancellationToken);

    /// <summary>One call as operators see it, retries included: a span and a <c>gateway.wechat.call.duration</c> measurement.</summary>
    private async Task<T> SendAsync<T>(string api, string appId, Func<HttpRequestMessage> createRequest, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        using var activity = GatewayTelemetry.Source.StartActivity("wechat", ActivityKind.Client);
        if (activity is not null)
        {
            activity.DisplayName = "WeChat " + api;
            activity.SetTag("wechat.endpoint", api);
        }

        var result = "error";
        try
        {
            var answer = await SendWithRetriesAsync(api, appId, createRequest, read, cancellationToken);
            result = "ok";
            return answer;
        }
        catch (WeChatApiException e)
        {
            result = ResultOf(e.Kind);
            activity?.SetStatus(ActivityStatusCode.Error, result);
            throw;
        }
        catch (OperationCanceledException)
        {
            result = "canceled";
            throw;
        }
        finally
        {
            metrics.WeChatCall(api, result, timeProvider.GetElapsedTime(started));
        }
    }

    private static string ResultOf(WeChatErrorKind kind) => kind switch
    {
        WeChatErrorKind.InvalidCode => "invalid_code",
        WeChatErrorKind.RateLimited => "rate_limited",
        WeChatErrorKind.HighRisk => "high_risk",
        WeChatErrorKind.Configuration => "configuration",
        WeChatErrorKind.InvalidToken => "invalid_token",
        WeChatErrorKind.Unavailable => "unavailable",
        WeChatErrorKind.StaleSessionKey => "stale_session_key",
        _ => "unexpected",
    };

    private async Task<T> SendWithRetriesAsync<T>(string api, string appId, Func<HttpRequestMessage> createRequest, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var client = httpClientFactory.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            WeChatApiException failure;
            using (var timeout = new CancellationTokenSource(current.Timeout, timeProvider))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    using var request = createRequest();
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                    using var document = await ReadJsonAsync(api, response, linked.Token);
                    var root = document.RootElement;
                    if (!WeChatJson.TryGetErrcode(root, out var errcode, out var malformed))
                    {
                        return read(root);
                    }

                    if (malformed)
                    {
                        throw Unexpected(api, "a numeric errcode");
                    }

                    var kind = WeChatErrorCodes.Classify(errcode);
                    if (errcode != WeChatErrorCodes.SystemBusy)
                    {
                        // Client-side failures (bad codes, rate limits) are routine; configuration and unknown errors need eyes.
                        var level = kind is WeChatErrorKind.Configuration or WeChatErrorKind.Unexpected ? LogLevel.Warning : LogLevel.Information;
                        WeChatLog.CallFailed(logger, level, api, appId, errcode, kind);
                        throw new WeChatApiException(api, kind, errcode, $"WeChat {api} answered errcode {errcode} ({kind}).");
                    }

                    failure = new WeChatApiException(api, WeChatErrorKind.Unavailable, errcode, $"WeChat {api} stayed busy (errcode -1) after {attempt} attempts.");
                }
                catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // Not retried: the call may have taken effect (a code exchanged), and waiting again would exceed the budget.
                    WeChatLog.CallTimedOut(logger, api, appId, current.Timeout);
                    throw new WeChatApiException(api, WeChatErrorKind.Unavailable, null, $"WeChat {api} did not answer within {current.Timeout}.", e);
                }
                catch (HttpRequestException e)
                {
                    failure = new WeChatApiException(api, WeChatErrorKind.Unavailable, null, $"WeChat {api} could not be reached after {attempt} attempts.", e);
                }
            }

            if (attempt > current.Retry.Attempts)
            {
                WeChatLog.GaveUp(logger, api, appId, attempt, failure.Errcode);
                throw failure;
            }

            WeChatLog.Retrying(logger, api, appId, attempt, failure.Errcode);
            await Task.Delay(Backoff(current.Retry, attempt), timeProvider, cancellationToken);
        }
    }

    private static async Task<JsonDocument> ReadJsonAsync(string api, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"WeChat {api} answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new WeChatApiException(api, WeChatErrorKind.Unexpected, null, $"WeChat {api} answered more than {MaxResponseBytes} bytes.");
        }

        // WeChat sends some JSON as text/plain, so the content type is not trusted either way: the body must parse.
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxResponseBytes + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length, MaxResponseBytes + 1 - length), cancellationToken)) > 0)
            {
                length += read;
                if (length > MaxResponseBytes)
                {
                    throw new WeChatApiException(api, WeChatErrorKind.Unexpected, null, $"WeChat {api} answered more than {MaxResponseBytes} bytes.");
                }
            }

            // A copy: the document keeps the memory it parses, and the rented buffer goes back to the pool.
            return Parse(api, buffer.AsSpan(0, length).ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JsonDocument Parse(string api, byte[] body)
    {
        try
        {
            var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new WeChatApiException(api, WeChatErrorKind.Unavailable, null, $"WeChat {api} answered JSON that is not an object.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new WeChatApiException(api, WeChatErrorKind.Unavailable, null, $"WeChat {api} answered something that is not JSON.", e);
        }
    }

    private Uri BuildUri(string api, (string Name, string Value)[] query)
    {
        var path = options.CurrentValue.ApiBaseUrl.TrimEnd('/') + "/" + api;
        return new Uri(query.Length == 0
            ? path
            : path + "?" + string.Join('&', query.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value))));
    }

    private static TimeSpan Backoff(WeChatRetryOptions retry, int attempt)
    {
        var exponential = retry.BaseDelay * Math.Pow(2, attempt - 1);
        var capped = exponential < retry.MaxDelay ? exponential : retry.MaxDelay;
        // Jitter keeps instances that failed together from retrying together.
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    private static string Required(JsonElement root, string name, string api) =>
        WeChatJson.String(root, name) ?? throw Unexpected(api, name);

    private static WeChatApiException Unexpected(string api, string field) =>
        new(api, WeChatErrorKind.Unexpected, null, $"WeChat {api} answered success without {field}.");
}
