namespace Gateway.Auth.Sessions.Authentication;

/// <summary>The <c>code</c> of the JSON errors the gateway-session scheme and the session endpoints answer.</summary>
public static class SessionErrorCodes
{
    /// <summary>401: no valid session was presented.</summary>
    public const string SessionRequired = "session_required";

    /// <summary>403: the signed-in user does not meet the route's policy.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>503: a session was presented but the session store could not check it.</summary>
    public const string StoreUnavailable = "session_store_unavailable";
}
