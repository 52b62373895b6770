using Gateway.Auth.Identity;
using Gateway.Auth.Login.Pages;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Auth.Sessions;
using Gateway.Auth.Telemetry;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>What every login endpoint uses: the WeChat client, identity resolution and session issue, in that order.</summary>
internal sealed class LoginContext(
    WeChatApps apps,
    WeChatApiClient weChat,
    AppAccessTokenCache appTokens,
    IIdentityResolver resolver,
    IPersonDirectory directory,
    MiniProgramTickets tickets,
    OAuthStates states,
    ReturnUrlPolicy returnUrls,
    LoginRateLimits rateLimits,
    IOptions<LoginOptions> options,
    IOptions<WeChatOptions> weChatOptions,
    TimeProvider timeProvider,
    GatewayMetrics metrics,
    ILogger<LoginContext> logger)
{
    public WeChatApiClient WeChat => weChat;

    public AppAccessTokenCache AppTokens => appTokens;

    public IPersonDirectory Directory => directory;

    public MiniProgramTickets Tickets => tickets;

    public OAuthStates States => states;

    public ReturnUrlPolicy ReturnUrls => returnUrls;

    public LoginRateLimits RateLimits => rateLimits;

    public LoginOptions Options => options.Value;

    public WeChatOptions WeChatOptions => weChatOptions.Value;

    public TimeProvider Time => timeProvider;

    public ILogger Logger => logger;

    public WeChatApp App(string key, WeChatAppKind kind) =>
        apps.Find(key, kind) ?? throw new LoginException(StatusCodes.Status404NotFound, LoginErrorCodes.AppNotFound, $"No {kind} app is configured under this key.");

    /// <summary>Resolves the login to a person and issues a session for it; the one way every flow ends.</summary>
    public async Task<(ResolvedIdentity Identity, IssuedSession Session)> SignInAsync(HttpContext context, LoginIdentity login, SessionTransport transport, CancellationToken cancellationToken)
    {
        var identity = await resolver.ResolveAsync(login, cancellationToken);
        var issuer = context.RequestServices.GetRequiredService<ISessionIssuer>();
        var session = await issuer.IssueAsync(context, identity, transport, cancellationToken);
        SignedInPerson.Remember(context, identity.PersonId.Value);
        LoginLog.SignedIn(logger, login.Channel.ToString(), login.AppId.Value, identity.PersonId.Value);
        return (identity, session);
    }

    public static LoginSucceeded Succeeded(ResolvedIdentity identity, IssuedSession session, bool includeToken) => new(
        "ok",
        includeToken ? session.Token : null,
        session.IdleExpiresAt < session.AbsoluteExpiresAt ? session.IdleExpiresAt : session.AbsoluteExpiresAt,
        identity.UnionId?.Value,
        identity.PersonId.Value);

    /// <summary>Runs a JSON endpoint: the per-address limit first, then the flow; failures become <c>{code, message}</c>.</summary>
    public async Task RunJsonAsync(HttpContext context, Func<Task> flow)
    {
        using var login = Measure(context);
        try
        {
            await rateLimits.CheckClientAsync(context);
            await flow();
            login.Succeeded();
        }
        catch (Exception e) when (LoginFailures.Map(e, logger) is { } failure && !context.Response.HasStarted)
        {
            login.Failed(failure, e);
            LoginLog.Refused(logger, context.Request.Path, failure.Code);
            await LoginResponses.ErrorJsonAsync(context, failure);
        }
    }

    /// <summary>
    /// Runs a browser endpoint; failures become an error page offering the retry <paramref name="retry"/> makes
    /// (null when the flow's parameters are unknown). A retry that cannot be stored leaves the page without one.
    /// </summary>
    public async Task RunPageAsync(HttpContext context, Func<Task<LoginRetry?>> retry, Func<Task> flow)
    {
        using var login = Measure(context);
        try
        {
            await rateLimits.CheckClientAsync(context);
            await flow();
            login.Succeeded();
        }
        catch (Exception e) when (LoginFailures.Map(e, logger) is { } failure && !context.Response.HasStarted)
        {
            login.Failed(failure, e);
            LoginLog.Refused(logger, context.Request.Path, failure.Code);
            LoginRetry? offered;
            try
            {
                offered = await retry();
            }
            catch (EphemeralStoreUnavailableException unavailable)
            {
                LoginLog.StoreUnavailable(logger, unavailable);
                offered = null;
            }

            await LoginResponses.ErrorPageAsync(context, failure, offered);
        }
    }

    private LoginMeasurement Measure(HttpContext context)
    {
        var flow = context.GetEndpoint()?.Metadata.GetMetadata<LoggedEndpoint>()?.Name ?? "other";
        // A configured key or "unknown": the route value is the client's, and a tag must not take any value it sends.
        var app = context.Request.RouteValues["app"] is string key && apps.IsConfigured(key) ? key : "unknown";
        return new LoginMeasurement(metrics, flow, app);
    }
}
