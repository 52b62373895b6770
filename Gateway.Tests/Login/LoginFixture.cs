namespace Gateway.Tests.Login;

/// <summary>One testbed for a test class whose tests do not disturb each other (xunit runs them one at a time).</summary>
public sealed class LoginFixture : IAsyncLifetime
{
    public LoginTestbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() => Bed = await LoginTestbed.StartAsync();

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
