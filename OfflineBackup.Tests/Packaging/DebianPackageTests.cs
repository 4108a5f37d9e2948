using System.Reflection;
using OfflineBackup.Tests.Sandbox;

namespace OfflineBackup.Tests.Packaging;

/// <summary>
/// packaging/build-deb over the shared publish, installed for real with
/// the machine's dpkg: files, modes, conffiles, the binary, an upgrade that keeps an edited
/// config, remove (config kept) and purge (all gone). dpkg works in a <see cref="SystemOverlay"/>,
/// so the machine's own system is never written, whatever is or is not installed on it.
/// Lintian's verdict on the same package is <see cref="LintianTests"/>, beside this one.
/// </summary>
public sealed class DebianPackageTests(PublishedBinary published, ITestOutputHelper log) : IClassFixture<PublishedBinary>
{
    private const string Package = "offline-backup";

    internal static readonly string Version = typeof(CliApp).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    private static readonly string Upgrade = $"{Version}+upgrade";

    private static readonly string[] SystemPaths =
    [
        "/usr/bin/offline-backup", "/etc/offline-backup", "/var/lib/offline-backup", "/var/log/offline-backup",
        "/lib/systemd/system/offline-backup.service", "/lib/systemd/system/offline-backup.timer",
        "/lib/systemd/system/offline-backup-failure@.service", "/usr/share/man/man1/offline-backup.1.gz", "/usr/share/bash-completion/completions/offline-backup",
    ];

    [Fact]
    public async Task It_installs_upgrades_keeping_the_config_removes_and_purges()
    {
        // The first is the package lintian checks; the second a later version of it.
        var first = await published.DebianPackageAsync();
        var second = await published.DebianPackageAsync(Upgrade);
        using var system = new SystemOverlay();
        await StartCleanAsync(system);

        await DpkgAsync(system, "-i", first);
        await InstalledAsync(system, first);

        var edited = await EditTheConffilesAsync(system);
        await DpkgAsync(system, "-i", second);
        Assert.Equal($"ii {Upgrade}", await StatusAsync(system));
        Assert.Equal(edited, await system.ReadAsync("/etc/offline-backup/config.yml"));
        Assert.Contains("installed_copy", await system.ReadAsync("/etc/offline-backup/nlog.config"), StringComparison.Ordinal);
        Assert.Empty(await system.OkAsync("find", "/etc/offline-backup", "-name", "*.dpkg-*"));

        await DpkgAsync(system, "--remove", Package);
        Assert.Equal($"rc {Upgrade}", await StatusAsync(system));
        Assert.False(await system.ExistsAsync("/usr/bin/offline-backup"));
        Assert.False(await system.ExistsAsync("/lib/systemd/system/offline-backup.timer"));
        Assert.Equal(edited, await system.ReadAsync("/etc/offline-backup/config.yml"));
        Assert.True(await system.ExistsAsync("/var/lib/offline-backup") && await system.ExistsAsync("/var/log/offline-backup"), "remove took the state or the log");

        await DpkgAsync(system, "--purge", Package);
        Assert.Null(await StatusAsync(system));
        var left = new List<string>();
        foreach (var path in SystemPaths)
        {
            if (await system.ExistsAsync(path))
            {
                left.Add(path);
            }
        }

        Assert.True(left.Count == 0, $"purge left {string.Join(", ", left)}");
    }

