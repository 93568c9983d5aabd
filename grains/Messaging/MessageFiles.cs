using System.Text.Json;
using Recouvrement.Channels;

namespace Recouvrement.Messaging;

/// <summary>
/// The files messages leave on disk: the outbox folder's JSON (e-mails and SMS not sent through a provider) and the
/// letters' PDFs and manifests waiting for the print provider. An erasure deletes a debtor's.
/// </summary>
public sealed class MessageFiles(OutboxFolderChannel outbox, LetterChannel letters)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Deletes every file naming the debtor; returns how many messages' files went.</summary>
    public int EraseDebtor(string creditorId, string debtorReference)
    {
        var erased = 0;
        if (Directory.Exists(outbox.Folder))
        {
            foreach (var file in Directory.EnumerateFiles(outbox.Folder, "msg_*.json"))
            {
                if (Names(file, "creditorId", creditorId) && Names(file, "debtorReference", debtorReference))
                {
                    File.Delete(file);
                    erased++;
                }
            }
        }

        var creditorLetters = Path.Combine(letters.Folder, creditorId);
        if (Directory.Exists(creditorLetters))
        {
            foreach (var manifest in Directory.EnumerateFiles(creditorLetters, "msg_*.json"))
            {
                if (Names(manifest, "debtorReference", debtorReference))
                {
                    File.Delete(Path.ChangeExtension(manifest, ".pdf"));
                    File.Delete(manifest);
                    erased++;
                }
            }
        }

        return erased;
    }

    /// <summary>Whether a message's JSON file has <paramref name="property"/> equal to <paramref name="value"/>; false for a file being replaced.</summary>
    private static bool Names(string file, string property, string value)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String && found.GetString() == value;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return false;
        }
    }
}
