namespace Recouvrement.Users;

/// <summary>What a creditor's user may do in the console: an admin manages, an agent works cases, a viewer reads.</summary>
[GenerateSerializer, Alias("rc.UserRole")]
public enum UserRole
{
    Admin = 0,
    Agent = 1,
    Viewer = 2,
}

/// <summary>Where a user stands: invited (no password yet) or active.</summary>
[GenerateSerializer, Alias("rc.UserStatus")]
public enum UserStatus
{
    Invited = 0,
    Active = 1,
}

/// <summary>A user as the operator and the creditor's admins see them: never a password, a hash, an invitation or a session.</summary>
[GenerateSerializer, Immutable, Alias("rc.ConsoleUser")]
public sealed record ConsoleUser(
    [property: Id(0)] string Id,
    [property: Id(1)] string Email,
    [property: Id(2)] UserRole Role,
    [property: Id(3)] UserStatus Status,
    [property: Id(4)] DateTimeOffset InvitedAt,
    [property: Id(5)] DateTimeOffset? InvitationExpiresAt,
    [property: Id(6)] DateTimeOffset? ActivatedAt,
    [property: Id(7)] DateTimeOffset? LastSignInAt);

/// <summary>How an invitation ended.</summary>
[GenerateSerializer, Alias("rc.InvitationOutcome")]
public enum InvitationOutcome
{
    /// <summary>The user is invited (or invited again: the earlier link stops working).</summary>
    Invited = 0,

    /// <summary>The e-mail belongs to an active user of this creditor already.</summary>
    AlreadyActive = 1,

    /// <summary>The e-mail belongs to a user of another creditor: one e-mail signs in to one creditor.</summary>
    TakenElsewhere = 2,
}

/// <summary>The answer to an invitation, with the user as it now stands when invited.</summary>
[GenerateSerializer, Immutable, Alias("rc.InvitationResult")]
public sealed record InvitationResult(
    [property: Id(0)] InvitationOutcome Outcome,
    [property: Id(1)] ConsoleUser? User);

/// <summary>What the sign-in needs of a user: the password's hash (null while invited) and the role.</summary>
[GenerateSerializer, Immutable, Alias("rc.UserCredentials")]
public sealed record UserCredentials(
    [property: Id(0)] string UserId,
    [property: Id(1)] UserRole Role,
    [property: Id(2)] string? PasswordHash);

/// <summary>Which user of which creditor an e-mail signs in as.</summary>
[GenerateSerializer, Immutable, Alias("rc.UserAccount")]
public sealed record UserAccount(
    [property: Id(0)] string CreditorId,
    [property: Id(1)] string UserId);

/// <summary>Where a sign-in with an address goes (null: nobody), and how long it must wait before a password is tried.</summary>
[GenerateSerializer, Immutable, Alias("rc.SignInGate")]
public sealed record SignInGate(
    [property: Id(0)] UserAccount? Account,
    [property: Id(1)] TimeSpan Wait);

/// <summary>
/// How repeated wrong passwords for one address are slowed down: the first <see cref="FreeFailures"/> cost nothing, then
/// each further attempt waits <see cref="FirstDelay"/> after the last failure, doubling with each failure up to
/// <see cref="MaxDelay"/>. A good password starts the count again.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.SignInThrottle")]
public sealed record SignInThrottle(
    [property: Id(0)] int FreeFailures,
    [property: Id(1)] TimeSpan FirstDelay,
    [property: Id(2)] TimeSpan MaxDelay)
{
    /// <summary>How long after <paramref name="lastFailure"/> the next attempt must wait, given <paramref name="failures"/> in a row; zero once that time has passed.</summary>
    public TimeSpan Wait(int failures, DateTimeOffset lastFailure, DateTimeOffset now)
    {
        if (failures < FreeFailures)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - FreeFailures, 30);
        var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks * (1L << Math.Min(doublings, 20))));
        var left = lastFailure + delay - now;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}

