using System.Text.Json;
using System.Text.RegularExpressions;
using Recouvrement.Channels;
using Recouvrement.Messaging;

namespace Recouvrement.Litigation;

/// <summary>Reads what the letter channel wrote beside a letter: its manifest, and the tracking the print provider reported.</summary>
public static partial class LetterManifests
{
    public static bool IsLetterId(string id) => IdPattern().IsMatch(id);

    public static LetterManifest? Read(string file)
    {
        try
        {
            return JsonSerializer.Deserialize<LetterManifest>(File.ReadAllBytes(file), LetterChannel.Json);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    public static LetterTracking? ReadTracking(string file) => LetterTracking.Read(file);

    [GeneratedRegex("^msg_[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
