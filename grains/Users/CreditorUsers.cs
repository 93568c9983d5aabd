namespace Recouvrement.Users;

/// <summary>One open console session of a user: the SHA-256 of its id (never the id) and when it must end at the latest.</summary>
[GenerateSerializer, Immutable, Alias("rc.UserSession")]
public sealed record UserSession(
    [property: Id(0)] string Hash,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset ExpiresAt);

/// <summary>A user as stored: the invitation's and the password's hashes, and the open sessions.</summary>
[GenerateSerializer, Immutable, Alias("rc.StoredUser")]
public sealed record StoredUser(
    [property: Id(0)] string Id,
    [property: Id(1)] string Email,
    [property: Id(2)] UserRole Role,
    [property: Id(3)] DateTimeOffset InvitedAt,
    [property: Id(4)] string? InvitationHash,
    [property: Id(5)] DateTimeOffset? InvitationExpiresAt,
    [property: Id(6)] string? PasswordHash,
    [property: Id(7)] DateTimeOffset? ActivatedAt,
    [property: Id(8)] DateTimeOffset? LastSignInAt,
    [property: Id(9)] ImmutableList<UserSession> Sessions)
{
    public UserStatus Status => PasswordHash is null ? UserStatus.Invited : UserStatus.Active;

    public ConsoleUser View => new(Id, Email, Role, Status, InvitedAt, InvitationHash is null ? null : InvitationExpiresAt, ActivatedAt, LastSignInAt);
}

/// <summary>
/// What a creditor's users persist, and every rule about them as pure functions of the state and the time: invitations
/// (one live link per user, replaced by a new one, spent by its use), sessions (a few per user, each with a latest end).
/// </summary>
[GenerateSerializer, Alias("rc.CreditorUsersState")]
public sealed record CreditorUsers
{
    /// <summary>Sessions a user keeps open at once (browsers, devices); a new one beyond closes the oldest.</summary>
    public const int MaxSessionsPerUser = 5;

    [Id(0)] public ImmutableList<StoredUser> Users { get; init; } = [];

    public StoredUser? Find(string userId) => Users.Find(u => u.Id == userId);

    public StoredUser? FindByEmail(string email) => Users.Find(u => u.Email == email);

    /// <summary>
    /// Invites the address, or sends a new link to a user still invited (with the role given now); an active user is
    /// left alone. <paramref name="newId"/> names a new user.
    /// </summary>
    public (CreditorUsers State, InvitationOutcome Outcome, StoredUser? User) Invite(
        string email, UserRole role, string invitationHash, DateTimeOffset now, DateTimeOffset expiresAt, string newId)
    {
        if (FindByEmail(email) is { } known)
        {
            if (known.Status == UserStatus.Active)
            {
                return (this, InvitationOutcome.AlreadyActive, known);
            }

            var again = known with { Role = role, InvitedAt = now, InvitationHash = invitationHash, InvitationExpiresAt = expiresAt };
            return (this with { Users = Users.Replace(known, again) }, InvitationOutcome.Invited, again);
        }

        var user = new StoredUser(newId, email, role, now, invitationHash, expiresAt, null, null, null, []);
        return (this with { Users = Users.Add(user) }, InvitationOutcome.Invited, user);
    }

    /// <summary>The invited user whose latest, unexpired link has this hash; null otherwise.</summary>
    public StoredUser? Invitation(string invitationHash, DateTimeOffset now) =>
        Users.Find(u => u.InvitationHash is { } hash && u.InvitationExpiresAt is { } expires && now < expires
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(hash), System.Text.Encoding.ASCII.GetBytes(invitationHash)));

    /// <summary>Sets the password from a valid link, which is then spent; the same state when the link is not valid.</summary>
    public (CreditorUsers State, StoredUser? User) Accept(string invitationHash, string passwordHash, DateTimeOffset now)
    {
        if (Invitation(invitationHash, now) is not { } user)
        {
            return (this, null);
        }

        var active = user with
        {
            PasswordHash = passwordHash, InvitationHash = null, InvitationExpiresAt = null, ActivatedAt = user.ActivatedAt ?? now, Sessions = [],
        };
        return (this with { Users = Users.Replace(user, active) }, active);
    }

    /// <summary>Opens a session for an active user, dropping expired ones and the oldest beyond <see cref="MaxSessionsPerUser"/>.</summary>
    public (CreditorUsers State, StoredUser? User) StartSession(string userId, string sessionHash, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        if (Find(userId) is not { Status: UserStatus.Active } user)
        {
            return (this, null);
        }

        var sessions = user.Sessions.RemoveAll(s => s.ExpiresAt <= now).Add(new UserSession(sessionHash, now, expiresAt));
        if (sessions.Count > MaxSessionsPerUser)
        {
            sessions = sessions.RemoveRange(0, sessions.Count - MaxSessionsPerUser);
        }

        var signedIn = user with { Sessions = sessions, LastSignInAt = now };
        return (this with { Users = Users.Replace(user, signedIn) }, signedIn);
    }

    /// <summary>The role a live session opens, or null.</summary>
    public UserRole? CheckSession(string userId, string sessionHash, DateTimeOffset now) =>
        Find(userId) is { Status: UserStatus.Active } user && user.Sessions.Exists(s => s.Hash == sessionHash && now < s.ExpiresAt) ? user.Role : null;

    public CreditorUsers EndSession(string userId, string sessionHash) =>
        Find(userId) is { } user && user.Sessions.Exists(s => s.Hash == sessionHash)
            ? this with { Users = Users.Replace(user, user with { Sessions = user.Sessions.RemoveAll(s => s.Hash == sessionHash) }) }
            : this;

    public CreditorUsers ChangeRole(string userId, UserRole role) =>
        Find(userId) is { } user && user.Role != role ? this with { Users = Users.Replace(user, user with { Role = role }) } : this;

    public CreditorUsers Remove(string userId) => Find(userId) is { } user ? this with { Users = Users.Remove(user) } : this;
}
