using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Recouvrement.Messaging;

namespace Recouvrement.Channels;

/// <summary>What a print provider needs to know about one letter, written beside its PDF.</summary>
public sealed record LetterManifest(
    string Id,
    string Reference,
    string CreditorId,
    string DebtorReference,
    ContactKind Kind,
    DateTimeOffset CreatedAt,
    string RecipientName,
    PostalAddress Address,
    IReadOnlyList<string> Cases,
    string File,
    string? Mode = null);

/// <summary>
/// Letters as PDF files in a folder for a print provider: <c>{Path}/{creditorId}/{messageId}.pdf</c> and a JSON
/// manifest beside it. Written under the message id, so a repeated letter replaces its own files.
/// </summary>
public sealed class LetterChannel(IOptions<LetterOptions> options, IOptions<AgencyOptions> agency, LetterPdf pdf) : IMessageChannel
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string Folder { get; } = Path.GetFullPath(options.Value.Path);

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        if (message.Parties is not { } parties)
        {
            return SendResult.Rejected(DeliveryOutcome.Undeliverable, "no_address");
        }

        var folder = Path.Combine(Folder, message.CreditorId);
        Directory.CreateDirectory(folder);
        var file = message.MessageId + ".pdf";
        await WriteAtomically(Path.Combine(folder, file), pdf.Render(message, agency.Value), cancellationToken);
        var manifest = new LetterManifest(
            message.MessageId, LegalTexts.Reference(message.MessageId), message.CreditorId, message.DebtorReference, message.Kind,
            message.CreatedAt, parties.DebtorName, parties.DebtorAddress, [.. message.Cases.Select(c => c.Reference)], file,
            message.Kind == ContactKind.FormalNotice ? options.Value.FormalNoticeMode : "simple");
        await WriteAtomically(Path.Combine(folder, message.MessageId + ".json"), JsonSerializer.SerializeToUtf8Bytes(manifest, Json), cancellationToken);
        return SendResult.Sent("letter:" + message.MessageId);
    }

    private static async Task WriteAtomically(string target, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = target + ".tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, target, overwrite: true);
    }
}
