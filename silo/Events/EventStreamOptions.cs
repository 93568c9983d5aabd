using System.ComponentModel.DataAnnotations;
using Recouvrement.Hosting;

namespace Recouvrement.Silo.Events;

/// <summary>
/// <c>Recouvrement:Events:Stream</c>: the persistent event stream on PostgreSQL (Orleans' ADO.NET stream provider, its
/// queues in <c>orleans_stream_message</c>). The embedded default uses Orleans' memory streams and reads none of this.
/// </summary>
public sealed class EventStreamOptions : IValidatableObject
{
    public const string Section = "Recouvrement:Events:Stream";

    /// <summary>
    /// Queues the streams are spread over; each is read by one pulling agent, and Orleans balances the agents over the
    /// silos, so this is also how many silos can share the reading. Changing it moves streams to other queues: change it
    /// with the cluster stopped and the queues empty. Default: 8.
    /// </summary>
    [Range(1, 1024)]
    public int Queues { get; set; } = 8;

    /// <summary>
    /// Messages (each one batch of one stream's events) a silo holds per queue until every consumer has them; a tenth of
    /// it is read at a time. Default: 1,024.
    /// </summary>
    [Range(10, 100_000)]
    public int CacheSize { get; set; } = 1024;

    /// <summary>
    /// How long a message read by a silo stays hidden from the others. A message its silo never confirmed (the silo
    /// died) is delivered again after this, so it bounds how late events come after a crash; it must exceed the time a
    /// read batch takes to reach its consumers, or that batch is read and delivered twice. Default: 30 s.
    /// </summary>
    [AtLeast("00:00:01")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads of one message before it goes to the dead letters. A crash counts one, and so does a queue handed to
    /// another silo (a rolling restart hands each queue over several times): ten leaves room for those and still stops
    /// a message no consumer can take. Default: 10.
    /// </summary>
    [Positive]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>
    /// Age after which a message still undelivered goes to the dead letters whatever its attempts. Long on purpose: a
    /// backlog or a stopped cluster must delay events, not drop them. Default: 7 days.
    /// </summary>
    public TimeSpan ExpiryTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long dead letters are kept for an operator to look at and requeue (<c>docs/operations.md</c>). Default: 30 days.
    /// </summary>
    [Positive]
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ExpiryTimeout <= VisibilityTimeout)
        {
            yield return new ValidationResult("must be longer than VisibilityTimeout", [nameof(ExpiryTimeout)]);
        }
    }
}
