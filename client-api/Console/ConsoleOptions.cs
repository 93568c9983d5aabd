namespace Recouvrement.Api.Console;

/// <summary>The console's sessions, invitations and sign-in limits. Bound from <c>Recouvrement:Console</c>.</summary>
public sealed class ConsoleOptions
{
    /// <summary>A session ends after this long without a request; each request moves the end (sliding). Default: 30 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after its sign-in, however active: the user signs in again. Default: 12 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long an invitation link can be used to set a password. Default: 7 days.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Wrong passwords in a row for one address before the next attempts are slowed down. Default: 5.</summary>
    public int FreeSignInFailures { get; set; } = 5;

    /// <summary>How long an address waits after the first failure beyond <see cref="FreeSignInFailures"/>, doubling with each further one. Default: 30 seconds.</summary>
    public TimeSpan SignInDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest an address waits between two attempts. Default: 15 minutes.</summary>
    public TimeSpan MaxSignInDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in and password form posts accepted from one IP address per <see cref="SignInWindow"/>; the next get 429. Default: 20.</summary>
    public int SignInAttempts { get; set; } = 20;

    /// <summary>The window of <see cref="SignInAttempts"/>. Default: 1 minute.</summary>
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The least length of a password. Default: 12.</summary>
    public int MinPasswordLength { get; set; } = 12;

    /// <summary>
    /// The console's cookies are Secure with a <c>__Host-</c> name, and a console request over plain HTTP gets a 400 page.
    /// Turn off only where the console is served over plain HTTP on purpose (a laptop, a test). Default: true.
    /// </summary>
    public bool RequireHttps { get; set; } = true;

    public Users.SignInThrottle Throttle => new(FreeSignInFailures, SignInDelay, MaxSignInDelay);

    public static void Register(IServiceCollection services) =>
        services.AddOptions<ConsoleOptions>().BindConfiguration("Recouvrement:Console")
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.SessionLifetime >= o.IdleTimeout && o.InvitationLifetime > TimeSpan.Zero
                    && o.FreeSignInFailures >= 0 && o.SignInDelay > TimeSpan.Zero && o.MaxSignInDelay >= o.SignInDelay
                    && o.SignInAttempts > 0 && o.SignInWindow > TimeSpan.Zero && o.MinPasswordLength is >= 8 and <= 128,
                "Recouvrement:Console: timeouts and limits must be positive, SessionLifetime at least IdleTimeout, MaxSignInDelay at least SignInDelay, MinPasswordLength 8 to 128")
            .ValidateOnStart();
}
