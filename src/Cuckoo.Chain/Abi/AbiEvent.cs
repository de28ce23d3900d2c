namespace Cuckoo.Chain;

/// <summary>A contract event: its topic and the decoding of logs (indexed fields from topics, the rest from data).</summary>
public sealed class AbiEvent
{
    private readonly AbiType[] _dataTypes;
    private readonly int[] _dataIndex;
    private readonly int[] _topicIndex;

    public AbiEvent(string name, IReadOnlyList<AbiParameter> inputs, bool anonymous = false)
    {
        Name = name;
        Inputs = inputs;
        Anonymous = anonymous;
        Signature = name + AbiSignatureParser.Describe(inputs);
        Topic0 = Keccak256.Hash(Signature);
        _topicIndex = Enumerable.Range(0, inputs.Count).Where(i => inputs[i].Indexed).ToArray();
        _dataIndex = Enumerable.Range(0, inputs.Count).Where(i => !inputs[i].Indexed).ToArray();
        _dataTypes = _dataIndex.Select(i => inputs[i].Type).ToArray();
        var maxTopics = anonymous ? 4 : 3;
        if (_topicIndex.Length > maxTopics)
        {
            throw new FormatException($"Event {Signature} has {_topicIndex.Length} indexed parameters; at most {maxTopics} fit in topics.");
        }
    }

    public string Name { get; }

    public IReadOnlyList<AbiParameter> Inputs { get; }

    public bool Anonymous { get; }

    /// <summary>The canonical signature, e.g. <c>Staked(address,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>keccak256(signature): the first topic of every (non-anonymous) log of this event.</summary>
    public byte[] Topic0 { get; }

    /// <summary>Parses <c>"event Staked(address indexed staker, uint256 amount)"</c> (the keyword is optional).</summary>
    /// <exception cref="FormatException">not an event signature.</exception>
    public static AbiEvent Parse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var parser = new AbiSignatureParser(signature);
        parser.TryKeyword("event");
        var name = parser.ReadWord();
        if (name.Length == 0)
        {
            throw parser.Error("expected an event name");
        }
        var inputs = parser.ParseParameterList(allowIndexed: true);
        var anonymous = parser.TryKeyword("anonymous");
        parser.ExpectEnd();
        return new AbiEvent(name, inputs, anonymous);
    }

    /// <summary>True when the log's first topic is this event's (always false for anonymous events).</summary>
    public bool Matches(IReadOnlyList<byte[]> topics) =>
        !Anonymous && topics.Count > 0 && topics[0].AsSpan().SequenceEqual(Topic0);

    public DecodedEvent Decode(Log log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return Decode(log.Topics, log.Data, log);
    }

    /// <summary>
    /// Decodes a log. Indexed static values are decoded from their topics; indexed dynamic values (string, bytes,
    /// arrays, tuples) are only present as keccak256 of their encoding, so they come back as that 32-byte hash.
    /// </summary>
    /// <exception cref="AbiDecodingException">the topics are of another event, their count is wrong, or the data is malformed.</exception>
    public DecodedEvent Decode(IReadOnlyList<byte[]> topics, ReadOnlySpan<byte> data) => Decode(topics, data, null);

    private DecodedEvent Decode(IReadOnlyList<byte[]> topics, ReadOnlySpan<byte> data, Log? log)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var first = 0;
        if (!Anonymous)
        {
            if (topics.Count == 0 || !topics[0].AsSpan().SequenceEqual(Topic0))
            {
                throw new AbiDecodingException($"The log is not a {Signature} event (topic0 differs).");
            }
            first = 1;
        }
        if (topics.Count - first != _topicIndex.Length)
        {
            throw new AbiDecodingException($"{Signature} has {_topicIndex.Length} indexed fields but the log has {topics.Count - first} topics after the signature.");
        }
        var values = new object?[Inputs.Count];
        for (var i = 0; i < _topicIndex.Length; i++)
        {
            var index = _topicIndex[i];
            var topic = topics[first + i];
            if (topic.Length != 32)
            {
                throw new AbiDecodingException($"Topic {first + i} of {Signature} is {topic.Length} bytes, not 32.");
            }
            var type = Inputs[index].Type;
            values[index] = type.IsDynamic || type.Kind is AbiKind.Tuple or AbiKind.FixedArray
                ? topic.ToArray()
                : AbiDecoder.DecodeValue(type, topic, 0, Inputs[index].Name);
        }
        if (_dataTypes.Length > 0 || data.Length > 0)
        {
            var decoded = AbiDecoder.DecodeTuple(_dataTypes, data);
            for (var i = 0; i < _dataIndex.Length; i++)
            {
                values[_dataIndex[i]] = decoded[i];
            }
        }
        return new DecodedEvent(this, values, log);
    }

    public override string ToString() => Signature;
}

/// <summary>A decoded log: the values of all the event's parameters in declaration order.</summary>
public sealed class DecodedEvent(AbiEvent @event, IReadOnlyList<object?> values, Log? log)
{
    public AbiEvent Event { get; } = @event;

    public string Name => Event.Name;

    public IReadOnlyList<object?> Values { get; } = values;

    /// <summary>The log it came from, when decoded from a <see cref="Chain.Log"/>.</summary>
    public Log? Log { get; } = log;

    /// <exception cref="KeyNotFoundException">the event has no parameter of that name.</exception>
    public object? this[string name] => Values[IndexOf(name)];

    public T Get<T>(string name) => (T)this[name]!;

    private int IndexOf(string name)
    {
        for (var i = 0; i < Event.Inputs.Count; i++)
        {
            if (Event.Inputs[i].Name == name)
            {
                return i;
            }
        }
        throw new KeyNotFoundException($"Event {Event.Signature} has no parameter '{name}'.");
    }

    public override string ToString() =>
        $"{Name}({string.Join(", ", Event.Inputs.Select((p, i) => $"{p.Name}={AbiFormat.Value(Values[i])}"))})";
}
