namespace Recouvrement.Tests.Integration;

/// <summary>
/// Tests that run silos as separate processes on a scaled clock. They run alone, after the others: on 2 cores,
/// sharing the CPU would stretch their timelines and make membership probes time out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTests
{
    public const string Name = "processes";
}
