using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Recouvrement.Payments;

namespace Recouvrement.Tests.Domain;

/// <summary>Payment-link tokens: one debtor, signed, expiring, and still valid across a key rotation.</summary>
public class PaymentLinksTests
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static PaymentLinks Links(string key, params string[] previous)
    {
        var options = new PaymentLinkOptions { SigningKey = key, BaseUrl = "https://pay.example.fr", Lifetime = TimeSpan.FromDays(60) };
        options.PreviousSigningKeys.AddRange(previous);
        return new PaymentLinks(Options.Create(options));
    }

    [Fact]
    public void A_token_names_its_debtor_until_it_expires()
    {
        var links = Links(NewKey);
        var token = links.TokenFor("labo/PAT-1", Now);
        Assert.Equal("https://pay.example.fr/p/" + token, links.LinkFor("labo/PAT-1", Now));
        Assert.Equal("labo/PAT-1", links.Verify(token, Now.AddDays(59)));
        Assert.Null(links.Verify(token, Now.AddDays(61)));
    }

    [Fact]
    public void An_altered_or_forged_token_names_nobody()
    {
        var links = Links(NewKey);
        var token = links.TokenFor("labo/PAT-1", Now);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var otherPayload = Links(NewKey).TokenFor("labo/PAT-2", Now)[..dot];
        Assert.Null(links.Verify(otherPayload + token[dot..], Now)); // someone else's debtor with this signature
        Assert.Null(links.Verify(Links(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).TokenFor("labo/PAT-1", Now), Now)); // another key
        Assert.Null(links.Verify("not-a-token", Now));
        Assert.Null(links.Verify("@@@.###", Now));
    }

    [Fact]
    public void Links_signed_before_a_rotation_stay_valid_while_the_old_key_is_listed()
    {
        var sentBefore = Links(OldKey).TokenFor("labo/PAT-1", Now);
        Assert.Equal("labo/PAT-1", Links(NewKey, OldKey).Verify(sentBefore, Now));
        Assert.Null(Links(NewKey).Verify(sentBefore, Now)); // once the old key is dropped, they die
    }
}
