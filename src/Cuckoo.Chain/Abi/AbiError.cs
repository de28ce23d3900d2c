namespace Cuckoo.Chain;

/// <summary>A custom Solidity error: <c>error InsufficientStake(uint256 have, uint256 need)</c>.</summary>
public sealed class AbiError
{
    public AbiError(string name, IReadOnlyList<AbiParameter> inputs)
    {
        Name = name;
        Inputs = inputs;
        Signature = name + AbiSignatureParser.Describe(inputs);
        Selector = Keccak256.Hash(Signature)[..4];
        Types = inputs.Select(p => p.Type).ToArray();
    }

    public string Name { get; }

    public IReadOnlyList<AbiParameter> Inputs { get; }

    public string Signature { get; }

    public byte[] Selector { get; }

    internal AbiType[] Types { get; }

    /// <summary>Parses <c>"error InsufficientStake(uint256 have, uint256 need)"</c> (the keyword is optional).</summary>
    public static AbiError Parse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var parser = new AbiSignatureParser(signature);
        parser.TryKeyword("error");
        var name = parser.ReadWord();
        if (name.Length == 0)
        {
            throw parser.Error("expected an error name");
        }
        var inputs = parser.ParseParameterList(allowIndexed: false);
        parser.ExpectEnd();
        return new AbiError(name, inputs);
    }

    /// <summary>Revert data for this error (selector + encoded arguments), as a contract would produce it.</summary>
    public byte[] Encode(params object?[] args)
    {
        var encoded = AbiEncoder.EncodeTuple(Types, args);
        var result = new byte[4 + encoded.Length];
        Selector.CopyTo(result, 0);
        encoded.CopyTo(result, 4);
        return result;
    }

    /// <summary>Decodes revert data (selector included) into the error's arguments.</summary>
    /// <exception cref="AbiDecodingException">another selector or malformed data.</exception>
    public object?[] Decode(ReadOnlySpan<byte> revertData)
    {
        if (revertData.Length < 4 || !revertData[..4].SequenceEqual(Selector))
        {
            throw new AbiDecodingException($"Revert data is not a {Signature} error.");
        }
        return AbiDecoder.DecodeTuple(Types, revertData[4..]);
    }

    public override string ToString() => Signature;
}
