using System.Runtime.ExceptionServices;
using OfflineBackup.Aws;
using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// What a run's attempt at a snapshot (MySQL stopped, or commits blocked) came to, shared by the offline
/// and the online run so that both turn a signal, a deadline, an expected failure or a bug into
/// the same exit code and problem, and agree on when a snapshot may exist that no answer named.
/// A bug is held, not thrown, until the run has undone what it holds.
/// </summary>
internal sealed class SnapshotAttempt(Func<int> interruptedExitCode, CancellationToken signal)
{
    private ExceptionDispatchInfo? _bug;

    public int ExitCode { get; set; } = ExitCodes.Success;

    public List<string> Problems { get; } = [];

    /// <summary>Set just before CreateSnapshot is called: from then on a lost answer may hide a snapshot.</summary>
    public bool CreateSent { get; set; }

    public Snapshot? Snapshot { get; set; }

    /// <summary>CreateSnapshot was sent and its answer lost: a snapshot of this run may exist all the same.</summary>
    public bool MayExist { get; private set; }

    /// <summary>
    /// The exception that ended the critical part. <paramref name="deadline"/> is the limit on how
    /// long MySQL may stay stopped or blocked; <paramref name="deadlineProblem"/> says which one it was.
    /// </summary>
    public void Ended(Exception exception, CancellationToken deadline, string deadlineProblem)
    {
        var unanswered = CreateSent && Snapshot is null;
        switch (exception)
        {
            case OperationCanceledException when signal.IsCancellationRequested:
                ExitCode = interruptedExitCode();
                MayExist = unanswered;
                Problems.Add($"interrupted ({ExitCodes.Describe(ExitCode)})" + (Snapshot is null ? string.Empty : $"; snapshot {Snapshot.Id} had been created"));
                break;
            case OperationCanceledException when deadline.IsCancellationRequested:
                ExitCode = ExitCodes.Ec2Unreachable;
                MayExist = unanswered;
                Problems.Add(deadlineProblem);
                break;
            case BackupException e:
                ExitCode = e.ExitCode;
                Problems.Add(e.Message);

                // A lost answer (or a lookup that could not be made after one) may hide a snapshot;
                // a refusal EC2 gave before acting does not.
                MayExist = unanswered && (e as Ec2OperationException ?? e.InnerException as Ec2OperationException) is { IsAmbiguous: true };
                break;
            default:
                // A bug must not leave the database down, blocked or frozen either: the run undoes
                // what it holds, then lets the bug surface (exit 1).
                ExitCode = ExitCodes.InternalError;
                _bug = ExceptionDispatchInfo.Capture(exception);
                break;
        }
    }

    /// <summary>
    /// Joins what undoing the critical part reported: its problems once each; its exit code when
    /// the run had none, and always when MySQL could not be started (the news a DBA needs first).
    /// </summary>
    public void Undone(int exitCode, IEnumerable<string> problems)
    {
        Problems.AddRange(problems.Where(p => !Problems.Contains(p)));
        if (exitCode != ExitCodes.Success && (ExitCode == ExitCodes.Success || exitCode == ExitCodes.StartFailed))
        {
            ExitCode = exitCode;
        }
    }

    /// <summary>After the undo: a bug that ended the critical part surfaces now.</summary>
    public void RethrowBug() => _bug?.Throw();
}
