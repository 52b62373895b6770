using Gateway.Auth.Identity;
using Gateway.Auth.Sessions;
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
        var identity = await resolver.ResolveAsync(login, cancellationToken).ConfigureAwait(false);
        var issuer = context.RequestServices.GetRequiredService<ISessionIssuer>();
        var session = await issuer.IssueAsync(context, identity, transport, cancellationToken).ConfigureAwait(false);
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
        try
        {
            rateLimits.CheckClient(context);
            await flow().ConfigureAwait(false);
        }
        catch (Exception e) when (LoginFailures.Map(e, logger) is { } failure && !context.Response.HasStarted)
        {
            LoginLog.Refused(logger, context.Request.Path, failure.Code);
            await LoginResponses.ErrorJsonAsync(context, failure).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a browser endpoint; failures become an error page offering <paramref name="retryUrl"/>.</summary>
    public async Task RunPageAsync(HttpContext context, string? retryUrl, Func<Task> flow)
    {
        try
        {
            rateLimits.CheckClient(context);
            await flow().ConfigureAwait(false);
        }
        catch (Exception e) when (LoginFailures.Map(e, logger) is { } failure && !context.Response.HasStarted)
        {
            LoginLog.Refused(logger, context.Request.Path, failure.Code);
            await LoginResponses.ErrorPageAsync(context, failure, retryUrl).ConfigureAwait(false);
        }
    }
}
