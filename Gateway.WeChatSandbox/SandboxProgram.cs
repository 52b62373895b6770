namespace Gateway.WeChatSandbox;

/// <summary>Runs the sandbox on its own.</summary>
public static class SandboxProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.Run();
    }
}
