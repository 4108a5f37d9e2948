using OfflineBackup.Tests.Integration.Drill;
using OfflineBackup.Tests.Integration.Faults;
using OfflineBackup.Tests.Integration.Run;
using OfflineBackup.Tests.Sandbox;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("OfflineBackup.Tests.Support.LongestFirst", "OfflineBackup.Tests")]

namespace OfflineBackup.Tests.Support;

/// <summary>
/// Starts the longest collections first (longest-processing-time-first): only so many tests run
/// at once (xunit.runner.json), and a long serial collection that starts last ends the run
/// alone. The list is what bench/suite-time measured (BENCHMARKS.md, "The test suite"), longest
/// first; every other collection follows in xunit's own order. Order only: what runs is the same.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private static readonly string[] Longest =
    [
        MariaDbBareHostCollection.Name,
        MariaDbLostAnswerCollection.Name,
        MariaDbRunFaultsCollection.Name,
        MariaDbCollection.Name,
        PerClass("Packaging.DebianPackageTests"),
        PerClass("Packaging.LintianTests"),
        PublishedBinaryCollection.Name,
        PerClass("Sandbox.SandboxCommandTests"),
        VolumePairCollection.Name,
        PerClass("Integration.Metrics.AlertRulesTests"),
        PerClass("Sandbox.KilledSandboxReclaimTests"),
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank);

    private static int Rank(ITestCollection collection)
    {
        var rank = Array.IndexOf(Longest, collection.DisplayName);
        return rank < 0 ? Longest.Length : rank;
    }

    /// <summary>xunit's name for the collection of a class that names none.</summary>
    private static string PerClass(string type) => $"Test collection for OfflineBackup.Tests.{type}";
}
