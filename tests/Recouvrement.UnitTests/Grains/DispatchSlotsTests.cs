using Microsoft.Extensions.Options;
using Recouvrement.Debtors;

namespace Recouvrement.Tests.Grains;

public sealed class DispatchSlotsTests
{
    [Fact]
    public async Task No_more_dispatches_run_at_once_than_configured_and_a_released_slot_lets_the_next_in()
    {
        using var slots = new DispatchSlots(Options.Create(new ContactOptions { MaxConcurrentDispatches = 2 }));
        await slots.WaitAsync();
        await slots.WaitAsync();

        var third = slots.WaitAsync();
        Assert.False(third.IsCompleted);

        slots.Release();
        await third.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_limit_below_one_still_lets_one_dispatch_run()
    {
        using var slots = new DispatchSlots(Options.Create(new ContactOptions { MaxConcurrentDispatches = 0 }));
        await slots.WaitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(slots.WaitAsync().IsCompleted);
    }
}
