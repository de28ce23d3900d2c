namespace Cuckoo.Chain;

/// <summary>Whether waiting for confirmations mines the blocks itself on a development chain.</summary>
public enum DevnetMining
{
    /// <summary>Mine (<c>evm_mine</c>) when the node says it is Hardhat or anvil (<c>web3_clientVersion</c>) and automines; the default.</summary>
    Auto,

    /// <summary>Never mine: wait for others to, until the deadline.</summary>
    Never,

    /// <summary>Always mine when the head stands still (any node that accepts <c>evm_mine</c>).</summary>
    Always,
}

/// <summary>Settings of a <see cref="ChainClient"/>.</summary>
public sealed record ChainClientOptions
{
    /// <summary>Retries after a transport failure (connection refused, timeout, HTTP 5xx/429, an answer that is not JSON-RPC); 4 by default. JSON-RPC errors are never retried.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First retry delay, doubled per attempt with ±20% jitter; 200 ms by default.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of a retry delay; 5 s by default.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Time allowed for one HTTP exchange; 15 s by default. (Nethereum's own, process-wide
    /// <c>ClientBase.ConnectionTimeout</c> of 20 s applies as well.)
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often <see cref="ChainClient.WaitForReceiptAsync"/> polls; 250 ms by default.</summary>
    public TimeSpan ReceiptPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long <see cref="ChainClient.WaitForReceiptAsync"/> waits when no timeout is given; 2 minutes by default.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether waiting for confirmations mines blocks on a development chain; <see cref="DevnetMining.Auto"/> by default.</summary>
    public DevnetMining DevnetMining { get; init; } = DevnetMining.Auto;

    /// <summary>How long the head must stand still before a devnet wait mines the blocks it needs; 500 ms by default.</summary>
    public TimeSpan DevnetIdleBeforeMining { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Custom errors (classes with Nethereum's <c>[Error]</c> attribute) to decode revert data with; none by default.</summary>
    public IReadOnlyList<Type> KnownErrors { get; init; } = [];

    /// <summary>The clock for backoff, polling and timeouts; the system clock by default.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
