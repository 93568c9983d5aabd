using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Silo.Hosting;

/// <summary>
/// The demo creditor, bound from <c>Recouvrement:Demo</c>: made at start-up in the embedded default, or whenever
/// <c>Recouvrement:Demo:ApiKey</c> is set; and the simulated portfolio the <c>demo</c> command feeds it.
/// </summary>
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

    /// <summary>The <c>demo</c> command's simulated debtors, one case each. Default: 3,000.</summary>
    [Range(1, 1_000_000)]
    public int Debtors { get; set; } = 3_000;

    /// <summary>The seed of the <c>demo</c> command's population and answers. Default: 1.</summary>
    public int Seed { get; set; } = 1;
}
