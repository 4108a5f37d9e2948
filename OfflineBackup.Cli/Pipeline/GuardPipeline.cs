using NLog;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline.Guards;

namespace OfflineBackup.Pipeline;

/// <summary>
/// The guards, in the one order every command uses: lock, interrupted run, journal writable, replica health,
/// MySQL privileges, pending snapshot, age, then stop mode's clean-shutdown check (innodb_fast_shutdown) or online mode's preflight, AWS permissions. Cheap local checks come first and
/// the not-due answer needs a single DescribeSnapshots sweep; the DryRun probes run only once a
/// backup is otherwise due, so the hourly no-op costs nothing more (nor does the InnoDB read).
/// </summary>
public sealed class GuardPipeline(IReadOnlyList<IGuard> guards)
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public IReadOnlyList<IGuard> Guards { get; } = guards;

    /// <summary>The guards after the lock: what a run evaluates once it holds the lock as a scope.</summary>
    public IReadOnlyList<IGuard> AfterLock => Guards.Where(g => g is not LockGuard).ToList();

    /// <param name="host">This host's name, for the DryRun probe's tags.</param>
    /// <param name="onlinePreflight">consistency.mode: online: its preflight, after the age guard (the hourly not-due run never pays for it).</param>
    public static GuardPipeline Standard(string host, IGuard? onlinePreflight = null) => new(
    [
        new LockGuard(),
        new InterruptedRunGuard(),
        new JournalWriteGuard(),
        new ReplicaGuard(),
        new MySqlPrivilegeGuard(),
        new PendingGuard(),
        new AgeGuard(),
        .. onlinePreflight is null ? [new ShutdownGuard()] : new[] { onlinePreflight },
        new AwsPermissionGuard(host),
    ]);

    /// <summary>Every guard, refusals and all: what <c>check</c> reports.</summary>
    public async Task<IReadOnlyList<GuardResult>> EvaluateAllAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var results = new List<GuardResult>();
        foreach (var guard in Guards)
        {
            results.Add(await EvaluateAsync(guard, context, cancellationToken));
        }

        return results;
    }

    /// <summary>Guards in order up to and including the first refusal: what <c>run</c> needs.</summary>
    public async Task<IReadOnlyList<GuardResult>> EvaluateUntilRefusalAsync(
        GuardContext context, IEnumerable<IGuard> guards, CancellationToken cancellationToken)
    {
        var results = new List<GuardResult>();
        foreach (var guard in guards)
        {
            var result = await EvaluateAsync(guard, context, cancellationToken);
            results.Add(result);
            if (!result.Passed)
            {
                break;
            }
        }

        return results;
    }

    /// <summary>0 when every guard passed, else the exit code of the first refusal in pipeline order.</summary>
    public static int ExitCodeOf(IReadOnlyList<GuardResult> results) =>
        results.FirstOrDefault(r => !r.Passed)?.ExitCode ?? ExitCodes.Success;

    private static async Task<GuardResult> EvaluateAsync(IGuard guard, GuardContext context, CancellationToken cancellationToken)
    {
        GuardResult result;
        try
        {
            result = await guard.EvaluateAsync(context, cancellationToken);
        }
        catch (BackupException e)
        {
            // An adapter's anticipated failure (server unreachable, permission denied) is this
            // guard's refusal; check still evaluates the guards after it.
            result = GuardResult.Refuse(guard.Name, e.ExitCode, e.Message);
        }

        // Info even for refusals: "not due" is the healthy hourly answer. The log is the record;
        // what a person sees, the command decides from the result.
        Log.WithProperty("step", guard.Name).Info("guard {guard} {verdict}: {detail}", guard.Name, result.Passed ? "passed" : "refused", result.Detail);
        foreach (var warning in result.Warnings)
        {
            Log.WithProperty("step", guard.Name).Info("warning: {warning}", warning);
        }

        return result;
    }
}
