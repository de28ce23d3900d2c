using System.Security.Cryptography;
using Cuckoo.Chain;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Staking;

namespace Cuckoo.Cluster.Work;

// The work protocol between a miner's work link (on the miner node) and the coordinator's dispatcher (in the leader
// singleton). Miners pull: a link says how many tasks it can take (its credits), and the dispatcher only assigns within
// them. Addresses travel as 0x strings, as in the membership protocol. The link reaches the dispatcher through the
// coordinator role's singleton proxy, so a coordinator failover only delays it.

/// <summary>
/// Link to dispatcher: this miner serves <paramref name="Models"/> and can take <paramref name="Free"/> more tasks now.
/// Sent when the link starts, whenever its free credits change, and every heartbeat (a new dispatcher after a failover
/// learns the miner from it). <paramref name="Received"/> counts the assignments this link has taken from the dispatcher
/// incarnation that last sent it one, so that the dispatcher can subtract assignments still in flight.
/// </summary>
[WireManifest("work.requested.v1")]
public sealed record WorkRequested(string Miner, string[] Models, int Capacity, int Free, long Received, string Provider) : IWireMessage
{
    public Address MinerAddress => Address.Parse(Miner);
}

/// <summary>
/// Dispatcher to link: run attempt <paramref name="Attempt"/> of a task. The input is the gateway's wire form: a prompt as
/// UTF-8, an image as its bytes; parameters as strings (width, height, seed). The same attempt can come twice (after a
/// scheduler restart): a link answers it from its cache of finished work rather than running it again.
/// </summary>
/// <param name="Coordinator">The coordinator address the result is signed for (EIP-712 <c>Result.coordinator</c>).</param>
/// <param name="DeadlineMs">How long the attempt may run before the scheduler gives it to another miner.</param>
[WireManifest("work.assigned.v1")]
public sealed record WorkAssigned(
    string TaskId, int Attempt, string Model, byte[] Input, Dictionary<string, string>? Parameters, long DeadlineMs, string Coordinator) : IWireMessage;

/// <summary>Dispatcher to link: the attempt was given to another miner (deadline, loss): stop work on it; nothing is paid for it.</summary>
[WireManifest("work.revoked.v1")]
public sealed record WorkRevoked(string TaskId, int Attempt, string Reason) : IWireMessage;

/// <summary>
/// Link to dispatcher: the attempt's output, its SHA-256 (hex, as the inference layer computes it) and the miner's EIP-712
/// <c>Result</c> signature (0x hex, 65 bytes) over <see cref="WorkTask.For"/> of the task. Resent until acknowledged.
/// </summary>
[WireManifest("work.completed.v1")]
public sealed record WorkCompleted(
    string TaskId, int Attempt, string Miner, string ContentType, byte[] Output, string OutputDigest, string Signature) : IWireMessage
{
    public Address MinerAddress => Address.Parse(Miner);
}

/// <summary>
/// Link to dispatcher: the model has begun running the attempt (it may have waited behind another in the miner's queue).
/// Sent once, and again to a dispatcher that assigns the attempt again; not resent otherwise: it only tells apps that
/// their task runs, and a lost one leaves the task shown as assigned until its result.
/// </summary>
[WireManifest("work.started.v1")]
public sealed record WorkStarted(string TaskId, int Attempt, string Miner) : IWireMessage;

/// <summary>Link to dispatcher: the attempt produced nothing (model error, bad input, deadline), and why. Resent until acknowledged.</summary>
[WireManifest("work.failed.v1")]
public sealed record WorkFailed(string TaskId, int Attempt, string Miner, string Reason) : IWireMessage
{
    public Address MinerAddress => Address.Parse(Miner);
}

/// <summary>Dispatcher to link: the outcome of an attempt was recorded, or refused with a reason; either way, stop resending it.</summary>
[WireManifest("work.acknowledged.v1")]
public sealed record WorkAcknowledged(string TaskId, int Attempt, bool Accepted, string? Reason) : IWireMessage;

/// <summary>How a task is named in the contract's typed data, the same on miner and coordinator.</summary>
public static class WorkTask
{
    /// <summary>
    /// Task id: keccak256 of the scheduler's task id (UTF-8); model id: keccak256 of the catalog id; input digest: SHA-256
    /// of the input's wire bytes, the same hash the inference layer uses for outputs.
    /// </summary>
    public static StakingTask For(string taskId, string model, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        return new StakingTask(Keccak256.Hash(taskId), Keccak256.Hash(model), SHA256.HashData(input));
    }

    /// <summary>An output digest as the miners report it (64 hex digits, optionally 0x) as the contract's bytes32.</summary>
    public static bool TryDigestBytes(string hex, out byte[] digest)
    {
        digest = [];
        var text = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (text.Length != 64 || !text.All(Uri.IsHexDigit))
        {
            return false;
        }
        digest = Convert.FromHexString(text);
        return true;
    }

    public static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>The miner's signature over its output of an assignment, as <see cref="WorkCompleted.Signature"/> carries it.</summary>
    public static string SignResult(StakingTypedData typed, EthKey miner, WorkAssigned work, string outputDigest)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(work);
        if (!TryDigestBytes(outputDigest, out var digest))
        {
            throw new ArgumentException("An output digest is 64 hex digits.", nameof(outputDigest));
        }
        return Hex(typed.SignResult(miner, For(work.TaskId, work.Model, work.Input), digest, Address.Parse(work.Coordinator)));
    }

    /// <summary>Whether <paramref name="signature"/> is <paramref name="miner"/>'s EIP-712 Result signature for this output; never throws on a peer's bytes.</summary>
    public static bool VerifyResult(
        StakingTypedData typed, Address coordinator, string taskId, string model, byte[] input, string outputDigest, string signature, Address miner)
    {
        ArgumentNullException.ThrowIfNull(typed);
        if (!TryDigestBytes(outputDigest, out var digest) || signature is null)
        {
            return false;
        }
        var text = signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? signature[2..] : signature;
        if (text.Length != 130 || !text.All(Uri.IsHexDigit))
        {
            return false;
        }
        try
        {
            var resultDigest = typed.ResultDigest(For(taskId, model, input), digest, coordinator);
            return StakingTypedData.Recover(resultDigest, Convert.FromHexString(text)) == miner;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or ArithmeticException)
        {
            return false;
        }
    }
}