    private async Task InstalledAsync(SystemOverlay system, string deb)
    {
        Assert.Equal($"ii {Version}", await StatusAsync(system));
        var modes = await system.OkAsync("stat", ["-c", "%n %a %U:%G %F", .. SystemPaths, "/etc/offline-backup/config.yml", "/etc/offline-backup/nlog.config"]);
        string[] expected =
        [
            "/usr/bin/offline-backup 755 root:root regular file",
            "/etc/offline-backup 755 root:root directory",
            "/var/lib/offline-backup 750 root:root directory",
            "/var/log/offline-backup 750 root:root directory",
            "/lib/systemd/system/offline-backup.service 644 root:root regular file",
            "/lib/systemd/system/offline-backup.timer 644 root:root regular file",
            "/lib/systemd/system/offline-backup-failure@.service 644 root:root regular file",
            "/usr/share/man/man1/offline-backup.1.gz 644 root:root regular file",
            "/usr/share/bash-completion/completions/offline-backup 644 root:root regular file",
            "/etc/offline-backup/config.yml 600 root:root regular file",
            "/etc/offline-backup/nlog.config 644 root:root regular file",
        ];
        Assert.Equal(expected, modes.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await system.OkAsync("cmp", RepositoryFiles.Path("config.example.yml"), "/etc/offline-backup/config.yml");
        await system.OkAsync("cmp", RepositoryFiles.Path("nlog.config"), "/etc/offline-backup/nlog.config");

        // The conffile flag, three ways: in the package, in dpkg's database, and as dpkg-query reports it.
        string[] conffiles = ["/etc/offline-backup/config.yml", "/etc/offline-backup/nlog.config"];
        Assert.Equal(conffiles, (await Shell.OkAsync("dpkg-deb", "-I", deb, "conffiles")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(conffiles, (await system.ReadAsync("/var/lib/dpkg/info/offline-backup.conffiles")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var queried = await system.OkAsync("dpkg-query", "-W", "-f=${Conffiles}\n", Package);
        Assert.Equal(conffiles, queried.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split(' ')[0]));

        // Installed, not enabled: the DBA enables the timer after editing the config.
        Assert.Contains("ExecStart=/usr/bin/offline-backup run --config /etc/offline-backup/config.yml",
            await system.ReadAsync("/lib/systemd/system/offline-backup.service"), StringComparison.Ordinal);
        Assert.False(await system.ExistsAsync("/etc/systemd/system/timers.target.wants/offline-backup.timer"), "the timer was enabled");
        await VerifyUnitsAsync(system);

        await TheBinaryRunsAsync(system);
        var page = (await system.OkAsync("env", "LC_ALL=C", "MANWIDTH=120", "MANPAGER=cat", "man", "-l", "/usr/share/man/man1/offline-backup.1.gz"));
        Assert.All(CliTree.Commands, c => Assert.Contains($"offline-backup {c.Name}", page, StringComparison.Ordinal));
        Assert.Equal("/usr/share/man/man1/offline-backup.1.gz", (await system.OkAsync("man", "-w", "offline-backup")).Trim());
        var completion = Path.Combine(published.Scratch, "installed-completion");
        await File.WriteAllTextAsync(completion, await system.ReadAsync("/usr/share/bash-completion/completions/offline-backup"));
        Assert.Equal(["run"], await CompletionTests.CompleteAsync(completion, true, "offline-backup", "ru"));
    }

    private static async Task TheBinaryRunsAsync(SystemOverlay system)
    {
        var version = await system.OkAsync("/usr/bin/offline-backup", "--version");
        Assert.Matches($@"^{Version.Replace(".", @"\.", StringComparison.Ordinal)}\+([0-9a-f]{{40}}|unknown)$", version.Trim());

        var help = await system.OkAsync("/usr/bin/offline-backup", "--help");
        Assert.Contains("Exit codes", help, StringComparison.Ordinal);
        Assert.Contains("man offline-backup", help, StringComparison.Ordinal);
        Assert.All(CliTree.Commands, c => Assert.Contains(c.Name, help, StringComparison.Ordinal));
    }

    /// <summary>systemd-analyze verify, on a machine that has it; said in the test log where not.</summary>
    private async Task VerifyUnitsAsync(SystemOverlay system)
    {
        if (!await system.ExistsAsync("/usr/bin/systemd-analyze"))
        {
            log.WriteLine("systemd-analyze verify not run: systemd-analyze is not installed on this machine (no systemd)");
            return;
        }

        var verify = await system.RunAsync("systemd-analyze", ["verify", "/lib/systemd/system/offline-backup.service", "/lib/systemd/system/offline-backup.timer", "/lib/systemd/system/offline-backup-failure@offline-backup.service.service"]);
        Assert.True(verify.ExitCode == 0 && !verify.Output.Contains("offline-backup", StringComparison.Ordinal), verify.ToString());
    }

    /// <summary>
    /// Edits both conffiles as a DBA would, and shows the binary reads the nlog.config in /etc
    /// (none sits beside it in /usr/bin): a marker field added there appears in its log.
    /// The config's new text, which an upgrade must keep.
    /// </summary>
    private async Task<string> EditTheConffilesAsync(SystemOverlay system)
    {
        await system.OkAsync("sed", "-i", "s|<attribute name=\"level\"|<attribute name=\"installed_copy\" layout=\"etc\" />&|", "/etc/offline-backup/nlog.config");
        Assert.False(await system.ExistsAsync("/usr/bin/nlog.config"));

        var logFile = Path.Combine(published.Scratch, "installed.log");
        var check = await system.RunAsync("/usr/bin/offline-backup", ["check", "--config", "/nonexistent/offline-backup.yml"],
            new Dictionary<string, string?> { ["OFFLINE_BACKUP_LOG_FILE"] = logFile });
        Assert.Equal(ExitCodes.BadConfiguration, check.ExitCode);
        Assert.Contains("\"installed_copy\":\"etc\"", await File.ReadAllTextAsync(logFile), StringComparison.Ordinal);

        await system.OkAsync("bash", "-c", "printf '\\n# edited by the DBA (DebianPackageTests)\\n' >> /etc/offline-backup/config.yml");
        return await system.ReadAsync("/etc/offline-backup/config.yml");
    }

    /// <summary>
    /// A machine that has offline-backup installed (by package or by hand) starts the overlay
    /// with it: purged and removed there, inside the overlay only, so the test starts from none.
    /// </summary>
    private async Task StartCleanAsync(SystemOverlay system)
    {
        if (await StatusAsync(system) is { } status)
        {
            log.WriteLine($"offline-backup {status} is installed on this machine: purged in the overlay only");
            await DpkgAsync(system, "--purge", Package);
        }

        await system.OkAsync("rm", ["-rf", .. SystemPaths]);
    }

    /// <summary>dpkg's two-letter status and the version ("ii 0.1.0"), or null when dpkg knows no such package.</summary>
    private static async Task<string?> StatusAsync(SystemOverlay system)
    {
        var result = await system.RunAsync("dpkg-query", ["-W", "-f=${db:Status-Abbrev}|${Version}", Package]);
        if (result.ExitCode != 0)
        {
            return null;
        }

        var parts = result.Output.Trim().Split('|');
        var abbreviation = parts[0].Trim();
        return abbreviation.StartsWith("un", StringComparison.Ordinal) || abbreviation.StartsWith("pn", StringComparison.Ordinal) ? null : $"{abbreviation} {parts[1]}";
    }

    private static async Task DpkgAsync(SystemOverlay system, params string[] arguments)
    {
        // Container images tell dpkg to skip /usr/share/man and /usr/share/doc (path-exclude in
        // /etc/dpkg/dpkg.cfg.d); a server does not, and the test checks what a server gets.
        var result = await system.RunAsync("dpkg", ["--path-include=*", .. arguments], new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        Assert.True(result.ExitCode == 0, $"dpkg {string.Join(' ', arguments)}: {result}");
    }
}
