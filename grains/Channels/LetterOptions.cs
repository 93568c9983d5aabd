using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Channels;

/// <summary>Letters as PDF files for a print provider. Bound from <c>Recouvrement:Channels:Letters</c>.</summary>
public sealed class LetterOptions
{
    public const string Section = "Recouvrement:Channels:Letters";

    /// <summary>The folder letters are written to, one sub-folder per creditor. Default: <c>outbox/letters</c>.</summary>
    [Required]
    public string Path { get; set; } = System.IO.Path.Combine("outbox", "letters");

    /// <summary>A TrueType font for the letters' text; default: DejaVu Sans where Debian installs it.</summary>
    public string? FontPath { get; set; }

    public string? BoldFontPath { get; set; }

    /// <summary>
    /// How the print provider sends a formal notice — <c>simple</c>, <c>registered</c> (recommandé avec accusé de réception)
    /// or <c>electronic_registered</c> — written in its manifest and shown in the litigation dossier. Default: <c>registered</c>.
    /// </summary>
    [Required, AllowedValues("simple", "registered", "electronic_registered", ErrorMessage = "{0} must be simple, registered or electronic_registered")]
    public string FormalNoticeMode { get; set; } = "registered";
}
