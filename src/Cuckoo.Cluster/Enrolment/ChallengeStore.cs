using System.Security.Cryptography;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>Where a nonce stands, without redeeming it.</summary>
public enum ChallengeStatus
{
    Outstanding,
    Unknown,
    Expired,
    Redeemed,
}

/// <summary>What redeeming a nonce did.</summary>
public enum ChallengeRedemption
{
    Redeemed,
    Unknown,
    Expired,
    Replayed,
}

/// <summary>
/// Single-use challenge nonces with expiry, in bounded memory. A nonce is remembered, outstanding or redeemed, until
/// <see cref="EnrolmentOptions.ExpiredChallengeRetention"/> after it expires, so that a late or replayed answer is told
/// apart from a made-up nonce; at most <see cref="Capacity"/> are remembered, and the oldest goes first when a new one
/// would exceed that (its answer then reads as unknown: still refused). Thread-safe.
/// </summary>
public sealed class ChallengeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries;
    // Every nonce has the same lifetime, so issue order is also expiry order: one queue serves eviction and sweeping.
    private readonly Queue<string> _order;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _time;

    public ChallengeStore(TimeSpan ttl, int capacity, TimeProvider time, TimeSpan retention = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        (_ttl, Capacity, _time, _retention) = (ttl, capacity, time, retention);
        _entries = new Dictionary<string, Entry>(Math.Min(capacity, 1_024), StringComparer.Ordinal);
        _order = new Queue<string>(Math.Min(capacity, 1_024));
    }

    public ChallengeStore(EnrolmentOptions options, TimeProvider time)
        : this(options?.ChallengeTtl ?? throw new ArgumentNullException(nameof(options)), options.MaxOutstandingChallenges, time, options.ExpiredChallengeRetention)
    {
    }

    public int Capacity { get; }

    /// <summary>Nonces remembered now (outstanding, redeemed or recently expired).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                Sweep(_time.GetUtcNow());
                return _entries.Count;
            }
        }
    }

    /// <summary>A fresh nonce (0x and 32 random bytes, lowercase hex) and its expiry, truncated to a whole second.</summary>
    public (string Nonce, DateTimeOffset ExpiresAt) Issue()
    {
        var nonce = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + _ttl).ToUnixTimeSeconds());
            Sweep(now);
            while (_entries.Count >= Capacity)
            {
                _entries.Remove(_order.Dequeue());
            }
            _entries.Add(nonce, new Entry(expiresAt));
            _order.Enqueue(nonce);
            return (nonce, expiresAt);
        }
    }

    /// <summary>Where <paramref name="nonce"/> stands; <paramref name="expiresAt"/> is its expiry when it is remembered.</summary>
    public ChallengeStatus Lookup(string nonce, out DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Sweep(now);
            if (!_entries.TryGetValue(nonce, out var entry))
            {
                expiresAt = default;
                return ChallengeStatus.Unknown;
            }
            expiresAt = entry.ExpiresAt;
            return entry.Redeemed ? ChallengeStatus.Redeemed : now >= entry.ExpiresAt ? ChallengeStatus.Expired : ChallengeStatus.Outstanding;
        }
    }

    /// <summary>Uses <paramref name="nonce"/> up: only the first call for an outstanding nonce gets <see cref="ChallengeRedemption.Redeemed"/>.</summary>
    public ChallengeRedemption Redeem(string nonce)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Sweep(now);
            if (!_entries.TryGetValue(nonce, out var entry))
            {
                return ChallengeRedemption.Unknown;
            }
            if (entry.Redeemed)
            {
                return ChallengeRedemption.Replayed;
            }
            if (now >= entry.ExpiresAt)
            {
                return ChallengeRedemption.Expired;
            }
            entry.Redeemed = true;
            return ChallengeRedemption.Redeemed;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && _entries[oldest].ExpiresAt + _retention <= now)
        {
            _entries.Remove(_order.Dequeue());
        }
    }

    private sealed class Entry(DateTimeOffset expiresAt)
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool Redeemed { get; set; }
    }
}
