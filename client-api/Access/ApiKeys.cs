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

    /// <summary>Onboards a creditor and binds a key to it; false when the id is taken.</summary>
    public static async Task<bool> OnboardAsync(IGrainFactory grains, string creditorId, string name, string key)
    {
        if (!await grains.Reference<ICreditorGrain>(creditorId).Onboard(name))
        {
            return false;
        }

        return await grains.Reference<IApiKeyGrain>(Hash(key)).Bind(creditorId);
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

/// <summary>Lets a request through only with a creditor's key, and tells the handlers which creditor that is.</summary>
public sealed class CreditorKeyFilter(IGrainFactory grains) : IEndpointFilter
{
    private const string ItemKey = "recouvrement.creditor";

    public static string CreditorOf(HttpContext context) => (string)context.Items[ItemKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var key = ApiKeys.Bearer(context.HttpContext);
        var creditor = key is null ? null : await grains.Reference<IApiKeyGrain>(ApiKeys.Hash(key)).Resolve();
        if (creditor is null)
        {
            return Problems.Unauthorized("a valid creditor API key is required: Authorization: Bearer <key>");
        }

        context.HttpContext.Items[ItemKey] = creditor;
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
