using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Access;
using Recouvrement.Api.Console;
using Recouvrement.Channels;
using Recouvrement.Debtors;
using Recouvrement.Hosting;

namespace Recouvrement.Tests.Hosting;

/// <summary>How a setting's checks name what is wrong: the full key, once, and every bad key of a section at once.</summary>
public sealed class ValidatedOptionsTests
{
    [Fact]
    public void A_value_out_of_range_is_named_by_its_full_key()
    {
        var result = new SectionValidation<ContactOptions>(ContactOptions.Section).Validate(null, new ContactOptions { MaxConcurrentDispatches = 0 });

        Assert.Equal(["Recouvrement:Contact:MaxConcurrentDispatches: The field MaxConcurrentDispatches must be between 1 and 100000."], result.Failures);
    }

    [Fact]
    public void Every_bad_key_of_a_section_is_named_at_once()
    {
        var options = new ConsoleOptions { SignInAttempts = -1, MinPasswordLength = 4 };

        var result = new SectionValidation<ConsoleOptions>(ConsoleOptions.Section).Validate(null, options);

        Assert.Equal(
        [
            "Recouvrement:Console:SignInAttempts: SignInAttempts must be greater than zero",
            "Recouvrement:Console:MinPasswordLength: The field MinPasswordLength must be between 8 and 128.",
        ], result.Failures);
    }

    [Fact]
    public void A_rule_across_fields_names_the_key_it_is_about()
    {
        var options = new ConsoleOptions { IdleTimeout = TimeSpan.FromHours(1), SessionLifetime = TimeSpan.FromMinutes(30) };

        var result = new SectionValidation<ConsoleOptions>(ConsoleOptions.Section).Validate(null, options);

        Assert.Equal(["Recouvrement:Console:SessionLifetime: must be at least IdleTimeout"], result.Failures);
    }

    [Fact]
    public void A_message_that_already_names_its_key_is_kept_as_written()
    {
        var result = new SectionValidation<OperatorKeyOptions>(OperatorKeyOptions.Section).Validate(null, new OperatorKeyOptions { OperatorKey = "short" });

        Assert.StartsWith("Recouvrement:OperatorKey is shorter than 32 characters", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_a_section_before_the_services_exist_applies_the_same_checks()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Recouvrement:Channels:Twilio:RetryBaseDelay"] = "00:01:00",
            ["Recouvrement:Channels:Twilio:MaxRetryDelay"] = "00:00:30",
        }).Build();

        var failure = Assert.Throws<OptionsValidationException>(() => ValidatedOptions.Read<TwilioOptions>(configuration, TwilioOptions.Section));

        Assert.Equal(["Recouvrement:Channels:Twilio:MaxRetryDelay: must be at least RetryBaseDelay"], failure.Failures);
        Assert.Equal(TimeSpan.FromSeconds(30), ValidatedOptions.Read<TwilioOptions>(new ConfigurationBuilder().Build(), TwilioOptions.Section).Timeout);
    }
}
