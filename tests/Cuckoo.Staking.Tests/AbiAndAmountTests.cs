using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Xunit;

namespace Cuckoo.Staking.Tests;

public sealed class AbiAndAmountTests
{
    private static readonly string Contracts = Path.Combine(HardhatFixture.Root, "contracts");

    public static TheoryData<string> ContractNames => new() { "CaiToken", "CuckooStaking" };

    [Theory]
    [MemberData(nameof(ContractNames))]
    public async Task Typed_client_abi_matches_what_solc_emits(string name)
    {
        await ContractBuild.EnsureCompiledAsync(Contracts, TimeSpan.FromMinutes(2));
        var solc = ContractBuild.ReadAbi(Contracts, name);
        var ours = name == "CaiToken" ? CaiTokenAbi.Abi : CuckooStakingAbi.Own;
        Assert.Equal(Sorted(solc.Functions.Select(f => f.Signature + "->" + string.Join(",", f.Outputs.Select(o => o.Type.Name)))),
            Sorted(ours.Functions.Select(f => f.Signature + "->" + string.Join(",", f.Outputs.Select(o => o.Type.Name)))));
        Assert.Equal(Sorted(solc.Events.Select(e => e.Signature + string.Concat(e.Inputs.Select(i => i.Indexed ? "i" : "-")))),
            Sorted(ours.Events.Select(e => e.Signature + string.Concat(e.Inputs.Select(i => i.Indexed ? "i" : "-")))));
        Assert.Equal(Sorted(solc.Errors.Select(e => e.Signature)), Sorted(ours.Errors.Select(e => e.Signature)));
    }

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
    public void Bad_cai_amounts_are_rejected(string text)
    {
        var ex = Assert.Throws<FormatException>(() => Cai.Parse(text));
        Assert.Contains("CAI amount", ex.Message);
    }

    [Fact]
    public void Unknown_revert_data_is_described_as_such()
    {
        var revert = RevertInfo.Decode([1, 2, 3, 4, 5], CuckooStakingAbi.WithTokenErrors);
        Assert.Contains("unrecognized", StakingRevertException.Describe(revert));
    }

    private static string[] Sorted(IEnumerable<string> items) => items.OrderBy(s => s, StringComparer.Ordinal).ToArray();
}
