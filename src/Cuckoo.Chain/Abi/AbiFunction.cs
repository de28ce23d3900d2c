namespace Cuckoo.Chain;

/// <summary>A contract function: its selector, calldata encoding and return-value decoding.</summary>
public sealed class AbiFunction
{
    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter>? outputs = null, string stateMutability = "nonpayable")
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs ?? [];
        StateMutability = stateMutability;
        Signature = name + AbiSignatureParser.Describe(inputs);
        Selector = Keccak256.Hash(Signature)[..4];
        InputTypes = inputs.Select(p => p.Type).ToArray();
        OutputTypes = Outputs.Select(p => p.Type).ToArray();
    }

    public string Name { get; }

    public IReadOnlyList<AbiParameter> Inputs { get; }

    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary><c>view</c>, <c>pure</c>, <c>nonpayable</c> or <c>payable</c>.</summary>
    public string StateMutability { get; }

    public bool IsReadOnly => StateMutability is "view" or "pure";

    /// <summary>The canonical signature, e.g. <c>stake(uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>The first 4 bytes of keccak256(signature).</summary>
    public byte[] Selector { get; }

    internal AbiType[] InputTypes { get; }

    internal AbiType[] OutputTypes { get; }

    /// <summary>
    /// Parses <c>"stake(uint256)"</c> or a human-readable declaration such as
    /// <c>"function balanceOf(address owner) view returns (uint256)"</c>.
    /// </summary>
    /// <exception cref="FormatException">not a function signature.</exception>
    public static AbiFunction Parse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var parser = new AbiSignatureParser(signature);
        parser.TryKeyword("function");
        var name = parser.ReadWord();
        if (name.Length == 0)
        {
            throw parser.Error("expected a function name");
        }
        var inputs = parser.ParseParameterList(allowIndexed: false);
        var mutability = "nonpayable";
        IReadOnlyList<AbiParameter> outputs = [];
        while (!parser.AtEnd)
        {
            var word = parser.ReadWord();
            switch (word)
            {
                case "view" or "pure" or "payable" or "nonpayable":
                    mutability = word;
                    break;
                case "external" or "public" or "virtual" or "override":
                    break;
                case "returns":
                    outputs = parser.ParseParameterList(allowIndexed: false);
                    break;
                default:
                    throw parser.Error(word.Length == 0 ? "unexpected character" : $"unexpected '{word}'");
            }
        }
        return new AbiFunction(name, inputs, outputs, mutability);
    }

    /// <summary>Selector followed by the encoded arguments.</summary>
    /// <exception cref="AbiEncodingException">wrong number of arguments or a value that does not fit its type.</exception>
    public byte[] EncodeCall(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != InputTypes.Length)
        {
            throw new AbiEncodingException($"{Signature} takes {InputTypes.Length} arguments, got {args.Length}.");
        }
        var encoded = AbiEncoder.EncodeTuple(InputTypes, args);
        var calldata = new byte[4 + encoded.Length];
        Selector.CopyTo(calldata, 0);
        encoded.CopyTo(calldata, 4);
        return calldata;
    }

    /// <summary>Decodes calldata (selector included) into the arguments.</summary>
    /// <exception cref="AbiDecodingException">another function's selector or malformed data.</exception>
    public object?[] DecodeInput(ReadOnlySpan<byte> calldata)
    {
        if (calldata.Length < 4 || !calldata[..4].SequenceEqual(Selector))
        {
            throw new AbiDecodingException($"Calldata does not start with the selector of {Signature} ({Hex.Encode(Selector)}).");
        }
        return AbiDecoder.DecodeTuple(InputTypes, calldata[4..]);
    }

    /// <summary>Decodes the return data of a call.</summary>
    /// <exception cref="AbiDecodingException">malformed or empty return data (e.g. no contract at the address).</exception>
    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData)
    {
        if (returnData.Length == 0 && OutputTypes.Length > 0)
        {
            throw new AbiDecodingException($"{Signature} returned no data: is there a contract at that address?");
        }
        return AbiDecoder.DecodeTuple(OutputTypes, returnData);
    }

    public override string ToString() => Signature;
}
