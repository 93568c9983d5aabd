using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Recouvrement.Hosting;

namespace Recouvrement.Api.Access;

/// <summary>The operator key of the admin endpoints and the dashboard. Bound from <c>Recouvrement</c> (<c>Recouvrement:OperatorKey</c>).</summary>
public sealed class OperatorKeyOptions : IValidatableObject
{
    /// <summary>The operator key sits directly under <c>Recouvrement</c>.</summary>
    public const string Section = "Recouvrement";

    /// <summary>The least length of a configured operator key: it opens every creditor's administration.</summary>
    public const int MinimumLength = 32;

    /// <summary>
    /// The operator's bearer key. Default: none, and the admin endpoints answer 401 to everyone (the embedded default
    /// makes a random one of 51 characters and prints it). A key shorter than <see cref="MinimumLength"/> stops the start.
    /// </summary>
    public string? OperatorKey { get; set; }

    /// <summary>Stops the start of the process when the configured operator key is too short.</summary>
    public static OptionsBuilder<OperatorKeyOptions> Require(IServiceCollection services) =>
        services.AddValidatedOptions<OperatorKeyOptions>(Section);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(OperatorKey) && OperatorKey.Length < MinimumLength)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(OperatorKey)} is shorter than {MinimumLength} characters: set a long random key (e.g. openssl rand -hex 32), or none to disable the admin endpoints",
                [nameof(OperatorKey)]);
        }
    }
}
