namespace Gateway.Auth;
internal static class Placeholder;
