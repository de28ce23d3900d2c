using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

public sealed class UsageTests
{
    [Theory]
    [InlineData("keys", "sign")]
    [InlineData("stake", "1", "--no-such-option")]
    [InlineData("no-such-command")]
    public async Task Usage_errors_exit_with_the_bad_input_code_and_point_at_help(params string[] args)
    {
        var result = await RunAsync(args);

        Assert.Equal(2, result.Code);
        Assert.Contains("error:", result.Err);
        Assert.Contains("--help' for usage", result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Help_is_not_a_usage_error()
    {
        var result = await RunAsync("keys", "sign", "--help");

        Assert.Equal(0, result.Code);
        Assert.Contains("--message", result.Out);
    }
}
