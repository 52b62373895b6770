using System.Diagnostics;
using Gateway.Auth.Telemetry;
using Gateway.Auth.WeChat;

namespace Gateway.Auth.Login;

/// <summary>
/// One login: its span (parent of the WeChat, database and Redis spans) and, when it ends, its count in
/// <c>gateway.logins</c> by flow, app, result (<c>ok</c> or the error code the client got) and WeChat errcode.
/// A login that ends in an unmapped exception counts as <c>error</c>.
/// </summary>
internal sealed class LoginMeasurement : IDisposable
{
    private readonly GatewayMetrics _metrics;
    private readonly string _flow;
    private readonly string _app;
    private readonly Activity? _activity;
    private string _result = "error";
    private string? _errcode;

    public LoginMeasurement(GatewayMetrics metrics, string flow, string app)
    {
        _metrics = metrics;
        _flow = flow;
        _app = app;
        _activity = GatewayTelemetry.Source.StartActivity("login");
        if (_activity is not null)
        {
            _activity.DisplayName = "login " + flow;
            _activity.SetTag("gateway.login.flow", flow);
            _activity.SetTag("gateway.app", app);
        }
    }

    public void Succeeded() => _result = "ok";

    public void Failed(LoginException failure, Exception cause)
    {
        _result = failure.Code;
        _errcode = ErrcodeTag(cause);
        _activity?.SetStatus(ActivityStatusCode.Error, failure.Code);
    }

    public void Dispose()
    {
        _metrics.Login(_flow, _app, _result, _errcode);
        if (_activity is not null)
        {
            _activity.SetTag("gateway.login.result", _result);
            if (_errcode is not null)
            {
                _activity.SetTag("wechat.errcode", _errcode);
            }

            _activity.Dispose();
        }
    }

    /// <summary>The errcode WeChat answered when it is one the gateway knows; any other is <c>other</c>, so WeChat cannot grow the series.</summary>
    internal static string? ErrcodeTag(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is WeChatApiException { Errcode: { } errcode })
            {
                return WeChatErrorCodes.Classify(errcode) == WeChatErrorKind.Unexpected
                    ? "other"
                    : errcode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