/// <summary>
/// The console users of one creditor, keyed by the creditor's id: invitations, password hashes (the API hashes; the
/// grain never sees a password), roles and sessions. Times come from the caller (wall-clock time of the API process):
/// they record what people did, not the engine's clock.
/// </summary>
public interface ICreditorUsersGrain : IGrainWithStringKey
{
    /// <summary>
    /// Invites <paramref name="email"/> (lower-cased) with <paramref name="role"/>; the link's secret is stored only as its
    /// SHA-256. Inviting an invited user again replaces the role and the link.
    /// </summary>
    Task<InvitationResult> Invite(string email, UserRole role, string invitationHash, DateTimeOffset now, DateTimeOffset expiresAt);

    [ReadOnly]
    Task<IReadOnlyList<ConsoleUser>> List();

    /// <summary>The invited user whose latest link has this hash, while it has not expired; else null.</summary>
    [ReadOnly]
    Task<ConsoleUser?> FindInvitation(string invitationHash, DateTimeOffset now);

    /// <summary>Sets the password's hash of an invited user from a valid link, which then stops working; null when the link is not valid.</summary>
    Task<ConsoleUser?> AcceptInvitation(string invitationHash, string passwordHash, DateTimeOffset now);

    /// <summary>The role and the password's hash of an active user; null for an unknown or invited one.</summary>
    [ReadOnly]
    Task<UserCredentials?> Credentials(string userId);

    /// <summary>
    /// Opens a session (stored as the SHA-256 of its id) after a good password, valid until <paramref name="expiresAt"/>
    /// at most; the oldest sessions beyond a few are closed.
    /// </summary>
    Task<ConsoleUser?> StartSession(string userId, string sessionHash, DateTimeOffset now, DateTimeOffset expiresAt);

    /// <summary>The role a session opens now, or null when it was ended, is too old, or its user is gone.</summary>
    [ReadOnly]
    Task<UserRole?> CheckSession(string userId, string sessionHash, DateTimeOffset now);

    /// <summary>Ends a session (sign-out); ending an unknown one is harmless.</summary>
    Task EndSession(string userId, string sessionHash);

    /// <summary>Changes a user's role; their sessions keep going with the new role. False for an unknown user.</summary>
    Task<bool> ChangeRole(string userId, UserRole role);

    /// <summary>Removes a user: their sessions end at once and their e-mail may be invited again. False for an unknown user.</summary>
    Task<bool> Remove(string userId);
}

/// <summary>The key of an address's <see cref="IUserAccountGrain"/>: the SHA-256 of its lower-cased form, so that no grain id (which logs and storage show) is an e-mail.</summary>
public static class UserAccounts
{
    public static string Key(string email) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
}

/// <summary>
/// One e-mail address, keyed by <see cref="UserAccounts.Key"/>: which creditor's user it signs in as, and how many wrong passwords
/// were tried for it lately (in memory only, never stored: unknown addresses cost no storage), so that repeated failures
/// are slowed down.
/// </summary>
public interface IUserAccountGrain : IGrainWithStringKey
{
    /// <summary>Binds the address to a user; false when it is bound to another.</summary>
    Task<bool> Bind(UserAccount account);

    /// <summary>Unbinds the address when it is bound to this user.</summary>
    Task Unbind(UserAccount account);

    /// <summary>Where a sign-in with this address goes, and how long it must wait first under <paramref name="rules"/> (zero: go ahead).</summary>
    Task<SignInGate> BeginSignIn(DateTimeOffset now, SignInThrottle rules);

    /// <summary>A wrong password (or an unknown address): the next attempts wait longer once there were a few.</summary>
    Task SignInFailed(DateTimeOffset now);

    /// <summary>A good password: the count starts again.</summary>
    Task SignInSucceeded();
}

/// <summary>The operator's console sessions (one grain, key <see cref="SingletonKey"/>), stored as hashes like a user's.</summary>
public interface IOperatorSessionsGrain : IGrainWithStringKey
{
    const string SingletonKey = "operator";

    Task Start(string sessionHash, DateTimeOffset now, DateTimeOffset expiresAt);

    [ReadOnly]
    Task<bool> Check(string sessionHash, DateTimeOffset now);

    Task End(string sessionHash);
}

/// <summary>Every creditor onboarded (one grain, key <see cref="SingletonKey"/>): the operator console lists them.</summary>
public interface ICreditorDirectoryGrain : IGrainWithStringKey
{
    const string SingletonKey = "all";

    Task Add(string creditorId);

    [ReadOnly]
    Task<IReadOnlyList<string>> List();
}
