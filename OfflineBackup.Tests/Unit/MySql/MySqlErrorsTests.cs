using MySql.Data.MySqlClient;

namespace OfflineBackup.Tests.Unit.MySql;

public sealed class MySqlErrorsTests
{
    private static MySqlSettings Settings(string password) =>
        new("db1.internal", "monitor", 3307, new Secret(password), "app", TimeSpan.FromSeconds(3));

    [Fact]
    public void A_message_quoting_the_password_is_masked_and_the_exception_not_attached()
    {
        var leaky = new InvalidOperationException("bad connection string: password=Hunter2-Secret;",
            new IOException("still Hunter2-Secret here"));

        var error = MySqlErrors.ForConnect(new IOException("wrapper", leaky), Settings("Hunter2-Secret"));

        Assert.DoesNotContain("Hunter2-Secret", error.Message);
        Assert.Contains("password=********", error.Message);
        Assert.Null(error.InnerException);
        Assert.DoesNotContain("Hunter2-Secret", error.ToString());
    }

    [Fact]
    public void A_clean_message_is_quoted_whole_with_its_causes_and_the_target()
    {
        var error = MySqlErrors.ForConnect(
            new TimeoutException("Unable to connect to any of the specified MySQL hosts.", new IOException("Connection refused")),
            Settings("pw"));

        Assert.Equal(ExitCodes.ReplicaUnhealthy, error.ExitCode);
        Assert.Equal(
            "cannot connect to MySQL at db1.internal:3307 (user 'monitor'): Unable to connect to any of the specified MySQL hosts: Connection refused",
            error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Connection_string_prefers_tls_and_does_not_pool()
    {
        var builder = new MySqlConnectionStringBuilder(MySqlSession.ConnectionString(Settings("pw"), TimeSpan.FromMilliseconds(2500)));

        Assert.Equal(MySqlSslMode.Preferred, builder.SslMode);
        Assert.False(builder.Pooling);
        Assert.Equal(3u, builder.ConnectionTimeout);
        Assert.Equal(("db1.internal", 3307u, "monitor", ""), (builder.Server, builder.Port, builder.UserID, builder.Database));
    }
}
