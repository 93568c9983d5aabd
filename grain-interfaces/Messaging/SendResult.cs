using Recouvrement.Debtors;

namespace Recouvrement.Messaging;

/// <summary>How a send ended.</summary>
[GenerateSerializer, Alias("rc.SendStatus")]
public enum SendStatus
{
    /// <summary>The provider accepted the message.</summary>
    Sent = 0,

    /// <summary>The provider refused it for good; <see cref="SendResult.Problem"/> says whether the contact point is at fault.</summary>
    Rejected = 1,

    /// <summary>Not sent, and provably so (rate limit, a 503 saying when to come back, provider unreachable): try again later.</summary>
    RetryLater = 2,

    /// <summary>The provider may have sent it (a timeout, a 5xx, a connection cut mid-answer). Never sent again.</summary>
    InDoubt = 3,
}

/// <summary>The outcome of handing a message to a channel.</summary>
[GenerateSerializer, Immutable, Alias("rc.SendResult")]
public sealed record SendResult(
    [property: Id(0)] SendStatus Status,
    [property: Id(1)] string? ProviderId = null,
    [property: Id(2)] DeliveryOutcome? Problem = null,
    [property: Id(3)] string? Code = null,
    [property: Id(4)] TimeSpan? RetryAfter = null)
{
    public static SendResult Sent(string? providerId) => new(SendStatus.Sent, providerId);

    public static SendResult Rejected(DeliveryOutcome? problem, string code) => new(SendStatus.Rejected, Problem: problem, Code: code);

    public static SendResult Retry(string code, TimeSpan? after = null) => new(SendStatus.RetryLater, Code: code, RetryAfter: after);

    public static SendResult Unknown(string code) => new(SendStatus.InDoubt, Code: code);
}
