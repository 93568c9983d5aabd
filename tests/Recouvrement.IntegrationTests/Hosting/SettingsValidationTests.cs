using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Recouvrement.Api;
using Recouvrement.Api.Hosting;
using Recouvrement.Hosting;
using Recouvrement.Silo.Hosting;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Hosting;

/// <summary>
/// A bad setting stops the process at start with a message naming its key, whether it is read while the silo is
/// configured (ports, storage, clock) or by the services once they exist; the defaults start.
/// </summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("Recouvrement:Contact:MaxConcurrentDispatches", "-4", "Recouvrement:Contact:MaxConcurrentDispatches: The field MaxConcurrentDispatches must be between 1 and 100000.")]
    [InlineData("Recouvrement:Channels:Letters:FormalNoticeMode", "fax", "Recouvrement:Channels:Letters:FormalNoticeMode: FormalNoticeMode must be simple, registered or electronic_registered")]
    [InlineData("Recouvrement:Console:SessionLifetime", "00:10:00", "Recouvrement:Console:SessionLifetime: must be at least IdleTimeout")]
    [InlineData("Recouvrement:Channels:Twilio:BaseUrl", "api.twilio.com", "Recouvrement:Channels:Twilio:BaseUrl: BaseUrl must be an absolute http or https address")]
    [InlineData("Recouvrement:Webhooks:Concurrency", "0", "Recouvrement:Webhooks:Concurrency: The field Concurrency must be between 1 and 256.")]
    [InlineData("Recouvrement:PaymentLinks:SigningKey", "not base64!", "Recouvrement:PaymentLinks:SigningKey: SigningKey must be base64 of at least 1 bytes")]
    [InlineData("Recouvrement:RateLimits:DebtorFormPosts", "0", "Recouvrement:RateLimits:DebtorFormPosts: DebtorFormPosts must be greater than zero")]
    public async Task A_bad_setting_of_the_services_stops_the_start_naming_its_key(string key, string value, string message)
    {
        await using var app = SiloHost.Build(Args($"--{key}={value}"));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, failure.Failures);
    }

    [Theory]
    [InlineData("Recouvrement:Storage:Writers", "0", "Recouvrement:Storage:Writers: The field Writers must be between 1 and 256.")]
    [InlineData("Recouvrement:Cluster:AdvertisedAddress", "silo-1", "Recouvrement:Cluster:AdvertisedAddress: must be an IP address")]
    [InlineData("Recouvrement:Clock:Speed", "-60", "Recouvrement:Clock:Speed: Speed must be greater than zero")]
    [InlineData("Recouvrement:Events:PollInterval", "00:00:00", "Recouvrement:Events:PollInterval: PollInterval must be greater than zero")]
    [InlineData("Recouvrement:Reminders:RefreshPeriod", "00:00:00", "Recouvrement:Reminders:RefreshPeriod: RefreshPeriod must be greater than zero")]
    public void A_bad_setting_read_while_the_silo_is_configured_stops_it_naming_its_key(string key, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => SiloHost.Build(Args($"--{key}={value}")));

        Assert.Contains(message, failure.Failures);
    }

    [Fact]
    public void A_value_that_is_not_a_number_stops_the_start_naming_its_key()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => SiloHost.Build(Args("--Recouvrement:Storage:MaxBatch=lots")));

        Assert.Contains("'Recouvrement:Storage:MaxBatch'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_tier_alone_checks_its_settings_at_start()
    {
        // Nothing is reached before the settings are checked: the database named here is never opened.
        var builder = WebApplication.CreateBuilder(
        [
            "--ConnectionStrings:Recouvrement=Host=127.0.0.1;Port=1;Database=none",
            "--Recouvrement:ApiKeys:RefreshInterval=-00:00:05",
            "--Logging:LogLevel:Default=None",
        ]);
        builder.AddRecouvrementClusterClient();
        builder.Services.AddRecouvrementApi();
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Recouvrement:ApiKeys:RefreshInterval: RefreshInterval must be greater than zero", failure.Failures);
    }

    [Fact]
    public async Task The_defaults_start()
    {
        await using var app = SiloHost.Build(Args());

        await app.StartAsync();

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        Assert.True(lifetime.ApplicationStarted.IsCancellationRequested, "the embedded default with no setting should have started");
        await app.StopAsync();
    }

    [Fact]
    public void Every_options_class_names_its_section_and_its_defaults_pass_its_checks()
    {
        var assemblies = new[] { typeof(ValidatedOptions), typeof(EngineServices), typeof(ApiHosting), typeof(SiloHost) }.Select(t => t.Assembly);
        var options = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) || t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is not null)
            .ToList();

        Assert.True(options.Count >= 27, $"expected every options class, found {options.Count}: {string.Join(", ", options.Select(t => t.Name))}");
        Assert.All(options, type =>
        {
            var section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
            Assert.True(section?.StartsWith("Recouvrement", StringComparison.Ordinal), $"{type.Name} names no Recouvrement section");
            var defaults = Activator.CreateInstance(type)!;
            var results = new List<ValidationResult>();
            Assert.True(Validator.TryValidateObject(defaults, new ValidationContext(defaults), results, validateAllProperties: true),
                $"{type.Name}'s defaults fail: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        });
    }

    private static string[] Args(params string[] settings) =>
    [
        $"--urls=http://127.0.0.1:{FreePort.Next()}",
        $"--Recouvrement:Cluster:SiloPort={FreePort.Next()}",
        $"--Recouvrement:Cluster:GatewayPort={FreePort.Next()}",
        $"--Recouvrement:Outbox:Path={Path.Combine(Path.GetTempPath(), "recouvrement-settings-outbox")}",
        "--Recouvrement:Dashboard:Enabled=false",
        "--Logging:LogLevel:Default=None",
        .. settings,
    ];
}
