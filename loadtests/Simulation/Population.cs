using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Recouvrement.LoadTests.Simulation;

/// <summary>What a synthetic debtor does on one message.</summary>
public enum Answer
{
    Nothing,
    Pay,
    Dispute,
    Stop,
}

/// <summary>A message as a debtor sees it: what kind, by which channel, at which dunning stage (1 = first).</summary>
public sealed record Received(string Kind, string Channel, int Stage);

/// <summary>How one type answers the messages that match it; a missing key matches anything.</summary>
public sealed record Reaction(string? Kind = null, string? Channel = null, int? MinStage = null, double Pay = 0, double Dispute = 0, double Stop = 0)
{
    public bool Matches(Received message) =>
        (Kind is null || Kind == message.Kind) && (Channel is null || Channel == message.Channel) && (MinStage is null || message.Stage >= MinStage);
}

/// <summary>One kind of debtor: its share of the population and its reactions, first match wins.</summary>
public sealed record DebtorType(string Name, double Share, IReadOnlyList<Reaction> Reactions, bool Unreachable = false);

/// <summary>
/// The synthetic population (<c>loadtests/simulation/population.json</c>): which type each debtor is and what it
/// answers to each message, both drawn from the seed alone, so that the same seed gives the same debtors and answers.
/// </summary>
public sealed record Population(IReadOnlyList<DebtorType> Types)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Population Load(string path)
    {
        var population = JsonSerializer.Deserialize<Population>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path}: empty");
        var total = population.Types.Sum(t => t.Share);
        if (population.Types.Count == 0 || Math.Abs(total - 1) > 1e-6 || population.Types.Any(t => t.Share < 0))
        {
            throw new InvalidDataException($"{path}: the types' shares must be positive and add up to 1 (they add up to {total})");
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

        var u = Draw.Uniform(seed, $"answer/{debtor}/{nth}");
        return u < reaction.Pay ? Answer.Pay
            : u < reaction.Pay + reaction.Dispute ? Answer.Dispute
            : message.Channel == "sms" && u < reaction.Pay + reaction.Dispute + reaction.Stop ? Answer.Stop
            : Answer.Nothing;
    }
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
