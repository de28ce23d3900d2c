using System.Globalization;
using System.Text;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;

namespace Cuckoo.Miner.Work;

/// <summary>An assignment's wire input (<see cref="Cuckoo.Cluster.Work.WorkAssigned"/>) as the model input a worker takes.</summary>
public static class WorkInputs
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Text-to-image: the bytes are the UTF-8 prompt, and the parameters may hold width, height and seed as invariant
    /// integers (the catalog's defaults when absent). Text detection: the bytes are the image. Limits are the worker's
    /// to check; here only what cannot be parsed is refused, with a reason for the dispatcher.
    /// </summary>
    public static bool TryConvert(ModelTask task, byte[] input, IReadOnlyDictionary<string, string>? parameters, out ModelInput? value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(input);
        value = null;
        problem = null;
        switch (task)
        {
            case ModelTask.TextToImage:
                string prompt;
                try
                {
                    prompt = StrictUtf8.GetString(input);
                }
                catch (DecoderFallbackException)
                {
                    problem = "the prompt is not valid UTF-8";
                    return false;
                }
                if (!TryInteger(parameters, "width", out var width, ref problem)
                    || !TryInteger(parameters, "height", out var height, ref problem)
                    || !TryLong(parameters, "seed", out var seed, ref problem))
                {
                    return false;
                }
                value = new TextToImageInput(prompt, seed, width is { } w ? (int)w : null, height is { } h ? (int)h : null);
                return true;
            case ModelTask.TextDetection:
                value = new ImageInput(input);
                return true;
            default:
                problem = $"this miner cannot run {task} models";
                return false;
        }
    }

    private static bool TryInteger(IReadOnlyDictionary<string, string>? parameters, string name, out long? value, ref string? problem)
    {
        if (!TryLong(parameters, name, out value, ref problem))
        {
            return false;
        }
        if (value is < int.MinValue or > int.MaxValue)
        {
            problem = $"parameter '{name}' is out of range: {value}";
            return false;
        }
        return true;
    }

    private static bool TryLong(IReadOnlyDictionary<string, string>? parameters, string name, out long? value, ref string? problem)
    {
        value = null;
        if (parameters is null || !parameters.TryGetValue(name, out var text))
        {
            return true;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            problem = $"parameter '{name}' must be an integer, not '{text}'";
            return false;
        }
        value = parsed;
        return true;
    }
}
