using Xunit;

namespace Cuckoo.Persistence.Tests.Serialization;

public sealed class EventTypeRegistryTests
{
    [Fact]
    public void A_scanning_registry_maps_manifests_to_types_and_back()
    {
        var registry = EventTypeRegistry.ScanningLoadedAssemblies();

        Assert.Equal("test.counted.v1", registry.ManifestOf(typeof(Counted)));
        Assert.Equal(typeof(Counted), registry.TypeOf("test.counted.v1"));
        Assert.Equal(typeof(ListSnapshot), registry.TypeOf("test.list-snapshot.v1"));
    }

    [Fact]
    public void An_unknown_manifest_fails_with_an_error_that_names_it()
    {
        var error = Assert.Throws<UnknownManifestException>(() => EventTypeRegistry.ScanningLoadedAssemblies().TypeOf("test.never-defined.v1"));

        Assert.Equal("test.never-defined.v1", error.Manifest);
        Assert.Contains("'test.never-defined.v1'", error.Message);
    }

    [Fact]
    public void Two_types_claiming_one_manifest_are_refused_in_both_directions()
    {
        var registry = EventTypeRegistry.FromAssemblies(typeof(DuplicateA).Assembly);

        var read = Assert.Throws<PersistenceSerializationException>(() => registry.TypeOf("test.duplicate.v1"));
        var write = Assert.Throws<PersistenceSerializationException>(() => registry.ManifestOf(typeof(DuplicateB)));

        Assert.All(new[] { read.Message, write.Message }, m =>
        {
            Assert.Contains(nameof(DuplicateA), m);
            Assert.Contains(nameof(DuplicateB), m);
        });
        var strict = Assert.Throws<ArgumentException>(() => EventTypeRegistry.FromTypes(typeof(DuplicateA), typeof(DuplicateB)));
        Assert.Contains("test.duplicate.v1", strict.Message);
    }

    [Fact]
    public void An_explicit_registry_knows_only_its_types()
    {
        var registry = EventTypeRegistry.FromTypes(typeof(TaskAccepted));

        Assert.Equal(typeof(TaskAccepted), registry.TypeOf("test.task-accepted.v1"));
        Assert.Throws<UnknownManifestException>(() => registry.TypeOf("test.counted.v1"));
    }

    [Fact]
    public void Types_without_a_manifest_or_the_marker_are_refused_with_a_sentence()
    {
        var write = Assert.Throws<PersistenceSerializationException>(
            () => EventTypeRegistry.ScanningLoadedAssemblies().ManifestOf(typeof(WithoutManifest)));
        Assert.Contains("[EventManifest(", write.Message);
        Assert.Throws<ArgumentException>(() => EventTypeRegistry.FromTypes(typeof(WithoutManifest)));
        var notMarked = Assert.Throws<ArgumentException>(() => EventTypeRegistry.FromTypes(typeof(NotMarked)));
        Assert.Contains("IPersistedEvent", notMarked.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    public void Malformed_manifests_are_refused(string manifest)
    {
        var error = Assert.Throws<ArgumentException>(() => new EventManifestAttribute(manifest));
        Assert.Contains("e.g. 'scheduler.task-accepted.v1'", error.Message);
    }

    [Fact]
    public void A_manifest_longer_than_the_limit_is_refused() =>
        Assert.Throws<ArgumentException>(() => new EventManifestAttribute(new string('m', EventManifestAttribute.MaxLength + 1)));

    [EventManifest("test.not-marked.v1")]
    private sealed record NotMarked(int Value);
}
