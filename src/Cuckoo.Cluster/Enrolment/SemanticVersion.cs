using System.Globalization;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>
/// A Semantic Versioning 2.0.0 version: major.minor.patch, an optional pre-release and build metadata, compared by the
/// specification's precedence (build metadata ignored; a pre-release sorts before its release).
/// </summary>
public sealed record SemanticVersion(int Major, int Minor, int Patch, string Prerelease = "", string Build = "") : IComparable<SemanticVersion>
{
    public static bool TryParse(string? text, out SemanticVersion version)
    {
        version = new SemanticVersion(0, 0, 0);
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var build = "";
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            build = text[(plus + 1)..];
            text = text[..plus];
            if (!Identifiers(build, numericRule: false))
            {
                return false;
            }
        }
        var prerelease = "";
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            prerelease = text[(dash + 1)..];
            text = text[..dash];
            if (!Identifiers(prerelease, numericRule: true))
            {
                return false;
            }
        }
        var parts = text.Split('.');
        if (parts.Length != 3 || !Number(parts[0], out var major) || !Number(parts[1], out var minor) || !Number(parts[2], out var patch))
        {
            return false;
        }
        version = new SemanticVersion(major, minor, patch, prerelease, build);
        return true;
    }

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }
        var c = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (c != 0)
        {
            return c;
        }
        if (Prerelease.Length == 0 || other.Prerelease.Length == 0)
        {
            return other.Prerelease.Length.CompareTo(Prerelease.Length) switch { 0 => 0, var x => Math.Sign(x) };
        }
        var mine = Prerelease.Split('.');
        var theirs = other.Prerelease.Split('.');
        for (var i = 0; i < Math.Min(mine.Length, theirs.Length); i++)
        {
            c = CompareIdentifier(mine[i], theirs[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return mine.Length.CompareTo(theirs.Length);
    }

    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}{(Prerelease.Length > 0 ? "-" + Prerelease : "")}{(Build.Length > 0 ? "+" + Build : "")}";

    // Numeric identifiers compare as numbers and sort before alphanumeric ones, which compare in ASCII order.
    private static int CompareIdentifier(string a, string b)
    {
        var aNumeric = a.All(char.IsAsciiDigit);
        var bNumeric = b.All(char.IsAsciiDigit);
        return (aNumeric, bNumeric) switch
        {
            (true, true) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b),
            (true, false) => -1,
            (false, true) => 1,
            _ => Math.Sign(string.CompareOrdinal(a, b)),
        };
    }

    private static bool Number(string text, out int value)
    {
        value = 0;
        return text.Length > 0 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool Identifiers(string text, bool numericRule) =>
        text.Split('.').All(id => id.Length > 0 && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')
            && (!numericRule || !id.All(char.IsAsciiDigit) || id.Length == 1 || id[0] != '0'));
}
