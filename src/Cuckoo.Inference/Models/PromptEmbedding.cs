using System.Security.Cryptography;
using System.Text;

namespace Cuckoo.Inference.Models;

/// <summary>
/// Turns a prompt and a seed into the latent vector of cuckoo-cppn. Words (lower-cased runs of letters and digits)
/// and word pairs hash to pseudo-random directions that are summed and scaled to a fixed RMS, so every prompt
/// lands somewhere different and word order matters a little. The seed adds smaller noise from SplitMix64.
/// Integer and IEEE float arithmetic only: the same prompt and seed give the same bits everywhere.
/// </summary>
public static class PromptEmbedding
{
    private const float PromptRms = 0.6f;
    private const float SeedScale = 0.3f;

    public static IReadOnlyList<string> Tokens(string prompt)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in prompt.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(ch))
            {
                current.Append(char.ToLowerInvariant(ch));
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    /// <summary>Writes <paramref name="promptDims"/> prompt values then <paramref name="seedDims"/> seed values.</summary>
    public static float[] Latent(string prompt, long seed, int promptDims, int seedDims)
    {
        var tokens = Tokens(prompt);
        if (tokens.Count == 0)
        {
            throw new InvalidModelInputException("the prompt has no words");
        }

        var latent = new float[promptDims + seedDims];
        for (var i = 0; i < tokens.Count; i++)
        {
            Accumulate(latent.AsSpan(0, promptDims), "w:" + tokens[i], 1f);
            if (i > 0)
            {
                Accumulate(latent.AsSpan(0, promptDims), $"p:{tokens[i - 1]} {tokens[i]}", 0.5f);
            }
        }

        var sumSquares = 0f;
        for (var i = 0; i < promptDims; i++)
        {
            sumSquares += latent[i] * latent[i];
        }

        var scale = sumSquares > 0 ? PromptRms / MathF.Sqrt(sumSquares / promptDims) : 0f;
        for (var i = 0; i < promptDims; i++)
        {
            latent[i] *= scale;
        }

        var state = unchecked((ulong)seed) ^ 0x5EED_C0C0_5EED_C0C0UL;
        for (var i = 0; i < seedDims; i++)
        {
            var sum = 0f;
            for (var k = 0; k < 4; k++)
            {
                sum += (SplitMix64(ref state) >> 40) / 16777216f;
            }

            latent[promptDims + i] = (sum - 2f) * 1.7320508f * SeedScale;
        }

        return latent;
    }

    private static void Accumulate(Span<float> target, string feature, float weight)
    {
        Span<byte> block = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetBytes(feature);
        var counter = 0;
        for (var i = 0; i < target.Length; i++)
        {
            if (i % 32 == 0)
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                hash.AppendData(bytes);
                hash.AppendData([(byte)counter++]);
                hash.GetHashAndReset(block);
            }

            target[i] += weight * (block[i % 32] / 127.5f - 1f);
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
