namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Tests that load the whole machine (several gateway processes under steady traffic) run alone, after the parallel
/// ones: beside them, every other test's bounded waits would measure their load instead (the machines have two cores).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeMachineCollection
{
    public const string Name = "WholeMachine";
}
