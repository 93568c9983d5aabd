using System.ComponentModel.DataAnnotations;
using Recouvrement.Hosting;

namespace Recouvrement.Api.Console;

/// <summary>The console's sessions, invitations and sign-in limits. Bound from <c>Recouvrement:Console</c>.</summary>
public sealed class ConsoleOptions : IValidatableObject
{
    public const string Section = "Recouvrement:Console";

    /// <summary>A session ends after this long without a request; each request moves the end (sliding). Default: 30 minutes.</summary>
    [Positive]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after its sign-in, however active: the user signs in again. Default: 12 hours.</summary>
    [Positive]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long an invitation link can be used to set a password. Default: 7 days.</summary>
    [Positive]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Wrong passwords in a row for one address before the next attempts are slowed down. Default: 5.</summary>
    [NotNegative]
    public int FreeSignInFailures { get; set; } = 5;

    /// <summary>How long an address waits after the first failure beyond <see cref="FreeSignInFailures"/>, doubling with each further one. Default: 30 seconds.</summary>
    [Positive]
    public TimeSpan SignInDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest an address waits between two attempts. Default: 15 minutes.</summary>
    [Positive]
    public TimeSpan MaxSignInDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in and password form posts accepted from one IP address per <see cref="SignInWindow"/>; the next get 429. Default: 20.</summary>
    [Positive]
    public int SignInAttempts { get; set; } = 20;

    /// <summary>The window of <see cref="SignInAttempts"/>. Default: 1 minute.</summary>
    [Positive]
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The least length of a password. Default: 12.</summary>
    [Range(8, 128)]
    public int MinPasswordLength { get; set; } = 12;

    /// <summary>
    /// The console's cookies are Secure with a <c>__Host-</c> name, and a console request over plain HTTP gets a 400 page.
    /// Turn off only where the console is served over plain HTTP on purpose (a laptop, a test). Default: true.
    /// </summary>
    public bool RequireHttps { get; set; } = true;

    public Users.SignInThrottle Throttle => new(FreeSignInFailures, SignInDelay, MaxSignInDelay);

    public static void Register(IServiceCollection services) => services.AddValidatedOptions<ConsoleOptions>(Section);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SessionLifetime < IdleTimeout)
        {
            yield return new ValidationResult("must be at least IdleTimeout", [nameof(SessionLifetime)]);
        }

        if (MaxSignInDelay < SignInDelay)
        {
            yield return new ValidationResult("must be at least SignInDelay", [nameof(MaxSignInDelay)]);
        }
    }
}
