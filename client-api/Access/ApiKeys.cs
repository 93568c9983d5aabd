using System.Security.Cryptography;
using System.Text;
using Recouvrement.Access;

namespace Recouvrement.Api.Access;

/// <summary>API keys: random, shown once, stored only as their SHA-256 (they are long random secrets, so a fast hash is enough).</summary>
public static class ApiKeys
{
    public static string NewKey() =>
        "rk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Onboards a creditor and adds <paramref name="key"/> as its first key; null when the id is taken.</summary>
    public static async Task<ApiKeyInfo?> OnboardAsync(IGrainFactory grains, string creditorId, string name, string key)
    {
        if (!await grains.Reference<ICreditorGrain>(creditorId).Onboard(name))
        {
            return null;
        }

        return await grains.Reference<ICreditorKeysGrain>(creditorId).Add(Hash(key))
            ?? throw new InvalidOperationException("a new random key is already bound to another creditor");
    }

    /// <summary>Whether <paramref name="given"/> is the operator key of <c>Recouvrement:OperatorKey</c> (compared in constant time).</summary>
    public static bool IsOperatorKey(IConfiguration configuration, string? given)
    {
        var expected = configuration["Recouvrement:OperatorKey"];
        return !string.IsNullOrEmpty(expected) && given is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Hash(given)), Encoding.UTF8.GetBytes(Hash(expected)));
    }

    /// <summary>The bearer token of a request, or null.</summary>
    public static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }
}

/// <summary>
/// Lets a request through only with a live creditor key, and tells the handlers which creditor that is. The key is
/// looked up in this process's copy of the directory (<see cref="ApiKeyDirectory"/>): no grain call, whatever the token.
/// </summary>
public sealed class CreditorKeyFilter(ApiKeyDirectory directory, ApiKeyUsage usage) : IEndpointFilter
{
    private const string ItemKey = "recouvrement.creditor";
    private const string BindingKey = "recouvrement.key";

    public static string CreditorOf(HttpContext context) => (string)context.Items[ItemKey]!;

    /// <summary>The id of the key the request came with (never the key): who asked, for what must be recorded.</summary>
    public static string KeyIdOf(HttpContext context) => ((ApiKeyBinding)context.Items[BindingKey]!).KeyId;

    /// <summary>What the request's bearer token opens, looked up once per request; null for none, an unknown or a revoked key.</summary>
    public static ApiKeyBinding? Authenticate(HttpContext context, ApiKeyDirectory directory)
    {
        if (context.Items.TryGetValue(BindingKey, out var known))
        {
            return (ApiKeyBinding?)known;
        }

        var key = ApiKeys.Bearer(context);
        var binding = key is null ? null : directory.Find(ApiKeys.Hash(key));
        context.Items[BindingKey] = binding;
        return binding;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!directory.IsLoaded)
        {
            return Problems.Unavailable(context.HttpContext, "the API key directory is not loaded yet; retry the request");
        }

        if (Authenticate(context.HttpContext, directory) is not { } binding)
        {
            return Problems.Unauthorized("a valid creditor API key is required: Authorization: Bearer <key>");
        }

        usage.Record(binding);
        context.HttpContext.Items[ItemKey] = binding.CreditorId;
        return await next(context);
    }
}

/// <summary>Lets a request through only with the operator key from <c>Recouvrement:OperatorKey</c>.</summary>
public sealed class OperatorKeyFilter(IConfiguration configuration) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!ApiKeys.IsOperatorKey(configuration, ApiKeys.Bearer(context.HttpContext)))
        {
            return Problems.Unauthorized("the operator key is required (Recouvrement:OperatorKey)");
        }

        return await next(context);
    }
}
