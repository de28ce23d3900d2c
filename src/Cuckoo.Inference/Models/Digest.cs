using System.Security.Cryptography;
using System.Text;

namespace Cuckoo.Inference.Models;

/// <summary>
/// Digests over canonical bytes, so miners with different PNG or JSON encoders still agree: images hash
/// "rgb8 {width}x{height}\n" followed by the raw RGB rows; JSON results hash their canonical UTF-8 text.
/// </summary>
public static class Digest
{
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string OfImage(Imaging.RgbImage image)
    {
        var rgb = image.ToRgb();
        return OfRgb(rgb.Pixels, rgb.Width, rgb.Height);
    }

    /// <summary>The digest of RGB rows (width·height·3 bytes).</summary>
    public static string OfRgb(ReadOnlySpan<byte> rgb, int width, int height)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes($"rgb8 {width}x{height}\n"));
        hash.AppendData(rgb);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
