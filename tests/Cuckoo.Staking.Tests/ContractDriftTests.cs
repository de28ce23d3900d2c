using System.Reflection;
using Cuckoo.Staking.Contracts.CaiToken;
using Cuckoo.Staking.Contracts.CuckooStaking;
using Cuckoo.Staking.Devnet;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Xunit;

namespace Cuckoo.Staking.Tests;

/// <summary>
/// The typed Nethereum classes against the ABI solc writes for the Solidity sources (contracts/build/*.json, compiled here
/// if the sources changed): every function, event and error of the ABI must have a typed class with the same signature,
/// outputs and indexed flags, and no typed class may name something the ABI lacks.
/// </summary>
public sealed class ContractDriftTests
{
    private static readonly string Contracts = Path.Combine(HardhatFixture.Root, "contracts");

    public static TheoryData<string> ContractNames => new() { "CaiToken", "CuckooStaking" };

    private static (IReadOnlyList<Type> Functions, IReadOnlyList<Type> Events, IReadOnlyList<Type> Errors, string Namespace) Typed(string name) =>
        name == "CaiToken"
            ? (CaiTokenTypes.Functions, CaiTokenTypes.Events, CaiTokenTypes.Errors, typeof(CaiTokenTypes).Namespace!)
            : (CuckooStakingTypes.Functions, CuckooStakingTypes.Events, CuckooStakingTypes.Errors, typeof(CuckooStakingTypes).Namespace!);

    [Theory]
    [MemberData(nameof(ContractNames))]
    public async Task Typed_classes_match_the_abi_solc_emits(string name)
    {
        await ContractBuild.EnsureCompiledAsync(Contracts, TimeSpan.FromMinutes(2));
        var solc = new ABIJsonDeserialiser().DeserialiseContract(ContractBuild.ReadAbiJson(Contracts, name));
        var (functions, events, errors, ns) = Typed(name);

        Assert.Equal(
            Sorted(solc.Functions.Select(Describe)),
            Sorted(functions.Select(t => Describe(ABITypedRegistry.GetFunctionABI(t)))));
        Assert.Equal(
            Sorted(solc.Events.Select(Describe)),
            Sorted(events.Select(t => Describe(ABITypedRegistry.GetEvent(t)))));
        Assert.Equal(
            Sorted(solc.Errors.Select(e => e.Name + Types(e.InputParameters))),
            Sorted(errors.Select(t => ABITypedRegistry.GetError(t)).Select(e => e.Name + Types(e.InputParameters))));

        // The registries list every typed class of the namespace, so none is left out of the comparison.
        var declared = typeof(CaiTokenTypes).Assembly.GetTypes()
            .Where(t => t.Namespace == ns && (t.GetCustomAttribute<Nethereum.ABI.FunctionEncoding.Attributes.FunctionAttribute>() is not null
                                              || t.GetCustomAttribute<Nethereum.ABI.FunctionEncoding.Attributes.EventAttribute>() is not null
                                              || t.GetCustomAttribute<Nethereum.ABI.FunctionEncoding.Attributes.ErrorAttribute>() is not null));
        Assert.Equal(Sorted(declared.Select(t => t.Name)), Sorted(functions.Concat(events).Concat(errors).Select(t => t.Name)));

        // The deployment message takes the constructor's arguments.
        var constructor = solc.Constructor;
        var deployment = name == "CaiToken" ? typeof(CaiTokenDeployment) : typeof(CuckooStakingDeployment);
        var parameters = deployment.GetProperties()
            .Select(p => p.GetCustomAttribute<Nethereum.ABI.FunctionEncoding.Attributes.ParameterAttribute>())
            .Where(a => a is not null).OrderBy(a => a!.Order).Select(a => a!.Type);
        Assert.Equal(constructor.InputParameters.Select(p => p.Type), parameters);
    }

    [Fact]
    public void A_struct_is_compared_by_its_components()
    {
        var slash = Describe(ABITypedRegistry.GetFunctionABI(typeof(SlashFunction)));
        Assert.Equal("slash(address,tuple(tuple(bytes32,bytes32,bytes32),bytes,bytes32,bytes,bytes32,bytes[]))->", slash);
    }

    [Fact]
    public void A_drifted_class_is_caught()
    {
        // What the comparison sees for a function whose Solidity changed from uint256 to uint128.
        var ours = Describe(ABITypedRegistry.GetFunctionABI(typeof(StakeFunction)));
        Assert.Equal("stake(uint256)->", ours);
        Assert.NotEqual("stake(uint128)->", ours);
    }

    private static string Describe(FunctionABI f) => f.Name + Types(f.InputParameters) + "->" + string.Join(",", (f.OutputParameters ?? []).Select(p => p.Type));

    private static string Describe(EventABI e) =>
        e.Name + Types(e.InputParameters) + string.Concat(e.InputParameters.Select(p => p.Indexed ? "i" : "-"));

    private static string Types(IEnumerable<Parameter> parameters) => "(" + string.Join(",", parameters.Select(Type)) + ")";

    // A struct is compared by its components, so a changed field of Task or Evidence is drift too.
    private static string Type(Parameter p) => p.ABIType is Nethereum.ABI.TupleType tuple
        ? "tuple(" + string.Join(",", tuple.Components.Select(Type)) + ")"
        : p.Type;

    private static string[] Sorted(IEnumerable<string> items) => items.OrderBy(s => s, StringComparer.Ordinal).ToArray();
}
