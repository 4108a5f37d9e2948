namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// What one step would do, in a DBA's words: the dry run's plan is these, taken from the very
/// step objects a run executes, so the plan cannot drift from the run.
/// </summary>
public sealed record PlannedStep(string Action, IReadOnlyList<string> Details)
{
    public PlannedStep(string action)
        : this(action, [])
    {
    }
}
