using Recouvrement.Access;
using Recouvrement.Api.Access;

namespace Recouvrement.Api.Admin;

/// <summary>A creditor's API keys: several live at once while the creditor rotates them.</summary>
public static partial class AdminApi
{
    /// <summary>A new key, shown this once: it is stored only as its SHA-256.</summary>
    public sealed record KeyCreated(string Id, string Key, DateTimeOffset CreatedAt);

    /// <summary>
    /// <c>POST /api/v1/admin/creditors/{id}/keys</c>: a new key for the creditor, working at once on this process and
    /// within <c>Recouvrement:ApiKeys:RefreshInterval</c> on the others; the creditor's other keys keep working.
    /// </summary>
    public static async Task<Results<Created<KeyCreated>, ProblemHttpResult>> CreateKey(string id, IGrainFactory grains, ApiKeyDirectory directory)
    {
        if (await grains.Reference<ICreditorGrain>(id).GetProfile() is null)
        {
            return Problems.NotFound($"no creditor '{id}'");
        }

        var created = await IssueKeyAsync(grains, directory, id);
        return TypedResults.Created($"/api/v1/admin/creditors/{id}/keys/{created.Id}", created);
    }

    /// <summary>Makes a new key for the creditor and loads it on this process; the operator's API and the creditor admins' console both come here.</summary>
    public static async Task<KeyCreated> IssueKeyAsync(IGrainFactory grains, ApiKeyDirectory directory, string creditorId)
    {
        var key = ApiKeys.NewKey();
        var added = await grains.Reference<ICreditorKeysGrain>(creditorId).Add(ApiKeys.Hash(key))
            ?? throw new InvalidOperationException("a new random key is already bound to another creditor");
        await directory.RefreshAsync();
        return new KeyCreated(added.Id, key, added.CreatedAt);
    }

    /// <summary>Revokes a key of the creditor and drops it on this process; false when the creditor has no key of this id.</summary>
    public static async Task<bool> RevokeKeyAsync(IGrainFactory grains, ApiKeyDirectory directory, string creditorId, string keyId)
    {
        if (!await grains.Reference<ICreditorKeysGrain>(creditorId).Revoke(keyId))
        {
            return false;
        }

        await directory.RefreshAsync();
        return true;
    }

    /// <summary>A creditor's keys, oldest first.</summary>
    public sealed record KeyList(IReadOnlyList<ApiKeyInfo> Items);

    /// <summary><c>GET /api/v1/admin/creditors/{id}/keys</c>: every key's id and dates, revoked ones included; never a key nor its hash.</summary>
    public static async Task<Results<Ok<KeyList>, ProblemHttpResult>> ListKeys(string id, IGrainFactory grains)
    {
        if (await grains.Reference<ICreditorGrain>(id).GetProfile() is null)
        {
            return Problems.NotFound($"no creditor '{id}'");
        }

        return TypedResults.Ok(new KeyList(await grains.Reference<ICreditorKeysGrain>(id).List()));
    }

    /// <summary>
    /// <c>DELETE /api/v1/admin/creditors/{id}/keys/{keyId}</c>: the key stops working at once on this process and within
    /// <c>Recouvrement:ApiKeys:RefreshInterval</c> on the others. Revoking a revoked key again is a 204 too.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(string id, string keyId, IGrainFactory grains, ApiKeyDirectory directory)
    {
        if (await grains.Reference<ICreditorGrain>(id).GetProfile() is null)
        {
            return Problems.NotFound($"no creditor '{id}'");
        }

        return await RevokeKeyAsync(grains, directory, id, keyId) ? TypedResults.NoContent() : Problems.NotFound($"creditor '{id}' has no key '{keyId}'");
    }
}
