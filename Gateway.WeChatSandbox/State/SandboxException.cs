namespace Gateway.WeChatSandbox;

/// <summary>
/// A sandbox helper operation was asked for something the data set cannot give (unknown app or user, wrong app
/// kind, no phone, no session yet). Helper endpoints answer it as <c>{"code","message"}</c> with <see cref="StatusCode"/>.
/// </summary>
public sealed class SandboxException(string code, string message, int statusCode = StatusCodes.Status400BadRequest)
    : Exception(message)
{
    public string Code { get; } = code;

    public int StatusCode { get; } = statusCode;
}
