using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Recouvrement.Silo.Simulation;

/// <summary>
/// A synthetic portfolio: debtor <c>SIM-000001</c> and up, one case each (<c>SIM-F000001</c>, 15 to 80 EUR, due on
/// <paramref name="dueOn"/>), its type drawn from the population; fed to the engine through the creditor API as a
/// creditor does, in batches.
/// </summary>
public sealed class Portfolio(Population population, int seed, DateOnly dueOn)
{
    private readonly Dictionary<string, DebtorType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Case, decimal Amount)> _cases = new(StringComparer.Ordinal);

    public int Seed => seed;

    /// <summary>Each debtor's type.</summary>
    public IReadOnlyDictionary<string, DebtorType> Types => _types;

    /// <summary>Each debtor's case and its amount.</summary>
    public IReadOnlyDictionary<string, (string Case, decimal Amount)> Cases => _cases;

    /// <summary>Feeds debtors 1 to <paramref name="debtors"/> with the creditor's client; fails when one is not created.</summary>
    public async Task FeedAsync(HttpClient creditor, int debtors, CancellationToken cancellationToken = default)
    {
        for (var start = 1; start <= debtors; start += 1_000)
        {
            var batch = new JsonArray();
            for (var i = start; i < Math.Min(start + 1_000, debtors + 1); i++)
            {
                batch.Add(Add(i));
            }

            using var fed = await creditor.PostAsync("/api/v1/cases/batch", JsonContent.Create(batch), cancellationToken);
            var answer = await fed.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
            var created = answer?["created"]?.GetValue<int>() ?? 0;
            if (created != batch.Count)
            {
                throw new InvalidOperationException($"{created} of {batch.Count} cases created ({(int)fed.StatusCode})");
            }
        }
    }

    private JsonObject Add(int i)
    {
        var debtor = $"SIM-{i:D6}";
        _types[debtor] = population.TypeOf(seed, i);
        var amount = 15m + Math.Floor((decimal)Draw.Uniform(seed, $"amount/{i}") * 6_500m) / 100m;
        _cases[debtor] = ($"SIM-F{i:D6}", amount);
        return new JsonObject
        {
            ["reference"] = $"SIM-F{i:D6}", ["amount"] = amount, ["issuedOn"] = dueOn.AddDays(-30).ToString("O"), ["dueOn"] = dueOn.ToString("O"),
            ["debtor"] = new JsonObject
            {
                ["reference"] = debtor, ["kind"] = "consumer", ["name"] = $"Débiteur {i}", ["email"] = $"sim{i}@example.org",
                ["phone"] = $"+336{i:D8}",
                ["address"] = new JsonObject { ["line1"] = $"{i % 200 + 1} rue de la Paix", ["postalCode"] = "75002", ["city"] = "Paris", ["country"] = "FR" },
            },
        };
    }
}
