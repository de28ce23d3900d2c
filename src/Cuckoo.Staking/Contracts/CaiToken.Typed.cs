// Typed Nethereum classes for contracts/src/CaiToken.sol: one FunctionMessage per function, [FunctionOutput] for
// multi-value returns, [Event] and [Error] classes. Written from solc's ABI (contracts/build/CaiToken.json);
// ContractDriftTests fails when the Solidity and these classes disagree.
using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Cuckoo.Staking.Contracts.CaiToken;

#pragma warning disable CA1819 // byte[] properties are how Nethereum maps bytes32

/// <summary>The constructor's arguments; set <c>ByteCode</c> to the creation bytecode from solc's output at run time.</summary>
public sealed class CaiTokenDeployment() : ContractDeploymentMessage("")
{
    [Parameter("uint256", "initialSupply", 1)]
    public BigInteger InitialSupply { get; set; }

    [Parameter("uint256", "faucetAmount_", 2)]
    public BigInteger FaucetAmount { get; set; }

    [Parameter("uint256", "faucetCooldown_", 3)]
    public BigInteger FaucetCooldown { get; set; }
}

[Error("FaucetCooldown")]
public sealed class FaucetCooldownError : IErrorDTO
{
    [Parameter("address", "recipient", 1)]
    public string Recipient { get; set; } = "";

    [Parameter("uint256", "availableAt", 2)]
    public BigInteger AvailableAt { get; set; }
}

[Error("FaucetDisabled")]
public sealed class FaucetDisabledError : IErrorDTO;

[Error("FaucetNotAllowed")]
public sealed class FaucetNotAllowedError : IErrorDTO
{
    [Parameter("uint256", "chainId", 1)]
    public BigInteger ChainId { get; set; }

    [Parameter("uint256", "cooldown", 2)]
    public BigInteger Cooldown { get; set; }
}

[Error("InsufficientAllowance")]
public sealed class InsufficientAllowanceError : IErrorDTO
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = "";

    [Parameter("address", "spender", 2)]
    public string Spender { get; set; } = "";

    [Parameter("uint256", "allowance", 3)]
    public BigInteger Allowance { get; set; }

    [Parameter("uint256", "needed", 4)]
    public BigInteger Needed { get; set; }
}

[Error("InsufficientBalance")]
public sealed class InsufficientBalanceError : IErrorDTO
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = "";

    [Parameter("uint256", "balance", 2)]
    public BigInteger Balance { get; set; }

    [Parameter("uint256", "needed", 3)]
    public BigInteger Needed { get; set; }
}

[Error("NotOwner")]
public sealed class NotOwnerError : IErrorDTO
{
    [Parameter("address", "caller", 1)]
    public string Caller { get; set; } = "";
}

[Error("NotPendingOwner")]
public sealed class NotPendingOwnerError : IErrorDTO
{
    [Parameter("address", "caller", 1)]
    public string Caller { get; set; } = "";
}

[Error("ZeroAddress")]
public sealed class ZeroAddressError : IErrorDTO;

[Event("Approval")]
public sealed class ApprovalEvent : IEventDTO
{
    [Parameter("address", "owner", 1, true)]
    public string Owner { get; set; } = "";

    [Parameter("address", "spender", 2, true)]
    public string Spender { get; set; } = "";

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}

[Event("FaucetToggled")]
public sealed class FaucetToggledEvent : IEventDTO
{
    [Parameter("bool", "enabled", 1, false)]
    public bool Enabled { get; set; }
}

[Event("FaucetUsed")]
public sealed class FaucetUsedEvent : IEventDTO
{
    [Parameter("address", "recipient", 1, true)]
    public string Recipient { get; set; } = "";

    [Parameter("uint256", "amount", 2, false)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "nextAvailableAt", 3, false)]
    public BigInteger NextAvailableAt { get; set; }
}

[Event("OwnershipTransferStarted")]
public sealed class OwnershipTransferStartedEvent : IEventDTO
{
    [Parameter("address", "previousOwner", 1, true)]
    public string PreviousOwner { get; set; } = "";

    [Parameter("address", "newOwner", 2, true)]
    public string NewOwner { get; set; } = "";
}

[Event("OwnershipTransferred")]
public sealed class OwnershipTransferredEvent : IEventDTO
{
    [Parameter("address", "previousOwner", 1, true)]
    public string PreviousOwner { get; set; } = "";

    [Parameter("address", "newOwner", 2, true)]
    public string NewOwner { get; set; } = "";
}

[Event("Transfer")]
public sealed class TransferEvent : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public string From { get; set; } = "";

    [Parameter("address", "to", 2, true)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}

