using System.Globalization;

namespace OfflineBackup.Bench;

/// <summary>
/// bench/run's options. Defaults are the recorded configuration (BENCHMARKS.md); --quick is a
/// smoke check of the bench itself, its figures are not to be recorded.
/// </summary>
public sealed record BenchOptions
{
    public static readonly string[] AllSections = ["downtime", "hourly", "inventory", "startup", "preflush", "online", "drill"];

    /// <summary>The builds bench/run publishes, each in a folder of this name.</summary>
    public static readonly string[] Variants = ["framework-dependent", "ready-to-run", "single-file", "single-file-ready-to-run"];

    public int Runs { get; init; } = 5;

    /// <summary>How long the EC2 double takes to complete a snapshot in the restart_after=completed benchmark.</summary>
    public int CompletionSeconds { get; init; } = 120;

    public int InventorySize { get; init; } = 10_000;

    public bool Quick { get; init; }

    /// <summary>Print every invocation's log lines with their offsets (where the time goes).</summary>
    public bool Trace { get; init; }

    public IReadOnlyList<string> Sections { get; init; } = AllSections;

    /// <summary>Where bench/run published the builds: one folder per variant, each with the offline-backup binary.</summary>
    public string PublishedDirectory { get; init; } = "";

    /// <summary>The build the run, hourly and inventory benchmarks use.</summary>
    public string Variant { get; init; } = "ready-to-run";

    public string Binary(string variant) => Path.Combine(PublishedDirectory, variant, "offline-backup");

    public const string Usage = """
        usage: bench/run [--runs N] [--completion-seconds S] [--inventory N] [--variant NAME]
                         [--only downtime,hourly,inventory,startup,preflush,online,drill] [--quick] [--trace] [--published DIR]

          --runs N                repetitions of each measurement (default 5; at least 1)
          --completion-seconds S  how long the EC2 double takes to complete a snapshot in the
                                  restart_after=completed benchmark (default 120)
          --inventory N           snapshots seeded for list and prune (default 10000)
          --variant NAME          build used by the run, hourly and inventory benchmarks:
                                  framework-dependent, ready-to-run (default), single-file
                                  or single-file-ready-to-run
          --only LIST             run only these benchmarks
          --quick                 smoke check: 1 run, 15 s completion (figures not for the record)
          --trace                 print each invocation's log lines with their time offsets
          --published DIR         where the builds were published (bench/run does this)
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--runs" => options with { Runs = Positive(name, Value()) },
                "--completion-seconds" => options with { CompletionSeconds = Positive(name, Value()) },
                "--inventory" => options with { InventorySize = Positive(name, Value()) },
                "--variant" => options with { Variant = OneOf(name, Value(), Variants) },
                "--only" => options with { Sections = Value().Split(',').Select(s => OneOf(name, s, AllSections)).ToList() },
                "--published" => options with { PublishedDirectory = Path.GetFullPath(Value()) },
                "--trace" => options with { Trace = true },
                "--quick" => options with { Quick = true, Runs = 1, CompletionSeconds = 15 },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }

        return options.PublishedDirectory.Length > 0
            ? options
            : throw new ArgumentException("--published DIR is required (bench/run passes it)");
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} wants a positive whole number, not '{value}'");

    private static string OneOf(string name, string value, IReadOnlyList<string> allowed) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"{name}: '{value}' is not one of {string.Join(", ", allowed)}");
}
