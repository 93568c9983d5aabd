using System.Text.Json;
using Recouvrement.Api;

namespace Recouvrement.Tests.Api;

/// <summary>The API's JSON conventions, without a host: enum values and money as written and read.</summary>
public sealed class ApiJsonTests
{
    private static readonly JsonSerializerOptions Json = Options();

    private static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiHosting.Configure(options);
        return options;
    }

    [Fact]
    public void Enum_values_are_written_in_snake_case()
    {
        Assert.Equal("\"formal_notice\"", JsonSerializer.Serialize(StepAction.FormalNotice, Json));
        Assert.Equal("\"on_hold\"", JsonSerializer.Serialize(CaseStatus.OnHold, Json));
    }

    [Theory]
    [InlineData("\"formal_notice\"")]
    [InlineData("\"Formal_notice\"")]
    [InlineData("\"FORMAL_NOTICE\"")]
    [InlineData("\"FormalNotice\"")]
    public void Enum_values_are_read_in_any_letter_case(string written) =>
        Assert.Equal(StepAction.FormalNotice, JsonSerializer.Deserialize<StepAction>(written, Json));

    [Theory]
    [InlineData("1")]
    [InlineData("\"formal notice\"")]
    [InlineData("\"formal-notice\"")]
    [InlineData("\"notice\"")]
    [InlineData("null")]
    public void Numbers_and_unknown_names_are_refused_with_the_values_the_field_takes(string written)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<StepAction>(written, Json));
        Assert.Contains("formal_notice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Money_is_written_with_two_decimals()
    {
        Assert.Equal("12.50", JsonSerializer.Serialize(12.5m, Json));
        Assert.Equal("40.00", JsonSerializer.Serialize(40m, Json));
    }
}
