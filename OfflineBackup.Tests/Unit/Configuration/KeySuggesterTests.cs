using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Tests.Unit.Configuration;

public sealed class KeySuggesterTests
{
    private static readonly string[] Known = ["host", "user", "port", "password", "db", "password_file", "option_file", "retention_seconds"];

    [Theory]
    [InlineData("retension_seconds", "retention_seconds")]
    [InlineData("hots", "host")]
    [InlineData("Port", "port")]
    [InlineData("password-file", "password_file")]
    [InlineData("pasword", "password")]
    [InlineData("optionfile", "option_file")]
    [InlineData("xyz", null)]
    [InlineData("lock_filename", null)]
    public void Closest_SuggestsNearTyposOnly(string typed, string? expected) =>
        Assert.Equal(expected, KeySuggester.Closest(typed, Known));

    [Theory]
    [InlineData("ab", "ba", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Distance_CountsTranspositionsAsOneEdit(string a, string b, int expected) =>
        Assert.Equal(expected, KeySuggester.Distance(a, b));
}
