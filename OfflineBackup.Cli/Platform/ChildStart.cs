using System.Diagnostics;

namespace OfflineBackup.Platform;

/// <summary>
/// How a child whose streams we hold is started, by the tool and by its test library alike: no
/// shell, the arguments passed as they are (no quoting to get wrong), and stdin, stdout and
/// stderr all ours, so a child never reads the terminal or writes into our output.
/// </summary>
public static class ChildStart
{
    public static ProcessStartInfo Redirected(string program, IEnumerable<string> arguments) =>
        new(program, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
}
