using OfflineBackup.Configuration.Passwords;

namespace OfflineBackup.Tests.Unit.Configuration;

public sealed class MySqlOptionFileTests
{
    [Theory]
    [InlineData("[client]\npassword=plain\n", "plain")]
    [InlineData("[client]\n  password  =  spaced  \n", "spaced")]
    [InlineData("[client]\npassword=\"with # hash\" # trailing comment\n", "with # hash")]
    [InlineData("[client]\npassword='single quoted'\n", "single quoted")]
    [InlineData("[client]\npassword=unquoted # comment\n", "unquoted")]
    [InlineData("[client]\npassword=a\\sb\\\\c\\td\n", "a b\\c\td")]
    [InlineData("[client]\npassword=\"say \\\"hi\\\"\"\n", "say \"hi\"")]
    [InlineData("[client]\npassword=keep\\qunknown\n", "keep\\qunknown")]
    [InlineData("[client]\npassword=\n", "")]
    [InlineData("[client]\npassword=first\npassword=second\n", "second")]
    [InlineData("[CLIENT]\nPassword=case\n", "case")]
    [InlineData("# comment\n; another\n\n[mysqld]\npassword=server\n[client]\npassword=client\n[mysql]\npassword=other\n", "client")]
    [InlineData("[client]\r\npassword=windows\r\n", "windows")]
    [InlineData("[client] # the client group\npassword=after-comment\n", "after-comment")]
    public void ClientPassword_IsReadAsTheMySqlClientReadsIt(string text, string expected)
    {
        var file = MySqlOptionFile.Parse(text);

        Assert.Null(file.MalformedLine);
        Assert.Equal(expected, file.Client["password"]);
    }

    [Fact]
    public void DashesAndUnderscores_AreTheSameInNames()
    {
        var file = MySqlOptionFile.Parse("[client]\nssl-mode=REQUIRED\nconnect_timeout=5\n");

        Assert.Equal("REQUIRED", file.Client["ssl_mode"]);
        Assert.Equal("5", file.Client["connect_timeout"]);
    }

    [Fact]
    public void BarePassword_MapsToNull()
    {
        var file = MySqlOptionFile.Parse("[client]\npassword\n");

        Assert.True(file.Client.ContainsKey("password"));
        Assert.Null(file.Client["password"]);
    }

    [Theory]
    [InlineData("password=x\n", 1)]
    [InlineData("[client\npassword=x\n", 1)]
    [InlineData("[client]\n=value\n", 2)]
    [InlineData("[client]\nuser=a\ntwo words=x\n", 3)]
    [InlineData("[client] trailing\n", 1)]
    public void MalformedLine_IsReportedByNumber(string text, int line) =>
        Assert.Equal(line, MySqlOptionFile.Parse(text).MalformedLine);

    [Fact]
    public void Includes_AreNotedAndSkipped()
    {
        var file = MySqlOptionFile.Parse("!includedir /etc/mysql/conf.d/\n[client]\nuser=monitor\n");

        Assert.True(file.HasIncludes);
        Assert.Null(file.MalformedLine);
        Assert.False(file.Client.ContainsKey("password"));
    }
}
