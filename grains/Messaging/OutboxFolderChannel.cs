using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Recouvrement.Messaging;

/// <summary>
/// The embedded default channel: every message becomes one JSON file named by its id, written atomically,
/// so a retried message replaces its own file instead of adding a second one.
/// </summary>
public sealed class OutboxFolderChannel(IOptions<OutboxOptions> options) : IMessageChannel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string Folder { get; } = System.IO.Path.GetFullPath(options.Value.Path);

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Folder);
        var target = System.IO.Path.Combine(Folder, message.MessageId + ".json");
        var temporary = target + ".tmp";
        await using (var file = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(file, message, Json, cancellationToken);
        }

        File.Move(temporary, target, overwrite: true);
        return SendResult.Sent("outbox:" + message.MessageId);
    }
}
