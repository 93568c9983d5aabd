using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Recouvrement.Silo.Simulation;

/// <summary>What a synthetic debtor does on one message.</summary>
public enum Answer
{
    Nothing,
    Pay,
    Dispute,
    Stop,
    Plan,
}

/// <summary>A message as a debtor sees it: what kind, by which channel, at which dunning stage (1 = first).</summary>
public sealed record Received(string Kind, string Channel, int Stage);

/// <summary>How one type answers the messages that match it; a missing key matches anything.</summary>
public sealed record Reaction(string? Kind = null, string? Channel = null, int? MinStage = null, double Pay = 0, double Dispute = 0, double Stop = 0, double Plan = 0)
{
    public bool Matches(Received message) =>
        (Kind is null || Kind == message.Kind) && (Channel is null || Channel == message.Channel) && (MinStage is null || message.Stage >= MinStage);
}

/// <summary>
/// One kind of debtor: its share of the population and its reactions, first match wins. An unreachable one (it moved)
/// never answers, and the providers report its e-mails bounced and its number invalid. <see cref="KeepsPlan"/>: the
/// chance it pays each instalment of a plan it asked for.
/// </summary>
public sealed record DebtorType(string Name, double Share, IReadOnlyList<Reaction> Reactions, bool Unreachable = false, double KeepsPlan = 0);

/// <summary>
/// The synthetic population of the simulator and the demo (<c>loadtests/simulation/population.json</c>, built into the silo):
/// which type each debtor is and what it answers to each message, both drawn from the seed alone, so that the same seed
/// gives the same debtors and answers.
/// </summary>
public sealed record Population(IReadOnlyList<DebtorType> Types)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The population file built into the silo.</summary>
    public static Population Default()
    {
        using var stream = typeof(Population).Assembly.GetManifestResourceStream("Simulation.population.json")
            ?? throw new InvalidOperationException("the silo was built without loadtests/simulation/population.json");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "population.json");
    }

    public static Population Load(string path) => Parse(File.ReadAllText(path), path);

    private static Population Parse(string json, string name)
    {
        var population = JsonSerializer.Deserialize<Population>(json, Json)
            ?? throw new InvalidDataException($"{name}: empty");
        var total = population.Types.Sum(t => t.Share);
        if (population.Types.Count == 0 || Math.Abs(total - 1) > 1e-6 || population.Types.Any(t => t.Share < 0))
        {
            throw new InvalidDataException($"{name}: the types' shares must be positive and add up to 1 (they add up to {total})");
        }

        return population;
    }

    /// <summary>The type of the debtor at <paramref name="index"/>: the one whose share of [0, 1) holds its draw.</summary>
    public DebtorType TypeOf(int seed, int index)
    {
        var u = Draw.Uniform(seed, $"type/{index}");
        var upTo = 0.0;
        foreach (var type in Types)
        {
            upTo += type.Share;
            if (u < upTo)
            {
                return type;
            }
        }

        return Types[^1];
    }

    /// <summary>What <paramref name="debtor"/> answers to its <paramref name="nth"/> message (0 = first).</summary>
    public static Answer AnswerTo(int seed, string debtor, int nth, DebtorType type, Received message)
    {
        if (type.Unreachable || type.Reactions.FirstOrDefault(r => r.Matches(message)) is not { } reaction)
        {
            return Answer.Nothing;
        }

        // Pay, dispute, stop, then plan: a population without plans draws exactly what it drew before plans existed.
        var u = Draw.Uniform(seed, $"answer/{debtor}/{nth}");
        var stop = message.Channel == "sms" ? reaction.Stop : 0;
        return u < reaction.Pay ? Answer.Pay
            : u < reaction.Pay + reaction.Dispute ? Answer.Dispute
            : u < reaction.Pay + reaction.Dispute + stop ? Answer.Stop
            : u < reaction.Pay + reaction.Dispute + stop + reaction.Plan ? Answer.Plan
            : Answer.Nothing;
    }

    /// <summary>Whether <paramref name="debtor"/> pays its plan's instalment number <paramref name="number"/> when reminded of it.</summary>
    public static bool KeepsInstalment(int seed, string debtor, int number, DebtorType type) =>
        Draw.Uniform(seed, $"instalment/{debtor}/{number}") < type.KeepsPlan;
}

/// <summary>Draws in [0, 1) from a seed and a key: SHA-256, the same on every machine and run (unlike <see cref="Random"/>'s sequences across versions).</summary>
public static class Draw
{
    public static double Uniform(int seed, string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{key}"), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
