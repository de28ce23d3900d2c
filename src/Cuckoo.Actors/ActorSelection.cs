namespace Cuckoo.Actors;

/// <summary>
/// Actors addressed by path (<c>/user/scheduler</c>, <c>../sibling</c>, <c>/user/miner/*</c>; <c>*</c> and <c>?</c> match
/// within one element). The path is resolved when a message is sent, so it reaches whoever lives there at that time.
/// </summary>
public sealed class ActorSelection
{
    private readonly ActorSystem _system;
    private readonly ActorCell? _anchor;
    private readonly string[] _elements;

    private ActorSelection(ActorSystem system, ActorCell? anchor, string[] elements, string path)
    {
        _system = system;
        _anchor = anchor;
        _elements = elements;
        PathString = path;
    }

    public string PathString { get; }

    internal static ActorSelection Parse(ActorSystem system, ActorCell? relativeTo, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.StartsWith('/') || path.StartsWith(ActorPath.Scheme + "://", StringComparison.Ordinal))
        {
            if (!ActorPath.TryParse(path, out var systemName, out var elements))
            {
                throw new ArgumentException($"Malformed actor path [{path}]", nameof(path));
            }
            // Another system's actors are not reachable from here (no remoting yet): the selection matches nothing.
            var anchor = systemName is null || systemName == system.Name ? system.RootCell : null;
            return new ActorSelection(system, anchor, elements, path);
        }
        if (relativeTo is null) throw new ArgumentException($"Actor path [{path}] must be absolute (start with /)", nameof(path));
        return new ActorSelection(system, relativeTo, path.Split('/', StringSplitOptions.RemoveEmptyEntries), path);
    }

    /// <summary>The live actors the path matches now.</summary>
    public IReadOnlyList<IActorRef> Resolve()
    {
        var current = new List<ActorCell>();
        if (_anchor is not null) current.Add(_anchor);
        foreach (var element in _elements)
        {
            if (current.Count == 0) break;
            var next = new List<ActorCell>();
            foreach (var cell in current)
            {
                if (element == ".")
                {
                    next.Add(cell);
                }
                else if (element == "..")
                {
                    if (cell.Parent is not null) next.Add(cell.Parent);
                }
                else if (element.Contains('*') || element.Contains('?'))
                {
                    foreach (var child in cell.LiveChildren())
                    {
                        if (!child.IsTerminated && Glob(element, child.Path.Name)) next.Add(child.Cell);
                    }
                }
                else if (cell.ChildForSelection(element) is { } child)
                {
                    next.Add(child.Cell);
                }
            }
            current = next;
        }
        return current.Where(c => !c.IsTerminated).Select(c => (IActorRef)c.Self).Distinct().ToList();
    }

    /// <summary>Sends to every matching actor; to dead letters when none matches.</summary>
    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var targets = Resolve();
        if (targets.Count == 0)
        {
            _system.DeadLetters.Tell(new DeadLetter(message, sender, _system.DeadLetters), sender);
            return;
        }
        foreach (var target in targets) target.Tell(message, sender);
    }

    /// <summary>The one actor the path names; fails with <see cref="ActorNotFoundException"/> when none lives there.</summary>
    public Task<IActorRef> ResolveOne(TimeSpan timeout)
    {
        var targets = Resolve();
        return targets.Count > 0
            ? Task.FromResult(targets[0])
            : Task.FromException<IActorRef>(new ActorNotFoundException($"No actor at [{PathString}]"));
    }

    private static bool Glob(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    public override string ToString() => $"ActorSelection[{PathString}]";
}
