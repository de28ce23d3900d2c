using Cuckoo.Cluster.Enrolment;
using Xunit;

namespace Cuckoo.Cluster.Tests.Enrolment;

public sealed class SemanticVersionTests
{
    [Fact]
    public void SemanticVersion_orders_by_the_specification()
    {
        // semver.org §11's example chain.
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"];
        var versions = ordered.Select(Parse).ToList();
        for (var i = 1; i < versions.Count; i++)
        {
            Assert.True(versions[i - 1] < versions[i], $"{ordered[i - 1]} < {ordered[i]}");
        }
        Assert.Equal(0, Parse("1.0.0+build.1").CompareTo(Parse("1.0.0+build.2")));
        Assert.Equal("1.2.3-rc.1+sha.5", Parse("1.2.3-rc.1+sha.5").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("v1.2.3")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.3-a..b")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.99999999999")]
    public void SemanticVersion_rejects_what_is_not_one(string text) => Assert.False(SemanticVersion.TryParse(text, out _));

    [Theory]
    [InlineData("1.2.0", "1.2.0", true)]
    [InlineData("1.9.3", "1.2.0", true)]
    [InlineData("1.1.9", "1.2.0", false)]
    [InlineData("1.2.0-rc.1", "1.2.0", false)]
    [InlineData("2.0.0", "1.2.0", false)]
    [InlineData("0.4.2", "0.1.0", true)]
    public void Compatible_means_same_major_and_not_below_the_minimum(string version, string minimum, bool compatible) =>
        Assert.Equal(compatible, EnrolmentRequestRules.Compatible(version, Parse(minimum)));

    private static SemanticVersion Parse(string text) => Assert.IsType<SemanticVersion>(SemanticVersion.TryParse(text, out var v) ? v : null);
}
