using System.Globalization;
using System.Numerics;

namespace Cuckoo.Staking;

/// <summary>CAI amounts: 18 decimals, held as wei in <see cref="BigInteger"/>.</summary>
public static class Cai
{
    public const int Decimals = 18;

    public static readonly BigInteger OneToken = BigInteger.Pow(10, Decimals);

    /// <summary>Whole tokens to wei.</summary>
    public static BigInteger Tokens(long tokens) => tokens * OneToken;

    /// <summary>The largest amount a uint256 holds: 2^256 - 1 wei.</summary>
    public static readonly BigInteger MaxWei = BigInteger.Pow(2, 256) - 1;

    /// <summary>Parses a decimal amount such as <c>"20000"</c> or <c>"0.5"</c> into wei.</summary>
    /// <exception cref="FormatException">
    /// not a non-negative decimal with at most 18 fractional digits, or 2^256 wei or more; the message is a sentence
    /// that names the text and the rule.
    /// </exception>
    public static BigInteger Parse(string text) =>
        TryParse(text, out var wei, out var error) ? wei : throw new FormatException(error);

    public static bool TryParse(string? text, out BigInteger wei) => TryParse(text, out wei, out _);

    private static bool TryParse(string? text, out BigInteger wei, out string error)
    {
        wei = BigInteger.Zero;
        error = $"'{Shorten(text ?? "")}' is not a CAI amount (a non-negative decimal with at most {Decimals} fractional digits, such as 20000 or 0.5).";
        if (text is null)
        {
            return false;
        }
        var trimmed = text.Trim().Replace("_", "", StringComparison.Ordinal);
        var parts = trimmed.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 && (parts.Length == 1 || parts[1].Length == 0)
            || !parts.All(p => p.All(char.IsAsciiDigit)) || parts.Length == 2 && parts[1].Length > Decimals)
        {
            return false;
        }
        // Longer than any uint256 amount: refuse before building a huge number.
        if (parts[0].TrimStart('0').Length > 60)
        {
            error = $"'{Shorten(text)}' is not a CAI amount: it is more than a uint256 holds (at most 2^256-1 wei).";
            return false;
        }
        var whole = parts[0].Length == 0 ? BigInteger.Zero : BigInteger.Parse(parts[0], CultureInfo.InvariantCulture);
        var fraction = parts.Length == 2 ? parts[1].PadRight(Decimals, '0') : "0";
        var value = whole * OneToken + BigInteger.Parse(fraction, CultureInfo.InvariantCulture);
        if (value > MaxWei)
        {
            error = $"'{Shorten(text)}' is not a CAI amount: it is more than a uint256 holds (at most 2^256-1 wei).";
            return false;
        }
        wei = value;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <summary>Wei as a decimal token amount without trailing zeros, e.g. <c>20000</c> or <c>0.000000000000000001</c>.</summary>
    public static string Format(BigInteger wei)
    {
        var sign = wei.Sign < 0 ? "-" : "";
        var abs = BigInteger.Abs(wei);
        var whole = BigInteger.DivRem(abs, OneToken, out var fraction);
        var text = whole.ToString(CultureInfo.InvariantCulture);
        if (!fraction.IsZero)
        {
            text += "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        }
        return sign + text;
    }
}
