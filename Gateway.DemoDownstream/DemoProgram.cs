namespace Gateway.DemoDownstream;

/// <summary>Runs the demo downstream on its own.</summary>
public static class DemoProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.Run();
    }
}
