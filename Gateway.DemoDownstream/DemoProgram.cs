namespace Gateway.DemoDownstream;

/// <summary>Runs the demo downstream on its own: <c>dotnet run --project Gateway.DemoDownstream -- --urls http://127.0.0.1:5081</c>.</summary>
public static class DemoProgram
{
    public static void Main(string[] args) => DemoDownstreamApp.Create(args).Run();
}
