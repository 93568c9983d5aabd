using Microsoft.Extensions.Options;

namespace Recouvrement.Api.Access;

/// <summary>The operator key of the admin endpoints and the dashboard. Bound from <c>Recouvrement</c> (<c>Recouvrement:OperatorKey</c>).</summary>
public sealed class OperatorKeyOptions
{
    /// <summary>The least length of a configured operator key: it opens every creditor's administration.</summary>
    public const int MinimumLength = 32;

    /// <summary>
    /// The operator's bearer key. Default: none, and the admin endpoints answer 401 to everyone (the embedded default
    /// makes a random one of 51 characters and prints it). A key shorter than <see cref="MinimumLength"/> stops the start.
    /// </summary>
    public string? OperatorKey { get; set; }

    /// <summary>Stops the start of the process when the configured operator key is too short.</summary>
    public static OptionsBuilder<OperatorKeyOptions> Require(IServiceCollection services) =>
        services.AddOptions<OperatorKeyOptions>().BindConfiguration("Recouvrement")
            .Validate(o => string.IsNullOrEmpty(o.OperatorKey) || o.OperatorKey.Length >= MinimumLength,
                $"Recouvrement:OperatorKey is shorter than {MinimumLength} characters: set a long random key (e.g. openssl rand -hex 32), or none to disable the admin endpoints")
            .ValidateOnStart();
}
