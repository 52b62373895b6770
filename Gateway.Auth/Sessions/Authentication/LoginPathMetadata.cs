namespace Gateway.Auth.Sessions.Authentication;

/// <summary>
/// Endpoint metadata: where browser navigation refused for want of a session is sent (e.g.
/// <c>/auth/wechat/oa/oa/start?scope=snsapi_base</c>); the challenge appends <c>returnUrl</c>. An endpoint
/// without it answers 401. yarp.json routes get it from <c>Metadata.LoginPath</c>.
/// </summary>
public sealed record LoginPathMetadata(string Path);
