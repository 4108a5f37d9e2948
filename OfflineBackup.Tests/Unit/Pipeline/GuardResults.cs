namespace OfflineBackup.Tests.Unit.Pipeline;

/// <summary>One guard's verdict picked out of the pipeline's results, by the guard's name.</summary>
internal static class GuardResults
{
    public static GuardResult Of(this IReadOnlyList<GuardResult> results, string guard) => results.Single(r => r.Guard == guard);

    /// <summary>The verdict of <paramref name="guard"/>, which must carry <paramref name="exitCode"/>.</summary>
    public static GuardResult Refusal(this IReadOnlyList<GuardResult> results, string guard, int exitCode)
    {
        var result = results.Of(guard);
        Assert.Equal(exitCode, result.ExitCode);
        return result;
    }
}
