using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Messaging;

/// <summary>Where the outbox channel writes. Bound from <c>Recouvrement:Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Recouvrement:Outbox";

    /// <summary>The folder that receives one JSON file per message. Default: <c>outbox</c> under the working folder.</summary>
    [Required]
    public string Path { get; set; } = "outbox";
}
