using Microsoft.Extensions.Options;

namespace Recouvrement.Debtors;

/// <summary>
/// The silo's limit on debtors dispatching at once (<see cref="ContactOptions.MaxConcurrentDispatches"/>): a burst
/// of due debtors sends at the pace the silo can sustain, each dispatch's calls and provider requests answered
/// well within their timeouts, instead of all of them starting together and timing out.
/// </summary>
public sealed class DispatchSlots(IOptions<ContactOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(Math.Max(1, options.Value.MaxConcurrentDispatches));

    public Task WaitAsync() => slots.WaitAsync();

    public void Release() => slots.Release();

    public void Dispose() => slots.Dispose();
}
