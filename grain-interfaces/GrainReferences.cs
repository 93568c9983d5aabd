using Orleans.Runtime;

namespace Recouvrement;

/// <summary>
/// Grain references by string key without resolving the interface each time. Orleans'
/// <c>GetGrain&lt;T&gt;(key)</c> works out the interface's type name and the grain type from the
/// <see cref="Type"/> on every call (reflection over its attributes, then formatting the type's name), which a
/// burst of due cases did several times per case. Both are a function of the interface alone, so they are found
/// once, through Orleans itself, and every later reference is made from them.
/// </summary>
public static class GrainReferences
{
    public static T Reference<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        if (Resolved<T>.Types is { } known)
        {
            return (T)grains.GetGrain(GrainId.Create(known.Grain, key), known.Interface);
        }

        var grain = grains.GetGrain<T>(key);
        var reference = (GrainReference)(object)grain;
        Resolved<T>.Types = new Known(reference.GrainId.Type, reference.InterfaceType);
        return grain;
    }

    /// <summary>A class, so that another thread sees both types or none.</summary>
    private sealed record Known(GrainType Grain, GrainInterfaceType Interface);

    private static class Resolved<T>
    {
        public static Known? Types;
    }
}
