using System.Text;
using Nethereum.Signer;

namespace Cuckoo.Chain;

/// <summary>
/// EIP-191 version 0x45 personal messages: keccak256("\x19Ethereum Signed Message:\n" + length + message), hashed by
/// Nethereum's <see cref="EthereumMessageSigner"/>.
/// </summary>
public static class PersonalMessage
{
    private static readonly EthereumMessageSigner Signer = new();

    /// <summary>The hash that is signed for the UTF-8 bytes of <paramref name="message"/>.</summary>
    public static byte[] Hash(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Hash(Encoding.UTF8.GetBytes(message));
    }

    public static byte[] Hash(ReadOnlySpan<byte> message) => Signer.HashPrefixedMessage(message.ToArray());

    public static EthSignature Sign(EthKey key, string message) => key.Sign(Hash(message));

    public static EthSignature Sign(EthKey key, ReadOnlySpan<byte> message) => key.Sign(Hash(message));

    public static Address RecoverAddress(string message, EthSignature signature) => signature.RecoverAddress(Hash(message));

    /// <exception cref="FormatException">the signature is not 65 bytes of hex or is invalid.</exception>
    public static Address RecoverAddress(string message, string signatureHex) => RecoverAddress(message, EthSignature.Parse(signatureHex));

    public static Address RecoverAddress(ReadOnlySpan<byte> message, EthSignature signature) => signature.RecoverAddress(Hash(message));

    /// <summary>True when the signature is well formed and was made by <paramref name="expected"/> over <paramref name="message"/>.</summary>
    public static bool Verify(string message, string signatureHex, Address expected) =>
        EthSignature.TryParse(signatureHex, out var signature) && signature!.Verify(Hash(message), expected);
}
