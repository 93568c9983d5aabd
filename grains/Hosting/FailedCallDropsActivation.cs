namespace Recouvrement.Hosting;

/// <summary>
/// Drops the activation of any engine grain whose call failed. A failed <c>WriteStateAsync</c> leaves the unwritten
/// state in the activation's memory, and the next call would act on it as if it were stored: a retried payment
/// answered "already applied" and then lost with the activation, unsent messages taken for sent. Dropped, the grain
/// reads what storage holds on its next call, and every effect follows from that.
/// </summary>
/// <remarks>
/// Grains answer refusals with outcomes, not exceptions, so a failed call is a failure of storage, of a grain it
/// called, or a bug: in each case reading the state again is right, and costs one read.
/// </remarks>
public sealed class FailedCallDropsActivation : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception) when (context.Grain is Grain grain && grain.GetType().Namespace?.StartsWith("Recouvrement", StringComparison.Ordinal) == true)
        {
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "a call failed: the state is read again from storage"));
            throw;
        }
    }
}
