using Cuckoo.Coordinator.Admin;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Admin;

public sealed class AdminAccessFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cuckoo-admin-access-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_then_read_round_trips_and_the_file_is_owner_only()
    {
        var path = AdminAccessFile.DefaultPath(_dir);
        var token = AdminAccessFile.NewToken();
        AdminAccessFile.Write(path, new Uri("https://127.0.0.1:9443"), token, "AB:CD:EF");

        var (url, read) = AdminAccessFile.Read(path);
        Assert.Equal(new Uri("https://127.0.0.1:9443"), url);
        Assert.Equal(token, read);
        Assert.Equal("abcdef", AdminAccessFile.Read(path).Thumbprint);
        Assert.Equal(Path.Combine(_dir, "coordinator", "admin.json"), path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        // Rewritten at the next start: the new values replace the old, and no temporary file is left.
        AdminAccessFile.Write(path, new Uri("https://127.0.0.1:9444"), token);
        Assert.Null(AdminAccessFile.Read(path).Thumbprint);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void New_tokens_are_43_characters_of_base64url_and_differ()
    {
        var a = AdminAccessFile.NewToken();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", a);
        Assert.NotEqual(a, AdminAccessFile.NewToken());
    }

    [Theory]
    [InlineData("{ not json", "is not an admin access file")]
    [InlineData("{\"url\": \"https://127.0.0.1:1\"}", "needs \"url\" and \"token\"")]
    [InlineData("{\"url\": \"ftp://127.0.0.1:1\", \"token\": \"t\"}", "is not an http(s) URL")]
    public void A_file_that_is_not_an_access_file_says_what_is_wrong(string json, string says)
    {
        var path = Path.Combine(_dir, "admin.json");
        File.WriteAllText(path, json);
        Assert.Contains(says, Assert.Throws<InvalidDataException>(() => AdminAccessFile.Read(path)).Message);
    }

    [Fact]
    public void Tokens_compare_equal_only_when_equal()
    {
        Assert.True(AdminAuth.SameToken("abc", "abc"));
        Assert.False(AdminAuth.SameToken("abc", "abd"));
        Assert.False(AdminAuth.SameToken("abc", "abcd"));
        Assert.False(AdminAuth.SameToken("", "abc"));
    }
}
