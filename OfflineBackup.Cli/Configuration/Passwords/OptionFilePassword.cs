using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Passwords;

/// <summary>mysql.option_file: takes the password from the [client] group of a ~/.my.cnf-style file.</summary>
internal static class OptionFilePassword
{
    private const string Key = "option_file";

    public static string Read(ConfigMapping mysql, string path, ICollection<string> warnings)
    {
        var text = FilePermissions.ReadSecretFile(mysql, Key, path, warnings);

        // Line numbers only: the offending line may be the one holding the password.
        var options = MySqlOptionFile.Parse(text);
        if (options.MalformedLine is { } line)
        {
            throw mysql.Fail(Key, $"{path} line {line} is not an option file line; expected [group], name=value or a # comment");
        }

        if (!options.Client.TryGetValue("password", out var password))
        {
            var includes = options.HasIncludes ? " (!include and !includedir are not followed)" : string.Empty;
            throw mysql.Fail(Key, $"{path} has no password= line in its [client] group{includes}");
        }

        return password ?? throw mysql.Fail(Key,
            $"{path} has a bare 'password' in [client], which makes the mysql client prompt; expected password=<the password>");
    }
}
