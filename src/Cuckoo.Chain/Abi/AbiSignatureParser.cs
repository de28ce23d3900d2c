using System.Globalization;
using System.Text;

namespace Cuckoo.Chain;

/// <summary>A small recursive-descent parser for types and human-readable signatures.</summary>
internal sealed class AbiSignatureParser(string text)
{
    private int _pos;

    public string Text => text;

    public AbiType ParseType()
    {
        SkipSpaces();
        AbiType type;
        if (Peek() == '(')
        {
            type = AbiType.Tuple(ParseParameterList(allowIndexed: false));
        }
        else
        {
            var word = ReadWord();
            if (word == "tuple" && Peek() == '(')
            {
                type = AbiType.Tuple(ParseParameterList(allowIndexed: false));
            }
            else if (word.Length == 0)
            {
                throw Error("expected a type");
            }
            else
            {
                type = AbiType.Elementary(word);
            }
        }
        while (Peek() == '[')
        {
            _pos++;
            var start = _pos;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                _pos++;
            }
            var digits = text[start.._pos];
            Expect(']');
            type = digits.Length == 0
                ? AbiType.ArrayOf(type)
                : AbiType.FixedArrayOf(type, int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture));
        }
        return type;
    }

    /// <summary>Parses <c>(type [indexed] [name], …)</c>.</summary>
    public IReadOnlyList<AbiParameter> ParseParameterList(bool allowIndexed)
    {
        SkipSpaces();
        Expect('(');
        var parameters = new List<AbiParameter>();
        SkipSpaces();
        if (Peek() == ')')
        {
            _pos++;
            return parameters;
        }
        while (true)
        {
            var type = ParseType();
            var indexed = false;
            var name = "";
            SkipSpaces();
            while (char.IsAsciiLetter(Peek()) || Peek() == '_' || Peek() == '$')
            {
                var word = ReadWord();
                if (word == "indexed" && allowIndexed && !indexed && name.Length == 0)
                {
                    indexed = true;
                }
                else if (word is "memory" or "calldata" or "storage" or "payable")
                {
                    // Data locations and address payable do not change the ABI.
                }
                else if (name.Length == 0)
                {
                    name = word;
                }
                else
                {
                    throw Error($"unexpected '{word}'");
                }
                SkipSpaces();
            }
            parameters.Add(new AbiParameter(name, type, indexed));
            SkipSpaces();
            if (Peek() == ',')
            {
                _pos++;
                continue;
            }
            Expect(')');
            return parameters;
        }
    }

    public string ReadWord()
    {
        SkipSpaces();
        var start = _pos;
        while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '$'))
        {
            _pos++;
        }
        return text[start.._pos];
    }

    public bool TryKeyword(string keyword)
    {
        SkipSpaces();
        var save = _pos;
        if (ReadWord() == keyword)
        {
            return true;
        }
        _pos = save;
        return false;
    }

    public char Peek()
    {
        SkipSpaces();
        return _pos < text.Length ? text[_pos] : '\0';
    }

    public void Expect(char ch)
    {
        SkipSpaces();
        if (_pos >= text.Length || text[_pos] != ch)
        {
            throw Error($"expected '{ch}'");
        }
        _pos++;
    }

    public void ExpectEnd()
    {
        SkipSpaces();
        if (_pos != text.Length)
        {
            throw Error("unexpected text");
        }
    }

    public bool AtEnd
    {
        get
        {
            SkipSpaces();
            return _pos >= text.Length;
        }
    }

    public FormatException Error(string what) =>
        new($"Cannot parse ABI '{text}': {what} at position {_pos}.");

    private void SkipSpaces()
    {
        while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
        {
            _pos++;
        }
    }

    internal static string Describe(IReadOnlyList<AbiParameter> parameters)
    {
        var sb = new StringBuilder("(");
        for (var i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(parameters[i].Type.Name);
        }
        return sb.Append(')').ToString();
    }
}
