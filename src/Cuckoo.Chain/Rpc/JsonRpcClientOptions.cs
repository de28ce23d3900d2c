namespace Cuckoo.Chain;

/// <summary>Settings of a <see cref="JsonRpcClient"/>.</summary>
public sealed record JsonRpcClientOptions
{
    /// <summary>Retries after a transport failure (connection refused, timeout, HTTP 5xx/429); 4 by default. JSON-RPC errors are never retried.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First retry delay, doubled per attempt with ±20% jitter; 200 ms by default.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of a retry delay; 5 s by default.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for one HTTP exchange; 30 s by default.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="JsonRpcClient.WaitForReceiptAsync"/> polls; 250 ms by default.</summary>
    public TimeSpan ReceiptPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Custom errors to decode revert data with (e.g. the staking contract's); none by default.</summary>
    public IReadOnlyList<AbiError> KnownErrors { get; init; } = [];

    /// <summary>The clock for backoff, polling and timeouts; the system clock by default.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
