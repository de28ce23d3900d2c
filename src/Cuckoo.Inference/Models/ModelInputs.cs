namespace Cuckoo.Inference.Models;

/// <summary>What a task gives a model; each task kind takes one concrete input type.</summary>
public abstract record ModelInput;

/// <summary>Text-to-image: a prompt, a seed (the catalog default when null) and an optional size.</summary>
public sealed record TextToImageInput(string Prompt, long? Seed = null, int? Width = null, int? Height = null) : ModelInput;

/// <summary>An encoded image (PNG, 8-bit gray/RGB/RGBA) for image models such as text detection.</summary>
public sealed record ImageInput(byte[] Png) : ModelInput;

/// <summary>A model's encoded output and the sha256 (lower-case hex) over its canonical bytes.</summary>
public sealed record ModelOutput(string ContentType, byte[] Bytes, string Sha256);

/// <summary>An input the model cannot take (wrong kind, out of limits, undecodable); nothing reached native code.</summary>
public sealed class InvalidModelInputException(string message, Exception? inner = null) : ArgumentException(message, inner);