[Function("DEVNET_CHAIN_ID", "uint256")]
public sealed class DevnetChainIdFunction : FunctionMessage;

[Function("acceptOwnership")]
public sealed class AcceptOwnershipFunction : FunctionMessage;

[Function("allowance", "uint256")]
public sealed class AllowanceFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Owner { get; set; } = "";

    [Parameter("address", "", 2)]
    public string Spender { get; set; } = "";
}

[Function("approve", "bool")]
public sealed class ApproveFunction : FunctionMessage
{
    [Parameter("address", "spender", 1)]
    public string Spender { get; set; } = "";

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

[Function("balanceOf", "uint256")]
public sealed class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Account { get; set; } = "";
}

[Function("burn")]
public sealed class BurnFunction : FunctionMessage
{
    [Parameter("uint256", "value", 1)]
    public BigInteger Value { get; set; }
}

[Function("decimals", "uint8")]
public sealed class DecimalsFunction : FunctionMessage;

[Function("faucet")]
public sealed class FaucetFunction : FunctionMessage;

[Function("faucetAmount", "uint256")]
public sealed class FaucetAmountFunction : FunctionMessage;

[Function("faucetAvailableAt", "uint256")]
public sealed class FaucetAvailableAtFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = "";
}

[Function("faucetCooldown", "uint256")]
public sealed class FaucetCooldownFunction : FunctionMessage;

[Function("faucetEnabled", "bool")]
public sealed class FaucetEnabledFunction : FunctionMessage;

[Function("lastFaucetAt", "uint256")]
public sealed class LastFaucetAtFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Account { get; set; } = "";
}

[Function("name", "string")]
public sealed class NameFunction : FunctionMessage;

[Function("owner", "address")]
public sealed class OwnerFunction : FunctionMessage;

[Function("pendingOwner", "address")]
public sealed class PendingOwnerFunction : FunctionMessage;

[Function("setFaucetEnabled")]
public sealed class SetFaucetEnabledFunction : FunctionMessage
{
    [Parameter("bool", "enabled", 1)]
    public bool Enabled { get; set; }
}

[Function("symbol", "string")]
public sealed class SymbolFunction : FunctionMessage;

[Function("totalSupply", "uint256")]
public sealed class TotalSupplyFunction : FunctionMessage;

[Function("transfer", "bool")]
public sealed class TransferFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

[Function("transferFrom", "bool")]
public sealed class TransferFromFunction : FunctionMessage
{
    [Parameter("address", "from", 1)]
    public string From { get; set; } = "";

    [Parameter("address", "to", 2)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 3)]
    public BigInteger Value { get; set; }
}

[Function("transferOwnership")]
public sealed class TransferOwnershipFunction : FunctionMessage
{
    [Parameter("address", "newOwner", 1)]
    public string NewOwner { get; set; } = "";
}

/// <summary>Every typed class of CaiToken, as the drift test and the clients enumerate them.</summary>
public static class CaiTokenTypes
{
    public static IReadOnlyList<Type> Functions { get; } =
    [
        typeof(DevnetChainIdFunction),
        typeof(AcceptOwnershipFunction),
        typeof(AllowanceFunction),
        typeof(ApproveFunction),
        typeof(BalanceOfFunction),
        typeof(BurnFunction),
        typeof(DecimalsFunction),
        typeof(FaucetFunction),
        typeof(FaucetAmountFunction),
        typeof(FaucetAvailableAtFunction),
        typeof(FaucetCooldownFunction),
        typeof(FaucetEnabledFunction),
        typeof(LastFaucetAtFunction),
        typeof(NameFunction),
        typeof(OwnerFunction),
        typeof(PendingOwnerFunction),
        typeof(SetFaucetEnabledFunction),
        typeof(SymbolFunction),
        typeof(TotalSupplyFunction),
        typeof(TransferFunction),
        typeof(TransferFromFunction),
        typeof(TransferOwnershipFunction),
    ];

    public static IReadOnlyList<Type> Events { get; } =
    [
        typeof(ApprovalEvent),
        typeof(FaucetToggledEvent),
        typeof(FaucetUsedEvent),
        typeof(OwnershipTransferStartedEvent),
        typeof(OwnershipTransferredEvent),
        typeof(TransferEvent),
    ];

    public static IReadOnlyList<Type> Errors { get; } =
    [
        typeof(FaucetCooldownError),
        typeof(FaucetDisabledError),
        typeof(FaucetNotAllowedError),
        typeof(InsufficientAllowanceError),
        typeof(InsufficientBalanceError),
        typeof(NotOwnerError),
        typeof(NotPendingOwnerError),
        typeof(ZeroAddressError),
    ];
}
