using System.Text;

namespace Cuckoo.Chain.Tests.Support;

/// <summary>Random test inputs from a seeded <see cref="Random"/>.</summary>
internal static class Samples
{
    private static readonly string[] Pieces = ["a", "Z", "0", " ", "é", "ß", "中", "😀", "\n", "\"", "\\", "Ω", "ﬁ"];

    public static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static string Text(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(0, 24); i > 0; i--)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }
        return text.ToString();
    }
}
