namespace Recouvrement.Tests.Integration;

/// <summary>
/// Tests that run silos as separate processes on a scaled clock, or load the machine (the intake fuzz). They run
/// alone, after the others: on 2 cores, sharing the CPU would stretch their timelines and make membership probes time
/// out, or stretch the other tests' deadlines.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTests
{
    public const string Name = "processes";
}
