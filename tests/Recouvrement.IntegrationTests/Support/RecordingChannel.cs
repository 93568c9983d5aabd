using System.Collections.Concurrent;
using Recouvrement.Messaging;

namespace Recouvrement.Tests.Support;

/// <summary>The engine's own channels, plus an in-memory list of what went through them and how it ended, for assertions.</summary>
public sealed class RecordingChannel : IMessageChannel
{
    private readonly ConcurrentDictionary<string, OutgoingMessage> _byId = new();
    private readonly ConcurrentQueue<(OutgoingMessage Message, SendResult Result)> _attempts = new();
    private IMessageChannel? _inner;

    public IReadOnlyList<OutgoingMessage> Messages => [.. _byId.Values.OrderBy(m => m.CreatedAt).ThenBy(m => m.Channel)];

    /// <summary>Every hand-over to a channel, in order, with its result.</summary>
    public IReadOnlyList<(OutgoingMessage Message, SendResult Result)> Attempts => [.. _attempts];

    public int Deliveries => _attempts.Count(a => a.Result.Status == SendStatus.Sent);

    /// <summary>Called when a message is handed over, before the real channel sees it; may throw to simulate a crash.</summary>
    public Func<OutgoingMessage, SendResult, SendResult>? AfterSend { get; set; }

    /// <summary>Awaited when a message is handed over, before the real channel sees it: a test can hold a dispatch there.</summary>
    public Func<OutgoingMessage, Task>? BeforeSend { get; set; }

    public RecordingChannel Over(IMessageChannel inner)
    {
        _inner = inner;
        return this;
    }

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        if (BeforeSend is { } before)
        {
            await before(message);
        }

        var result = await (_inner ?? throw new InvalidOperationException("no channel to record")).SendAsync(message, cancellationToken);
        _attempts.Enqueue((message, result));
        if (result.Status == SendStatus.Sent)
        {
            _byId[message.MessageId] = message;
        }

        return AfterSend is { } after ? after(message, result) : result;
    }
}
