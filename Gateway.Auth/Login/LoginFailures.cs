using Gateway.Auth.Identity;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Auth.Storage.Relational;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Login;

/// <summary>Turns what went wrong below a login endpoint into what the client is told, logging what operators must see.</summary>
internal static class LoginFailures
{
    public static LoginException? Map(Exception exception, ILogger logger) => exception switch
    {
        LoginException login => login,
        WeChatApiException weChat => FromWeChat(weChat, logger),
        IdentityResolutionException identity => FromIdentity(identity, logger),
        UserDataException userData => FromUserData(userData),
        EphemeralStoreUnavailableException or RelationalStoreUnavailableException => Unavailable(exception, logger),
        _ => null,
    };

    private static LoginException FromWeChat(WeChatApiException e, ILogger logger)
    {
        switch (e.Kind)
        {
            case WeChatErrorKind.InvalidCode:
                return new(StatusCodes.Status400BadRequest, LoginErrorCodes.CodeInvalid, "The WeChat code is invalid, expired or already used: get a new one and try again.");
            case WeChatErrorKind.RateLimited:
                return new(StatusCodes.Status429TooManyRequests, LoginErrorCodes.RateLimited, "WeChat asks to slow down: try again in a minute.") { RetryAfterSeconds = 60 };
            case WeChatErrorKind.HighRisk:
                return new(StatusCodes.Status403Forbidden, LoginErrorCodes.HighRiskUser, "WeChat blocked this login as high risk.");
            case WeChatErrorKind.Configuration:
                LoginLog.WeChatMisconfigured(logger, e.Api, e.Errcode);
                return new(StatusCodes.Status502BadGateway, LoginErrorCodes.WeChatMisconfigured, "The gateway's WeChat configuration is wrong; the operators have been told.");
            case WeChatErrorKind.Unavailable or WeChatErrorKind.InvalidToken:
                return new(StatusCodes.Status503ServiceUnavailable, LoginErrorCodes.WeChatUnavailable, "WeChat is not answering right now: try again shortly.") { RetryAfterSeconds = 5 };
            default:
                LoginLog.WeChatUnexpected(logger, e.Api, e.Errcode, e.Message);
                return new(StatusCodes.Status502BadGateway, LoginErrorCodes.WeChatError, "WeChat answered something the gateway cannot use.");
        }
    }

    private static LoginException FromIdentity(IdentityResolutionException e, ILogger logger) => e.Code switch
    {
        IdentityErrorCodes.SnapshotUser => new(StatusCodes.Status403Forbidden, LoginErrorCodes.SnapshotUser, "This is a snapshot-page visitor: open the page and authorize for real to log in."),
        IdentityErrorCodes.PersonDisabled => new(StatusCodes.Status403Forbidden, LoginErrorCodes.PersonDisabled, "This account has been disabled."),
        IdentityErrorCodes.IdentityConflict => new(StatusCodes.Status409Conflict, LoginErrorCodes.IdentityConflict, "This WeChat account is bound to another identity; contact support."),
        _ => WeChatSentInvalidIdentity(e, logger),
    };

    private static LoginException WeChatSentInvalidIdentity(IdentityResolutionException e, ILogger logger)
    {
        LoginLog.WeChatUnexpected(logger, "identity", null, e.Message);
        return new(StatusCodes.Status502BadGateway, LoginErrorCodes.WeChatError, "WeChat answered an identity the gateway cannot use.");
    }

    private static LoginException FromUserData(UserDataException e) => e.Error switch
    {
        UserDataError.DecryptFailed => new(StatusCodes.Status400BadRequest, LoginErrorCodes.DecryptFailed, "The user data does not decrypt: call wx.login again and start over."),
        UserDataError.WatermarkMismatch => new(StatusCodes.Status400BadRequest, LoginErrorCodes.WatermarkMismatch, "The user data belongs to another app or user: ask the user to authorize again."),
        UserDataError.SignatureInvalid => new(StatusCodes.Status400BadRequest, LoginErrorCodes.SignatureInvalid, "signature does not match rawData: ask the user to authorize again."),
        _ => new(StatusCodes.Status400BadRequest, LoginErrorCodes.InvalidRequest, e.Message),
    };

    private static LoginException Unavailable(Exception e, ILogger logger)
    {
        LoginLog.StoreUnavailable(logger, e);
        return new(StatusCodes.Status503ServiceUnavailable, LoginErrorCodes.ServiceUnavailable, "Login is temporarily unavailable: try again shortly.") { RetryAfterSeconds = 5 };
    }
}
