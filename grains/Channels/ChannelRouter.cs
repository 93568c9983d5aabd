using Recouvrement.Messaging;

namespace Recouvrement.Channels;

/// <summary>Hands each message to its channel's sender: e-mail, SMS or letter.</summary>
public sealed class ChannelRouter(IMessageChannel email, IMessageChannel sms, IMessageChannel letter) : IMessageChannel
{
    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default) => message.Channel switch
    {
        Channel.Email => email.SendAsync(message, cancellationToken),
        Channel.Sms => sms.SendAsync(message, cancellationToken),
        Channel.Letter => letter.SendAsync(message, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.Channel, "unknown channel"),
    };
}
