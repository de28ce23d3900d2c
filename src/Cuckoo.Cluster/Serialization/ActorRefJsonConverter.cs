using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace Cuckoo.Cluster.Serialization;

/// <summary>
/// Writes an <see cref="IActorRef"/> inside a wire message as its full path with address, as Akka's own serializers do,
/// and resolves it on the receiving node. Null stays null; Nobody travels as an empty string.
/// </summary>
internal sealed class ActorRefJsonConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
{
    public override bool HandleNull => false;

    public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("An actor reference must be a JSON string holding its path.");
        }

        var path = reader.GetString()!;
        return path.Length == 0 ? ActorRefs.Nobody : system.Provider.ResolveActorRef(path);
    }

    public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ReferenceEquals(value, ActorRefs.Nobody) ? string.Empty : Akka.Serialization.Serialization.SerializedActorPath(value));
}
