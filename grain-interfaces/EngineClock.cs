namespace Recouvrement;

/// <summary>
/// The keyed <see cref="TimeProvider"/> the grains read "now" from. Tests point it (and the reminder clock,
/// <c>ReminderTimeProviderNames.Reminders</c>) at one fake clock; the silo's own background loops stay on real time.
/// </summary>
public static class EngineClock
{
    public const string Key = "Recouvrement.Clock";
}

/// <summary>The name of the grain storage every grain of the engine persists to.</summary>
public static class StorageNames
{
    public const string Default = "recouvrement";
}
