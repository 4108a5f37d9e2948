namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// How the real offline-backup binary is started, as cron would start it: dummy AWS credentials
/// and no instance metadata (<see cref="DummyAws"/>), none of the caller's variables that could
/// point it elsewhere, and its log where the caller reads it. The tests, the bench and the
/// sandbox start the binary only through this.
/// </summary>
public sealed record ToolProcess(string Binary)
{
    /// <summary>The binary built beside the running assembly (tests, sandbox and bench all copy it to their output).</summary>
    public static string BuiltBinary => Path.Combine(AppContext.BaseDirectory, "offline-backup");

    /// <summary>Where the tool logs (OFFLINE_BACKUP_LOG_FILE); null leaves it to the config.</summary>
    public string? LogFile { get; init; }

    /// <summary>A program the binary runs under, with its own arguments (setsid, /usr/bin/time -v -o FILE).</summary>
    public IReadOnlyList<string> Wrapper { get; init; } = [];

    /// <summary>
    /// False: the binary gets PATH and the variables above, nothing else of the caller's (as
    /// under cron, which passes next to nothing); true: the caller's environment less what could
    /// point the tool elsewhere (<see cref="DummyAws.Cleared"/>).
    /// </summary>
    public bool InheritEnvironment { get; init; } = true;

    /// <summary>Variables set last, over all of the above (a PATH with a test's wrapper first, say).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public Action<string>? OnOutput { get; init; }

    public Action<string>? OnError { get; init; }

    public ChildProcess Start(IEnumerable<string> arguments)
    {
        IEnumerable<KeyValuePair<string, string?>> environment =
        [
            new("PATH", System.Environment.GetEnvironmentVariable("PATH")),
            .. DummyAws.Cleared.Select(name => new KeyValuePair<string, string?>(name, null)),
            .. DummyAws.Environment.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)),
            .. LogFile is null ? [] : new[] { new KeyValuePair<string, string?>("OFFLINE_BACKUP_LOG_FILE", LogFile) },
            .. (Environment ?? new Dictionary<string, string>()).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)),
        ];
        IReadOnlyList<string> command = [.. Wrapper, Binary, .. arguments];
        return ChildProcess.Start(command[0], command.Skip(1), environment, OnOutput, OnError, InheritEnvironment);
    }
}
