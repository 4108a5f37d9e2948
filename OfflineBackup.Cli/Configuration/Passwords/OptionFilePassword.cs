namespace OfflineBackup.Configuration.Passwords;

/// <summary>mysql.option_file: takes the password from the [client] group of a ~/.my.cnf-style file.</summary>
internal static class OptionFilePassword
{
    /// <param name="fail">Makes the error of a problem, which completes "{path} ...".</param>
    public static string Parse(string text, Func<string, Exception> fail)
    {
        // Line numbers only: the offending line may be the one holding the password.
        var options = MySqlOptionFile.Parse(text);
        if (options.MalformedLine is { } line)
        {
            throw fail($"line {line} is not an option file line; expected [group], name=value or a # comment");
        }

        if (!options.Client.TryGetValue("password", out var password))
        {
            var includes = options.HasIncludes ? " (!include and !includedir are not followed)" : string.Empty;
            throw fail($"has no password= line in its [client] group{includes}");
        }

        return password ?? throw fail(
            "has a bare 'password' in [client], which makes the mysql client prompt; expected password=<the password>");
    }
}
