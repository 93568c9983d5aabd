using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Recouvrement.Hosting;

/// <summary>
/// The one way an options class is wired: bound from its configuration section, checked by its data annotations (and,
/// for rules across fields, its <see cref="IValidatableObject"/>) when the process starts, a failure naming each bad
/// key in full (<c>Recouvrement:Storage:Writers: …</c>). Options read while the host is being configured, before the
/// service provider exists, go through <see cref="Read{T}"/> and the same checks.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> and checks it at start. A second call (a silo with the
    /// API mapped in registers some options from both) adds nothing: a second bind would append lists twice.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class =>
        Registered<T>(services) ?? services.Validated<T>(section).BindConfiguration(section).ValidateOnStart();

    /// <summary>
    /// As <see cref="AddValidatedOptions{T}(IServiceCollection, string)"/>, bound from the <paramref name="configuration"/>
    /// the engine was given (a test cluster's own, which is not the host's).
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class =>
        Registered<T>(services) ?? services.Validated<T>(section).Bind(configuration.GetSection(section)).ValidateOnStart();

    private static OptionsBuilder<T>? Registered<T>(IServiceCollection services)
        where T : class =>
        services.Any(d => d.ServiceType == typeof(IValidateOptions<T>) && d.ImplementationInstance is SectionValidation<T>)
            ? new OptionsBuilder<T>(services, Options.DefaultName)
            : null;

    private static OptionsBuilder<T> Validated<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidation<T>(section));
        return services.AddOptions<T>();
    }

    /// <summary>
    /// Reads <typeparamref name="T"/> from <paramref name="section"/> now, for choices made while configuring the host.
    /// A value that does not convert, or breaks a rule, throws (<see cref="InvalidOperationException"/> or
    /// <see cref="OptionsValidationException"/>) with the key in the message, so the process does not start.
    /// </summary>
    public static T Read<T>(IConfiguration configuration, string section)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var result = new SectionValidation<T>(section).Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures) : options;
    }
}

/// <summary>Checks an options class's data annotations and <see cref="IValidatableObject"/> rules, naming each failing key under <paramref name="section"/>.</summary>
public sealed class SectionValidation<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(Describe));
    }

    private string Describe(ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is not valid";
        var keys = result.MemberNames.Select(member => $"{section}:{member}").ToList();
        // A rule whose message already says which key it is about (and how) is left as written.
        return keys.Count == 0 || keys.Exists(key => message.StartsWith(key, StringComparison.Ordinal))
            ? message
            : $"{string.Join(", ", keys)}: {message}";
    }
}

/// <summary>A number or a duration that must be above zero (a missing optional one passes).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveAttribute() : ValidationAttribute("{0} must be greater than zero")
{
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        int i => i > 0,
        long l => l > 0,
        double d => d > 0 && double.IsFinite(d),
        decimal m => m > 0,
        TimeSpan t => t > TimeSpan.Zero,
        _ => false,
    };
}

/// <summary>A number or a duration that must not be below zero.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotNegativeAttribute() : ValidationAttribute("{0} must not be negative")
{
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        int i => i >= 0,
        long l => l >= 0,
        double d => d >= 0 && double.IsFinite(d),
        decimal m => m >= 0,
        TimeSpan t => t >= TimeSpan.Zero,
        _ => false,
    };
}

/// <summary>An absolute <c>http</c> or <c>https</c> address (an empty optional one passes).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpAddressAttribute() : ValidationAttribute("{0} must be an absolute http or https address")
{
    public override bool IsValid(object? value) =>
        value is null || value is string { Length: 0 }
        || (value is string text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
}

/// <summary>A base64 key (an empty optional one passes); with a length, at least that many bytes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class Base64KeyAttribute(int minimumBytes = 1) : ValidationAttribute($"{{0}} must be base64 of at least {minimumBytes} bytes")
{
    public override bool IsValid(object? value) => value switch
    {
        null or "" => true,
        string key => Length(key) >= minimumBytes,
        IEnumerable<string> keys => keys.All(k => Length(k) >= minimumBytes),
        _ => false,
    };

    private static int Length(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var length) ? length : 0;
    }
}

/// <summary>A duration of at least <paramref name="minimum"/> (<c>hh:mm:ss</c>); a missing optional one passes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AtLeastAttribute(string minimum) : ValidationAttribute($"{{0}} must be at least {minimum}")
{
    private readonly TimeSpan _minimum = TimeSpan.Parse(minimum, System.Globalization.CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is null || (value is TimeSpan span && span >= _minimum);
}
