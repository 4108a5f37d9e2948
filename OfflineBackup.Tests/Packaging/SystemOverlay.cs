namespace OfflineBackup.Tests.Packaging;

/// <summary>
/// The machine's own /etc, /usr and /var, copy-on-write: each command runs in a private mount
/// namespace where overlayfs lays this directory's upper layers (in /tmp) over them. dpkg
/// installs, upgrades and purges there for real, with the machine's dpkg, its database and its
/// maintainer scripts, yet nothing reaches the real system, and concurrent test runs never meet.
/// Changes persist across commands in the upper layers and vanish with the directory.
/// (/bin, /lib and /sbin are links into /usr on Debian 12; /run/systemd is hidden, so the
/// maintainer scripts never talk to the machine's systemd about units it cannot see.)
/// </summary>
internal sealed class SystemOverlay : IDisposable
{
    private static readonly string[] Layers = ["etc", "usr", "var"];

    private const string Enter = """
        set -e
        overlay="$1"; shift
        for layer in etc usr var; do
            mount -t overlay overlay -o "lowerdir=/$layer,upperdir=$overlay/$layer/upper,workdir=$overlay/$layer/work" "/$layer"
        done
        if [ -d /run/systemd ]; then mount -t tmpfs tmpfs /run/systemd; fi
        exec "$@"
        """;

    private readonly TempDirectory _directory = new();

    public SystemOverlay()
    {
        foreach (var layer in Layers)
        {
            Directory.CreateDirectory(_directory.File($"{layer}/upper"));
            Directory.CreateDirectory(_directory.File($"{layer}/work"));
        }
    }

    public Task<ShellResult> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        Shell.RunAsync("unshare", ["--mount", "--propagation", "private", "bash", "-c", Enter, "overlay", _directory.Path, program, .. arguments], environment);

    /// <summary>Runs and asserts exit 0; the output.</summary>
    public async Task<string> OkAsync(string program, params string[] arguments)
    {
        var result = await RunAsync(program, arguments);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)} (in the overlay): {result}");
        return result.Output;
    }

    public Task<string> ReadAsync(string path) => OkAsync("cat", path);

    public async Task<bool> ExistsAsync(string path) => (await RunAsync("test", ["-e", path])).ExitCode == 0;

    public void Dispose() => _directory.Dispose();
}
