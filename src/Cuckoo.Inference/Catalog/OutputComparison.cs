using Cuckoo.Inference.Imaging;

namespace Cuckoo.Inference.Catalog;

/// <summary>
/// Whether two miners' outputs of one model agree, as the catalog's <see cref="VerificationSpec"/> says: the
/// coordinator's comparison of redundant and audited runs. The bytes are a miner's, so nothing here may throw.
/// </summary>
public static class OutputComparison
{
    /// <summary>Decoding a miner's PNG is bounded by the catalog's largest image, with a margin for models added later.</summary>
    private static readonly ImageLimits Limits = new(MaxWidth: 4096, MaxHeight: 4096);

    /// <summary>
    /// (model, digestA, outputA, digestB, outputB) → agree. Equal digests always agree; a digest model agrees only on
    /// equal digests; a tolerance model agrees when both outputs decode to images of one size and channel count whose
    /// mean absolute difference is within the tolerance in every channel. An unknown model, or bytes that do not
    /// decode, fall back to digest equality. Symmetric.
    /// </summary>
    public static Func<string, string, byte[], string, byte[], bool> For(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return (model, digestA, outputA, digestB, outputB) =>
        {
            if (SameDigest(digestA, digestB))
            {
                return true;
            }
            if (!catalog.Contains(model) || catalog.Get(model).VerificationOrDefault is not
                { Kind: VerificationKind.Tolerance, MaxMeanAbsoluteDifference: { } tolerance })
            {
                return false;
            }
            return WithinTolerance(outputA, outputB, tolerance);
        };
    }

    /// <summary>Digests compare without case and with or without a 0x prefix: miners and the journal may write either form.</summary>
    public static bool SameDigest(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return false;
        }
        var x = a.AsSpan();
        var y = b.AsSpan();
        if (x.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            x = x[2..];
        }
        if (y.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            y = y[2..];
        }
        return x.Length > 0 && x.Equals(y, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The largest of the per-channel mean absolute differences of two PNGs' pixels, or null when either does not decode
    /// or they differ in size or channels.
    /// </summary>
    public static double? MeanAbsoluteDifference(byte[]? pngA, byte[]? pngB)
    {
        if (pngA is not { Length: > 0 } || pngB is not { Length: > 0 })
        {
            return null;
        }
        RgbImage a, b;
        try
        {
            a = PngCodec.Decode(pngA, Limits);
            b = PngCodec.Decode(pngB, Limits);
        }
        catch (Exception e) when (e is InvalidImageException or ArgumentException or InvalidOperationException or OverflowException)
        {
            return null;
        }
        if (a.Width != b.Width || a.Height != b.Height || a.Channels != b.Channels)
        {
            return null;
        }

        var channels = a.Channels;
        var sums = new long[channels];
        var pa = a.Pixels;
        var pb = b.Pixels;
        for (var i = 0; i < pa.Length; i++)
        {
            sums[i % channels] += Math.Abs(pa[i] - pb[i]);
        }
        var pixels = (double)a.Width * a.Height;
        return sums.Max() / pixels;
    }

    private static bool WithinTolerance(byte[] a, byte[] b, double tolerance) =>
        MeanAbsoluteDifference(a, b) is { } difference && difference <= tolerance;
}
