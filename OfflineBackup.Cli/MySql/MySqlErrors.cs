using System.Net.Sockets;
using System.Security.Authentication;
using MySql.Data.MySqlClient;
using OfflineBackup.Errors;
using OfflineBackup.Configuration;

namespace OfflineBackup.MySql;

/// <summary>
/// Turns MySql.Data's exceptions into messages a DBA can act on, naming host:port and user and
/// never the password: a server or driver message is quoted only after checking that it does
/// not contain it, and the original exception is attached only under the same condition.
/// </summary>
internal static class MySqlErrors
{
    public const int ParseError = 1064;
    public const int SpecificAccessDenied = 1227;

    // Login refused for: wrong password, no such user@host, host blocked or not allowed, no
    // password given where one is needed, default database not accessible.
    private static readonly HashSet<int> LoginRefused = [1044, 1045, 1129, 1130, 1698];

    public static bool IsLoginRefused(Exception exception) =>
        exception is MySqlException { Number: var number } && LoginRefused.Contains(number);

    /// <summary>
    /// The exceptions that mean "could not talk to the server" (as opposed to a bug), TLS
    /// negotiation failures included.
    /// </summary>
    public static bool IsConnectionFailure(Exception exception) =>
        exception is MySqlException or SocketException or IOException or TimeoutException or AuthenticationException;

    public static BackupException ForConnect(Exception exception, MySqlSettings settings)
    {
        var who = Target(settings);
        var message = IsLoginRefused(exception)
            ? $"MySQL at {who} refused the login: {Safe(exception, settings.Password)}; " +
              "check the user, its host part and the configured password"
            : $"cannot connect to MySQL at {who}: {Safe(exception, settings.Password)}";
        return new BackupException(ExitCodes.ReplicaUnhealthy, message, Attachable(exception, settings.Password));
    }

    public static BackupException ForStatement(Exception exception, MySqlSettings settings, string doing) =>
        new(ExitCodes.ReplicaUnhealthy,
            $"MySQL at {Target(settings)} failed while {doing}: {Safe(exception, settings.Password)}",
            Attachable(exception, settings.Password));

    public static BackupException ForMissingPrivilege(
        Exception exception, MySqlSettings settings, string doing, MissingPrivilege missing) =>
        new(ExitCodes.PermissionDenied,
            $"MySQL at {Target(settings)} denied {doing}: {Safe(exception, settings.Password)}; " +
            $"the user needs {missing.Privilege}: {missing.GrantStatement}",
            Attachable(exception, settings.Password));

    public static string Target(MySqlSettings settings) =>
        $"{settings.Host}:{settings.Port} (user '{settings.User}')";

    /// <summary>The exception's message and those of its causes, masked if the password shows.</summary>
    internal static string Safe(Exception exception, Secret password)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // A driver's message often quotes its cause ("failed with message: Access denied ...").
            var message = e.Message.TrimEnd('.');
            if (!messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        var text = string.Join(": ", messages);
        return Contains(text, password) ? text.Replace(password.Reveal(), password.ToString(), StringComparison.Ordinal) : text;
    }

    private static Exception? Attachable(Exception exception, Secret password) =>
        Contains(exception.ToString(), password) ? null : exception;

    private static bool Contains(string text, Secret password) =>
        !password.IsEmpty && text.Contains(password.Reveal(), StringComparison.Ordinal);
}
