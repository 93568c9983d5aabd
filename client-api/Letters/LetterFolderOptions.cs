using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Api.Letters;

/// <summary>Where letters are read from, from <c>Recouvrement:Channels:Letters</c> (the folder the silos write).</summary>
public sealed class LetterFolderOptions
{
    public const string Section = "Recouvrement:Channels:Letters";

    /// <summary>The folder of letters, one sub-folder per creditor. Default: <c>outbox/letters</c>.</summary>
    [Required]
    public string Path { get; set; } = System.IO.Path.Combine("outbox", "letters");

    /// <summary>The letters' TrueType font, which commission statements print with too; default: DejaVu Sans where Debian installs it.</summary>
    public string? FontPath { get; set; }

    public string? BoldFontPath { get; set; }
}
