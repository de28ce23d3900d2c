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

    /// <summary>Parses a decimal amount such as <c>"20000"</c> or <c>"0.5"</c> into wei.</summary>
    /// <exception cref="FormatException">not a non-negative decimal with at most 18 fractional digits.</exception>
    public static BigInteger Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().Replace("_", "", StringComparison.Ordinal);
        var parts = trimmed.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 && (parts.Length == 1 || parts[1].Length == 0)
            || !parts.All(p => p.All(char.IsAsciiDigit)) || parts.Length == 2 && parts[1].Length > Decimals)
        {
            throw new FormatException($"'{text}' is not a CAI amount (a non-negative decimal with at most {Decimals} fractional digits).");
        }
        var whole = parts[0].Length == 0 ? BigInteger.Zero : BigInteger.Parse(parts[0], CultureInfo.InvariantCulture);
        var fraction = parts.Length == 2 ? parts[1].PadRight(Decimals, '0') : "0";
        return whole * OneToken + BigInteger.Parse(fraction, CultureInfo.InvariantCulture);
    }

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
