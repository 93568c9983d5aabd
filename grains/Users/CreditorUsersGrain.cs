using System.Security.Cryptography;

namespace Recouvrement.Users;

/// <summary>
/// A creditor's console users: loads, applies a rule of <see cref="CreditorUsers"/>, persists when something changed.
/// An invited address is bound to its user in <see cref="IUserAccountGrain"/> before the user is stored (so that one
/// address signs in to one creditor), and unbound after the user is removed; a crash in between leaves a binding with no
/// user, which inviting the address again reuses.
/// </summary>
public sealed class CreditorUsersGrain(
    [PersistentState("users", StorageNames.Default)] IPersistentState<CreditorUsers> state) : Grain, ICreditorUsersGrain
{
    private string CreditorId => this.GetPrimaryKeyString();

    public async Task<InvitationResult> Invite(string email, UserRole role, string invitationHash, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        var id = state.State.FindByEmail(email)?.Id ?? NewId();
        if (!await GrainFactory.Reference<IUserAccountGrain>(UserAccounts.Key(email)).Bind(new UserAccount(CreditorId, id)))
        {
            return new InvitationResult(InvitationOutcome.TakenElsewhere, null);
        }

        var (next, outcome, user) = state.State.Invite(email, role, invitationHash, now, expiresAt, id);
        await Save(next);
        return new InvitationResult(outcome, user?.View);
    }

    public Task<IReadOnlyList<ConsoleUser>> List() => Task.FromResult<IReadOnlyList<ConsoleUser>>([.. state.State.Users.Select(u => u.View)]);

    public Task<ConsoleUser?> FindInvitation(string invitationHash, DateTimeOffset now) =>
        Task.FromResult(state.State.Invitation(invitationHash, now)?.View);

    public async Task<ConsoleUser?> AcceptInvitation(string invitationHash, string passwordHash, DateTimeOffset now)
    {
        var (next, user) = state.State.Accept(invitationHash, passwordHash, now);
        await Save(next);
        return user?.View;
    }

    public Task<UserCredentials?> Credentials(string userId) =>
        Task.FromResult(state.State.Find(userId) is { Status: UserStatus.Active } user ? new UserCredentials(user.Id, user.Role, user.PasswordHash) : null);

    public async Task<ConsoleUser?> StartSession(string userId, string sessionHash, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        var (next, user) = state.State.StartSession(userId, sessionHash, now, expiresAt);
        await Save(next);
        return user?.View;
    }

    public Task<UserRole?> CheckSession(string userId, string sessionHash, DateTimeOffset now) =>
        Task.FromResult(state.State.CheckSession(userId, sessionHash, now));

    public Task EndSession(string userId, string sessionHash) => Save(state.State.EndSession(userId, sessionHash));

    public async Task<bool> ChangeRole(string userId, UserRole role)
    {
        await Save(state.State.ChangeRole(userId, role));
        return state.State.Find(userId) is not null;
    }

    public async Task<bool> Remove(string userId)
    {
        if (state.State.Find(userId) is not { } user)
        {
            return false;
        }

        await Save(state.State.Remove(userId));
        await GrainFactory.Reference<IUserAccountGrain>(UserAccounts.Key(user.Email)).Unbind(new UserAccount(CreditorId, user.Id));
        return true;
    }

    private async Task Save(CreditorUsers next)
    {
        if (!ReferenceEquals(next, state.State))
        {
            state.State = next;
            await state.WriteStateAsync();
        }
    }

    private string NewId()
    {
        while (true)
        {
            var id = "usr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            if (state.State.Find(id) is null)
            {
                return id;
            }
        }
    }
}
