using System.Text;

namespace Cuckoo.Actors;

/// <summary>
/// The address of an actor inside its system, such as <c>cuckoo://node/user/scheduler</c>. Two paths are equal
/// when system, elements and incarnation (<see cref="Uid"/>) match, so a ref to a stopped actor never equals a
/// ref to a new actor of the same name.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    public const string Scheme = "cuckoo";

    private readonly int _hash;

    private ActorPath(string systemName, ActorPath? parent, string name, long uid)
    {
        SystemName = systemName;
        Parent = parent;
        Name = name;
        Uid = uid;
        Depth = parent is null ? 0 : parent.Depth + 1;
        _hash = HashCode.Combine(parent?._hash ?? systemName.GetHashCode(StringComparison.Ordinal), name.GetHashCode(StringComparison.Ordinal), uid);
    }

    /// <summary>The root path (<c>/</c>) of a system.</summary>
    public static ActorPath Root(string systemName) => new(systemName, null, "", 0);

    public string SystemName { get; }

    /// <summary>The last element; empty for the root.</summary>
    public string Name { get; }

    public ActorPath? Parent { get; }

    /// <summary>Identifies one incarnation of the actor at this path; 0 for paths that are not actors' own.</summary>
    public long Uid { get; }

    public int Depth { get; }

    /// <summary>The names from the root down, e.g. <c>["user", "scheduler"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new string[Depth];
            for (var p = this; p.Parent is not null; p = p.Parent) elements[p.Depth - 1] = p.Name;
            return elements;
        }
    }

    public ActorPath Child(string name, long uid = 0) => new(SystemName, this, name, uid);

    public static ActorPath operator /(ActorPath parent, string name) => parent.Child(name);

    /// <summary>This path without its incarnation, for comparing locations rather than incarnations.</summary>
    public ActorPath WithoutUid() => Uid == 0 ? this : new ActorPath(SystemName, Parent, Name, 0);

    /// <summary>The path below the system, e.g. <c>/user/scheduler</c>.</summary>
    public string ToStringWithoutAddress()
    {
        if (Parent is null) return "/";
        var sb = new StringBuilder();
        Append(sb, this);
        return sb.ToString();
    }

    public override string ToString() => $"{Scheme}://{SystemName}{ToStringWithoutAddress()}";

    /// <summary>The full path with the incarnation (<c>#uid</c>), as used when a ref must be re-resolved exactly.</summary>
    public string ToSerializationFormat() => Uid == 0 ? ToString() : $"{this}#{Uid}";

    private static void Append(StringBuilder sb, ActorPath path)
    {
        if (path.Parent is null) return;
        Append(sb, path.Parent);
        sb.Append('/').Append(path.Name);
    }

    /// <summary>
    /// Splits <c>cuckoo://system/a/b</c> or <c>/a/b</c> into system name (null when absent) and elements.
    /// </summary>
    public static bool TryParse(string path, out string? systemName, out string[] elements)
    {
        systemName = null;
        elements = [];
        if (string.IsNullOrWhiteSpace(path)) return false;
        var rest = path;
        var prefix = Scheme + "://";
        if (rest.StartsWith(prefix, StringComparison.Ordinal))
        {
            rest = rest[prefix.Length..];
            var slash = rest.IndexOf('/');
            systemName = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? "/" : rest[slash..];
            if (systemName.Length == 0) return false;
        }
        if (!rest.StartsWith('/')) return false;
        var hash = rest.IndexOf('#');
        if (hash >= 0) rest = rest[..hash];
        elements = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return true;
    }

    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || _hash != other._hash || Uid != other.Uid || Depth != other.Depth) return false;
        ActorPath? a = this, b = other;
        while (a is not null && b is not null)
        {
            if (ReferenceEquals(a, b)) return true;
            if (a.Uid != b.Uid || !string.Equals(a.Name, b.Name, StringComparison.Ordinal)) return false;
            if (a.Parent is null) return string.Equals(a.SystemName, b.SystemName, StringComparison.Ordinal);
            a = a.Parent;
            b = b.Parent;
        }
        return false;
    }

    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    public override int GetHashCode() => _hash;

    public static bool operator ==(ActorPath? left, ActorPath? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ActorPath? left, ActorPath? right) => !(left == right);
}
