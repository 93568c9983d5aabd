using Microsoft.Extensions.Options;
using Recouvrement.Calendar;
using Recouvrement.Channels;
using Recouvrement.Documents;
using Recouvrement.Messaging;

namespace Recouvrement.Litigation;

/// <summary>
/// Builds a case's litigation dossier from the grains that hold it (the case, its debtor, the creditor) and the formal
/// notice in the letter folder. Reads only; stateless, so any silo builds any dossier.
/// </summary>
[StatelessWorker]
public sealed class DossierGrain(
    IOptions<AgencyOptions> agency,
    LetterChannel letters,
    DocumentPdf documents,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(EngineClock.Key)] TimeProvider clock) : Grain, IDossierGrain
{
    public async Task<Dossier?> Get(string creditorId, string reference) => (await Assemble(creditorId, reference))?.Dossier;

    public async Task<byte[]?> Pdf(string creditorId, string reference)
    {
        if (await Assemble(creditorId, reference) is not { } assembled)
        {
            return null;
        }

        var notice = assembled.Dossier.FormalNotice is { } n && LetterFile(creditorId, n.LetterId, ".pdf") is { } file ? await File.ReadAllBytesAsync(file) : null;
        return DossierPdf.Write(documents, assembled.Dossier, notice);
    }

    private async Task<(Dossier Dossier, CaseRecord Record)?> Assemble(string creditorId, string reference)
    {
        if (await GrainFactory.Reference<ICaseGrain>(GrainKeys.Compose(creditorId, reference)).GetRecord() is not { } record)
        {
            return null;
        }

        var debtorTask = GrainFactory.Reference<IDebtorGrain>(GrainKeys.Compose(creditorId, record.Debtor.Reference)).Get();
        var creditorTask = GrainFactory.Reference<ICreditorGrain>(creditorId).GetProfileAndSettings();
        var debtor = await debtorTask;
        var (profile, settings) = await creditorTask;
        var contacts = (debtor?.ContactLog ?? [])
            .Where(c => c.Cases.Contains(reference, StringComparer.Ordinal))
            .OrderBy(c => c.SentAt)
            .Select(c => new DossierContact(c.SentAt, c.Channel, c.MessageId, c.ProviderId, c.StoredStatus, c.Detail))
            .ToList();
        var dossier = DossierAssembly.Build(new DossierSources(
            record, debtor, profile?.Name ?? creditorId, settings, agency.Value, FormalNotice(creditorId, contacts), clock.GetUtcNow()), contacts);
        return (dossier, record);
    }

    /// <summary>The newest letter naming the case that was a formal notice, read from its manifest beside the PDF.</summary>
    private DossierNotice? FormalNotice(string creditorId, IReadOnlyList<DossierContact> contacts)
    {
        foreach (var letter in contacts.Where(c => c.Channel == Channel.Letter).Reverse())
        {
            if (LetterFile(creditorId, letter.MessageId, ".json") is not { } file)
            {
                continue;
            }

            var manifest = LetterManifests.Read(file);
            if (manifest?.Kind == ContactKind.FormalNotice)
            {
                var tracking = LetterManifests.ReadTracking(Path.ChangeExtension(file, ".tracking.json"));
                return new DossierNotice(letter.MessageId, manifest.CreatedAt, $"/api/v1/letters/{letter.MessageId}",
                    tracking?.Mode ?? manifest.Mode, tracking?.TrackingReference);
            }
        }

        return null;
    }

    private string? LetterFile(string creditorId, string messageId, string extension)
    {
        var file = Path.Combine(letters.Folder, creditorId, messageId + extension);
        return LetterManifests.IsLetterId(messageId) && File.Exists(file) ? file : null;
    }
}
