using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Silo.Hosting;

/// <summary>The demo creditor: made at start-up in the embedded default, or whenever <c>Recouvrement:Demo:ApiKey</c> is set.</summary>
public sealed class DemoOptions
{
    public const string Section = "Recouvrement:Demo";

    /// <summary>The demo creditor's API key. Default: a new random key, printed at start-up.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The demo creditor's id. Default: <c>demo</c>.</summary>
    [Required]
    public string CreditorId { get; set; } = "demo";

    /// <summary>The demo creditor's name, as messages show it. Default: <c>Laboratoire Démo</c>.</summary>
    [Required]
    public string Name { get; set; } = "Laboratoire Démo";
}
