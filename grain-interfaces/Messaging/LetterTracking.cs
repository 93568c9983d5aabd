using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recouvrement.Messaging;

/// <summary>
/// How a letter was sent — <c>simple</c> or <c>registered</c> post, or <c>electronic_registered</c> mail (lettre
/// recommandée électronique) — and the print provider's tracking reference; written beside the letter as
/// <c>{id}.tracking.json</c> by <c>POST /api/v1/letters/{id}/tracking</c>, shown in the litigation dossier.
/// </summary>
public sealed record LetterTracking(string Mode, string? TrackingReference, DateTimeOffset RecordedAt)
{
    /// <summary>The ways a letter may go, as the API spells them.</summary>
    public static readonly IReadOnlyList<string> Modes = ["simple", "registered", "electronic_registered"];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The sidecar of a letter's files: <c>{folder}/{creditorId}/{id}.tracking.json</c>.</summary>
    public static string FileOf(string folder, string creditorId, string letterId) => Path.Combine(folder, creditorId, letterId + ".tracking.json");

    public static LetterTracking? Read(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize<LetterTracking>(File.ReadAllBytes(file), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
