using System.Buffers.Binary;
using System.Text.Json;

namespace Cuckoo.Chain;

/// <summary>A contract's ABI: its functions, events and errors, read from solc's JSON.</summary>
public sealed class ContractAbi
{
    private readonly Dictionary<string, List<AbiFunction>> _functionsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbiFunction> _functionsBySignature = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbiEvent> _eventsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<UInt128, AbiEvent> _eventsByTopic = [];
    private readonly Dictionary<uint, AbiError> _errorsBySelector = [];
    private readonly Dictionary<string, AbiError> _errorsByName = new(StringComparer.Ordinal);

    public ContractAbi(IEnumerable<AbiFunction> functions, IEnumerable<AbiEvent> events, IEnumerable<AbiError> errors)
    {
        Functions = functions.ToArray();
        Events = events.ToArray();
        Errors = errors.ToArray();
        foreach (var f in Functions)
        {
            if (!_functionsByName.TryGetValue(f.Name, out var list))
            {
                _functionsByName[f.Name] = list = [];
            }
            list.Add(f);
            _functionsBySignature[f.Signature] = f;
        }
        foreach (var e in Events)
        {
            _eventsByName.TryAdd(e.Name, e);
            if (!e.Anonymous)
            {
                _eventsByTopic[TopicKey(e.Topic0)] = e;
            }
        }
        foreach (var e in Errors)
        {
            _errorsBySelector[BinaryPrimitives.ReadUInt32BigEndian(e.Selector)] = e;
            _errorsByName.TryAdd(e.Name, e);
        }
    }

    public IReadOnlyList<AbiFunction> Functions { get; }

    public IReadOnlyList<AbiEvent> Events { get; }

    public IReadOnlyList<AbiError> Errors { get; }

    /// <summary>Reads a JSON ABI array, or an object with an <c>abi</c> property (solc / Hardhat artifact output).</summary>
    /// <exception cref="FormatException">not JSON or not an ABI.</exception>
    public static ContractAbi FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The ABI is not valid JSON: {ex.Message}", ex);
        }
    }

    public static ContractAbi FromJson(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("abi", out var abi))
        {
            root = abi;
        }
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("An ABI is a JSON array of entries (or an object with an 'abi' array).");
        }
        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiError>();
        foreach (var entry in root.EnumerateArray())
        {
            var kind = entry.TryGetProperty("type", out var t) ? t.GetString() : "function";
            var name = entry.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            switch (kind)
            {
                case "function":
                    var mutability = entry.TryGetProperty("stateMutability", out var m) ? m.GetString() ?? "nonpayable"
                        : entry.TryGetProperty("constant", out var c) && c.ValueKind == JsonValueKind.True ? "view" : "nonpayable";
                    functions.Add(new AbiFunction(name, Parameters(entry, "inputs"), Parameters(entry, "outputs"), mutability));
                    break;
                case "event":
                    var anonymous = entry.TryGetProperty("anonymous", out var a) && a.ValueKind == JsonValueKind.True;
                    events.Add(new AbiEvent(name, Parameters(entry, "inputs"), anonymous));
                    break;
                case "error":
                    errors.Add(new AbiError(name, Parameters(entry, "inputs")));
                    break;
            }
        }
        return new ContractAbi(functions, events, errors);
    }

    private static AbiParameter[] Parameters(JsonElement entry, string property)
    {
        if (!entry.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        return list.EnumerateArray().Select(ParameterFromJson).ToArray();
    }

    private static AbiParameter ParameterFromJson(JsonElement p)
    {
        var name = p.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var typeText = p.TryGetProperty("type", out var t) ? t.GetString() ?? "" : throw new FormatException($"ABI parameter '{name}' has no type.");
        var indexed = p.TryGetProperty("indexed", out var i) && i.ValueKind == JsonValueKind.True;
        AbiType type;
        if (typeText.StartsWith("tuple", StringComparison.Ordinal))
        {
            var components = p.TryGetProperty("components", out var comps) ? comps.EnumerateArray().Select(ParameterFromJson).ToArray() : [];
            // "tuple[2][]": the suffix applies to the tuple built from the components.
            type = AbiType.Parse(AbiSignatureParser.Describe(components) + typeText["tuple".Length..]);
            type = RebuildWithNames(type, components);
        }
        else
        {
            type = AbiType.Parse(typeText);
        }
        return new AbiParameter(name, type, indexed);
    }

    private static AbiType RebuildWithNames(AbiType type, AbiParameter[] components) => type.Kind switch
    {
        AbiKind.Tuple => AbiType.Tuple(components),
        AbiKind.Array => AbiType.ArrayOf(RebuildWithNames(type.Element!, components)),
        AbiKind.FixedArray => AbiType.FixedArrayOf(RebuildWithNames(type.Element!, components), type.Length),
        _ => type,
    };

    /// <summary>The function with this name (or exact signature, e.g. <c>stake(uint256)</c>).</summary>
    /// <exception cref="KeyNotFoundException">no such function, or the name is overloaded (use the signature).</exception>
    public AbiFunction Function(string nameOrSignature)
    {
        if (_functionsBySignature.TryGetValue(nameOrSignature, out var exact))
        {
            return exact;
        }
        if (_functionsByName.TryGetValue(nameOrSignature, out var list))
        {
            return list.Count == 1
                ? list[0]
                : throw new KeyNotFoundException($"Function '{nameOrSignature}' is overloaded; name one of: {string.Join(", ", list.Select(f => f.Signature))}.");
        }
        throw new KeyNotFoundException($"The ABI has no function '{nameOrSignature}'.");
    }

    /// <exception cref="KeyNotFoundException">no such event.</exception>
    public AbiEvent Event(string name) =>
        _eventsByName.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"The ABI has no event '{name}'.");

    /// <exception cref="KeyNotFoundException">no such error.</exception>
    public AbiError Error(string name) =>
        _errorsByName.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"The ABI has no error '{name}'.");

    public AbiEvent? FindEvent(ReadOnlySpan<byte> topic0) =>
        topic0.Length == 32 && _eventsByTopic.TryGetValue(TopicKey(topic0), out var e) && e.Topic0.AsSpan().SequenceEqual(topic0) ? e : null;

    public AbiError? FindError(ReadOnlySpan<byte> selector) =>
        selector.Length >= 4 && _errorsBySelector.TryGetValue(BinaryPrimitives.ReadUInt32BigEndian(selector), out var e) ? e : null;

    /// <summary>Decodes a log of any event in this ABI; false when its topic is unknown.</summary>
    /// <exception cref="AbiDecodingException">the topic is known but the log is malformed.</exception>
    public bool TryDecodeLog(Log log, out DecodedEvent? decoded)
    {
        ArgumentNullException.ThrowIfNull(log);
        decoded = null;
        if (log.Topics.Count == 0)
        {
            return false;
        }
        var e = FindEvent(log.Topics[0]);
        if (e is null)
        {
            return false;
        }
        decoded = e.Decode(log);
        return true;
    }

    public RevertInfo DecodeRevert(ReadOnlySpan<byte> revertData) => RevertInfo.Decode(revertData, this);

    private static UInt128 TopicKey(ReadOnlySpan<byte> topic) => BinaryPrimitives.ReadUInt128BigEndian(topic);
}
