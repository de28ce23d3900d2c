using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Cuckoo.Persistence;

/// <summary>
/// What <see cref="PersistedEventSerializer"/> and Cuckoo.Cluster's WireMessageSerializer share: System.Text.Json bytes
/// under the manifest the registry gives the type, read back only as the type the registry maps that manifest to.
/// Subclasses give the registry, the JSON options and the exception type.
/// </summary>
public abstract class ManifestJsonSerializer<TRegistry> : SerializerWithStringManifest
    where TRegistry : IManifestTypeRegistry
{
    private readonly JsonSerializerOptions _json;

    protected ManifestJsonSerializer(ExtendedActorSystem system, TRegistry registry, JsonSerializerOptions json)
        : base(system)
    {
        Registry = registry;
        _json = json;
    }

    /// <summary>How this serializer maps manifests to types.</summary>
    public TRegistry Registry { get; }

    /// <summary>What the failure sentences call a payload being read ("stored payload", "payload").</summary>
    protected abstract string PayloadNoun { get; }

    public override string Manifest(object o) => Registry.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        var manifest = Registry.ManifestOf(type);
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(obj, type, _json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw Failure($"Could not serialize {type.FullName} ('{manifest}'): {e.Message}", e);
        }
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = Registry.TypeOf(manifest);
        try
        {
            return JsonSerializer.Deserialize(bytes, type, _json)
                ?? throw Failure($"The {PayloadNoun} for '{manifest}' is JSON null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException || IsReadFailure(e))
        {
            throw Failure($"The {PayloadNoun} for '{manifest}' could not be read as {type.FullName}: {ReadError(e)}", e);
        }
    }

    /// <summary>The exception every write or read failure is reported as (Akka expects a <see cref="SerializationException"/>).</summary>
    protected abstract SerializationException Failure(string message, Exception? inner = null);

    /// <summary>Further exceptions a read may end in, beyond System.Text.Json's own.</summary>
    protected virtual bool IsReadFailure(Exception e) => false;

    /// <summary>The reader's error as the failure sentence quotes it.</summary>
    protected virtual string ReadError(Exception e) => e.Message;
}
