using Npgsql;
using NpgsqlTypes;
using Recouvrement.Events;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Rows of <c>recouvrement_case_summary</c>, the read model: inserted with what the creditor fed when a case is created
/// (in the transaction that stores the case), then updated by the projection, each time only over an older row (by the
/// case's event sequence), so a replayed or late event never turns a case back.
/// </summary>
public static class CaseSummaryRows
{
    private const string Columns = """
        service_id, creditor_id, reference, debtor_reference, status, stage, amount, paid, balance, currency, issued_on, due_on,
        next_step_at, next_action, last_event, created_at, updated_at, sequence
        """;

    /// <summary>The summaries' arrays as rows <c>u</c>, with more arrays after them when a statement needs them.</summary>
    private static string Unnested(string moreArrays = "", string moreColumns = "") => $"""
        unnest(@creditor_ids, @references, @debtor_references, @statuses, @stages, @amounts, @paid, @balances, @currencies,
               @issued_on, @due_on, @next_step_at, @next_actions, @last_events, @created_at, @updated_at, @sequences{moreArrays})
        AS u(creditor_id, reference, debtor_reference, status, stage, amount, paid, balance, currency, issued_on, due_on,
             next_step_at, next_action, last_event, created_at, updated_at, sequence{moreColumns})
        """;

    private const string Values = """
        @service_id, u.creditor_id, u.reference, u.debtor_reference, u.status, u.stage, u.amount, u.paid, u.balance, u.currency,
        u.issued_on, u.due_on, u.next_step_at, u.next_action, u.last_event, u.created_at, u.updated_at, u.sequence
        """;

    /// <summary>New cases' rows, with what the creditor fed; a row already there (a replay) is left alone.</summary>
    public static async Task InsertCreatedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string serviceId,
        IReadOnlyList<(string CreditorId, CaseSummary Summary, CaseParties Parties)> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand($"""
            INSERT INTO recouvrement_case_summary ({Columns},
                label, debtor_kind, debtor_name, email, phone, address_line1, postal_code, city, country, language)
            SELECT {Values}, u.label, u.debtor_kind, u.debtor_name, u.email, u.phone, u.address_line1, u.postal_code, u.city, u.country, u.language
            FROM {Unnested(", @labels, @debtor_kinds, @debtor_names, @emails, @phones, @lines, @postal_codes, @cities, @countries, @languages",
                ", label, debtor_kind, debtor_name, email, phone, address_line1, postal_code, city, country, language")}
            ON CONFLICT (service_id, creditor_id, reference) DO NOTHING
            """, connection, transaction);
        AddSummaries(command, serviceId, [.. rows.Select(r => (r.CreditorId, r.Summary))]);
        var p = command.Parameters;
        var parties = rows.Select(r => r.Parties).ToList();
        p.Add(Texts("labels", parties.Select(x => x.Label)));
        p.Add(Texts("debtor_kinds", parties.Select(x => (string?)x.Debtor.Kind.ToString().ToLowerInvariant())));
        p.Add(Texts("debtor_names", parties.Select(x => (string?)x.Debtor.Name)));
        p.Add(Texts("emails", parties.Select(x => x.Debtor.Email)));
        p.Add(Texts("phones", parties.Select(x => x.Debtor.Phone)));
        p.Add(Texts("lines", parties.Select(x => x.Debtor.Address?.Line1)));
        p.Add(Texts("postal_codes", parties.Select(x => x.Debtor.Address?.PostalCode)));
        p.Add(Texts("cities", parties.Select(x => x.Debtor.Address?.City)));
        p.Add(Texts("countries", parties.Select(x => x.Debtor.Address?.Country)));
        p.Add(Texts("languages", parties.Select(x => x.Debtor.Language)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The latest summary of each case, each only over an older one.</summary>
    public static async Task UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string serviceId, IReadOnlyList<(string CreditorId, CaseSummary Summary)> summaries)
    {
        // One row per case and statement: a batch holding two events of one case keeps the later. A summary the row
        // already holds (a case's creation, written with the case; a redelivery) is left out before the insert: the
        // conflict clause would skip it too, but only after locking the row, which costs a write for nothing.
        var rows = summaries.GroupBy(b => (b.CreditorId, b.Summary.Reference)).Select(g => g.MaxBy(b => b.Summary.Sequence)).ToList();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO recouvrement_case_summary AS s ({Columns})
            SELECT {Values}
            FROM {Unnested()}
            WHERE NOT EXISTS (
                SELECT 1 FROM recouvrement_case_summary AS held
                WHERE held.service_id = @service_id AND held.creditor_id = u.creditor_id AND held.reference = u.reference
                  AND held.sequence >= u.sequence)
            ON CONFLICT (service_id, creditor_id, reference) DO UPDATE SET
                debtor_reference = excluded.debtor_reference, status = excluded.status, stage = excluded.stage, amount = excluded.amount,
                paid = excluded.paid, balance = excluded.balance, currency = excluded.currency, issued_on = excluded.issued_on,
                due_on = excluded.due_on, next_step_at = excluded.next_step_at, next_action = excluded.next_action,
                last_event = excluded.last_event, updated_at = excluded.updated_at, sequence = excluded.sequence
            WHERE s.sequence < excluded.sequence
            """, connection, transaction);
        AddSummaries(command, serviceId, rows);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Blanks what the creditor fed about a debtor's cases.</summary>
    public static async Task EraseDebtorAsync(NpgsqlDataSource database, string serviceId, string creditorId, string debtorReference)
    {
        await using var command = database.CreateCommand("""
            UPDATE recouvrement_case_summary
            SET label = NULL, debtor_kind = NULL, debtor_name = NULL, email = NULL, phone = NULL, address_line1 = NULL,
                postal_code = NULL, city = NULL, country = NULL, language = NULL
            WHERE service_id = @service_id AND creditor_id = @creditor_id AND debtor_reference = @debtor_reference
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string>("creditor_id", creditorId));
        command.Parameters.Add(new NpgsqlParameter<string>("debtor_reference", debtorReference));
        await command.ExecuteNonQueryAsync();
    }

