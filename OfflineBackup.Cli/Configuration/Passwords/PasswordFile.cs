namespace OfflineBackup.Configuration.Passwords;

/// <summary>mysql.password_file: a file holding only the password, as written by <c>echo secret &gt; file</c>.</summary>
internal static class PasswordFile
{
    /// <param name="fail">Makes the error of a problem, which completes "{path} ...".</param>
    public static string Parse(string text, Func<string, Exception> fail)
    {
        var password = text.TrimEnd('\r', '\n');
        if (password.Length == 0)
        {
            throw fail("is empty; expected the MySQL password on its only line");
        }

        return password.Contains('\n', StringComparison.Ordinal)
            ? throw fail("has more than one line; expected only the MySQL password (one trailing newline is fine)")
            : password;
    }
}
