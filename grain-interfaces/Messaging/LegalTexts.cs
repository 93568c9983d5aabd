namespace Recouvrement.Messaging;

/// <summary>Texts the law wants printed word for word.</summary>
public static class LegalTexts
{
    /// <summary>CPCE art. L111-8, second and third paragraphs, which R124-4 (5°) wants reproduced.</summary>
    public const string L111Paragraphs2And3 =
        "« Toute stipulation contraire est réputée non écrite, sauf disposition législative contraire. " +
        "Cependant, le créancier qui justifie du caractère nécessaire des démarches entreprises pour recouvrer sa créance " +
        "peut demander au juge de l'exécution de laisser tout ou partie des frais ainsi exposés à la charge du débiteur de mauvaise foi. »";

    /// <summary>A short human reference for a message, printed on it and repeated in later ones: <c>R-1A2B3C4D</c>.</summary>
    public static string Reference(string messageId) =>
        "R-" + (messageId.StartsWith("msg_", StringComparison.Ordinal) ? messageId[4..] : messageId)[..Math.Min(8, messageId.Length)].ToUpperInvariant();
}