    private static void AddSummaries(NpgsqlCommand command, string serviceId, IReadOnlyList<(string CreditorId, CaseSummary Summary)> rows)
    {
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string>("service_id", serviceId));
        p.Add(new NpgsqlParameter<string[]>("creditor_ids", [.. rows.Select(r => r.CreditorId)]));
        p.Add(new NpgsqlParameter<string[]>("references", [.. rows.Select(r => r.Summary.Reference)]));
        p.Add(new NpgsqlParameter<string[]>("debtor_references", [.. rows.Select(r => r.Summary.DebtorReference)]));
        p.Add(new NpgsqlParameter<string[]>("statuses", [.. rows.Select(r => Cases.CaseStatuses.Wire(r.Summary.Status))]));
        p.Add(new NpgsqlParameter<int[]>("stages", [.. rows.Select(r => r.Summary.Stage)]));
        p.Add(new NpgsqlParameter<decimal[]>("amounts", [.. rows.Select(r => r.Summary.Amount)]));
        p.Add(new NpgsqlParameter<decimal[]>("paid", [.. rows.Select(r => r.Summary.Paid)]));
        p.Add(new NpgsqlParameter<decimal[]>("balances", [.. rows.Select(r => r.Summary.Balance)]));
        p.Add(new NpgsqlParameter<string[]>("currencies", [.. rows.Select(r => r.Summary.Currency)]));
        p.Add(new NpgsqlParameter<DateOnly[]>("issued_on", [.. rows.Select(r => r.Summary.IssuedOn)]));
        p.Add(new NpgsqlParameter<DateOnly[]>("due_on", [.. rows.Select(r => r.Summary.DueOn)]));
        p.Add(new NpgsqlParameter<DateTime?[]>("next_step_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            TypedValue = [.. rows.Select(r => r.Summary.NextStepAt?.UtcDateTime)],
        });
        p.Add(Texts("next_actions", rows.Select(r => r.Summary.NextAction)));
        p.Add(new NpgsqlParameter<string[]>("last_events", [.. rows.Select(r => r.Summary.LastEvent)]));
        p.Add(new NpgsqlParameter<DateTimeOffset[]>("created_at", [.. rows.Select(r => r.Summary.CreatedAt.ToUniversalTime())]));
        p.Add(new NpgsqlParameter<DateTimeOffset[]>("updated_at", [.. rows.Select(r => r.Summary.UpdatedAt.ToUniversalTime())]));
        p.Add(new NpgsqlParameter<long[]>("sequences", [.. rows.Select(r => r.Summary.Sequence)]));
    }

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new NpgsqlParameter<string?[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values] };
}
