namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// The journal is what brings MySQL back after a killed run, so a run that cannot write it must
/// not stop MySQL. Writes and fsyncs a probe beside the journal (and removes it): the one guard
/// that touches anything, and only this tool's own state directory.
/// </summary>
public sealed class JournalWriteGuard : IGuard
{
    public string Name => "journal-write";

    public Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var journal = new RunJournal(context.Settings.State.JournalPath);
        journal.ProbeWritable();
        return Task.FromResult(GuardResult.Pass(Name, $"{journal.Path} can be written"));
    }
}
