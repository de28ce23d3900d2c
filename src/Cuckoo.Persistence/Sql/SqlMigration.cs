namespace Cuckoo.Persistence.Sql;

/// <summary>One schema step; applied once, in version order, recorded in <c>schema_version</c>.</summary>
public sealed record SqlMigration(int Version, string Description, string Sql);

/// <summary>The database was written by a newer build whose schema this one does not know.</summary>
public sealed class SchemaVersionException(int found, int known)
    : Exception($"The database schema is at version {found}, newer than the {known} this build knows; " +
                "run a newer build or point it at another database.")
{
    public int Found { get; } = found;

    public int Known { get; } = known;
}
