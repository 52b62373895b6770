namespace Gateway.WeChatSandbox;

public static class WeChatSandboxEndpointRouteBuilderExtensions
{
    public const string DefaultPrefix = "/_sandbox/wechat";

    /// <summary>
    /// Maps the WeChat equivalents at WeChat's own paths under <paramref name="prefix"/> (so a client swaps only
    /// the base URL for both open.weixin.qq.com and api.weixin.qq.com), and the helpers under <c>{prefix}/sandbox/</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapWeChatSandbox(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        prefix = prefix.TrimEnd('/');
        if (prefix.Length > 0 && !prefix.StartsWith('/'))
        {
            throw new ArgumentException("The sandbox prefix must be empty or start with '/'.", nameof(prefix));
        }

        var group = endpoints.MapGroup(prefix).ExcludeFromDescription();
        ConnectEndpoints.Map(group, prefix);
        ApiEndpoints.Map(group);
        HelperEndpoints.Map(group, prefix);
        return endpoints;
    }
}
