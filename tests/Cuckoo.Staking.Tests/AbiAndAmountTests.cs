using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Xunit;

namespace Cuckoo.Staking.Tests;

public sealed class AbiAndAmountTests
{
    private static readonly string Contracts = Path.Combine(HardhatFixture.Root, "contracts");

    public static TheoryData<string> ContractNames => new() { "CaiToken", "CuckooStaking" };

    [Theory]
    [InlineData("20000", "20000000000000000000000")]
    [InlineData("0.5", "500000000000000000")]
    [InlineData("1_000.000000000000000001", "1000000000000000000001")]
    [InlineData(".25", "250000000000000000")]
    [InlineData("0", "0")]
    public void Cai_amounts_parse_and_format_round_trip(string text, string wei)
    {
        var parsed = Cai.Parse(text);
        Assert.Equal(BigInteger.Parse(wei, System.Globalization.CultureInfo.InvariantCulture), parsed);
        Assert.Equal(parsed, Cai.Parse(Cai.Format(parsed)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.2.3")]
    [InlineData("abc")]
    [InlineData("1.0000000000000000001")]
    [InlineData(".")]
    [InlineData("1e18")]
    [InlineData(" 1 2")]
    [InlineData("0x10")]
    [InlineData("١٢")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457.584007913129639936")]
    [InlineData("999999999999999999999999999999999999999999999999999999999999999999999999999999")]
    public void Bad_cai_amounts_are_rejected(string text)
    {
        var ex = Assert.Throws<FormatException>(() => Cai.Parse(text));
        Assert.Contains("CAI amount", ex.Message);
    }

    [Fact]
    public void The_largest_amount_is_2_to_the_256_minus_1_wei()
    {
        var max = BigInteger.Pow(2, 256) - 1;
        Assert.Equal(max, Cai.Parse(Cai.Format(max)));
        var over = Assert.Throws<FormatException>(() => Cai.Parse(Cai.Format(max + 1)));
        Assert.Contains("at most 2^256-1 wei", over.Message);
        Assert.Throws<FormatException>(() => Cai.Parse("-0.5"));
        Assert.False(Cai.TryParse("1.5.", out _));
        Assert.True(Cai.TryParse("1.5", out var wei));
        Assert.Equal(Cai.OneToken * 3 / 2, wei);
    }

    [Fact]
    public void Any_string_parses_to_an_amount_or_a_format_exception_and_never_anything_else()
    {
        var texts = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>(),
            Gen.Elements("0123456789._-e+x ".ToCharArray()).ArrayOf().Select(c => new string(c)),
            ArbMap.Default.GeneratorFor<BigInteger>().Select(n => Cai.Format(n * BigInteger.Pow(10, 60))));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(texts.ToArbitrary(), text =>
        {
            try
            {
                var wei = Cai.Parse(text ?? "");
                return wei.Sign >= 0 && wei < BigInteger.Pow(2, 256) && Cai.Parse(Cai.Format(wei)) == wei;
            }
            catch (FormatException ex)
            {
                return ex.Message.Contains("CAI amount", StringComparison.Ordinal);
            }
        }));
    }

    [Fact]
    public void Unknown_revert_data_is_described_as_such()
    {
        var revert = RevertInfo.Decode([1, 2, 3, 4, 5], CuckooStakingClient.ErrorsWithToken);
        Assert.Contains("unrecognized", StakingRevertException.Describe(revert));
    }

    private static string[] Sorted(IEnumerable<string> items) => items.OrderBy(s => s, StringComparer.Ordinal).ToArray();
}
