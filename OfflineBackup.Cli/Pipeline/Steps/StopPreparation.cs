namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// What a run does between stopping replication and stopping MySQL, and its undo: the
/// pre-flush, the clean-shutdown preparation, and putting the pre-flush's settings back.
/// </summary>
public sealed record StopPreparation(PreFlush PreFlush, CleanShutdown Shutdown, PreFlushUndo Undo);
