using System.Collections.Concurrent;
using Recouvrement.Messaging;

namespace Recouvrement.Tests.Support;

/// <summary>The outbox folder channel, plus an in-memory list of what went through it for assertions.</summary>
public sealed class RecordingChannel(IMessageChannel inner) : IMessageChannel
{
    private readonly ConcurrentDictionary<string, OutgoingMessage> _byId = new();

    public IReadOnlyList<OutgoingMessage> Messages => [.. _byId.Values.OrderBy(m => m.CreatedAt).ThenBy(m => m.Channel)];

    public int Deliveries { get; private set; }

    public async Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        await inner.SendAsync(message, cancellationToken);
        _byId[message.MessageId] = message;
        Deliveries++;
    }
}
