using Recouvrement.Events;

namespace Recouvrement.Hosting;

/// <summary>
/// A grain state that carries the events of its last change to storage, which writes them in the same transaction as
/// the state itself (the transactional outbox): a state change and its events are stored together or not at all.
/// The events are not part of the serialized state; the grain clears them once the write succeeded.
/// </summary>
public interface IEventSource
{
    ImmutableList<EngineEvent> NewEvents { get; }
}

/// <summary>Numbers and identifies the events of one source (a case, a debtor).</summary>
public static class EventIds
{
    /// <summary>A stable id: the same source and rank always give the same id.</summary>
    public static string For(string kind, string creditorId, string reference, long sequence) =>
        "evt_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{kind}|{creditorId}|{reference}|{sequence}")))[..26];
}
