namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// A guard that judges what the context looks up once for every guard that needs it (the
/// replica's inspection, the volume's snapshots): the look-up is named here, the guard only
/// looks at what came back.
/// </summary>
public abstract class JudgingGuard<T>(string name, Func<GuardContext, CancellationToken, Task<T>> lookUp) : IGuard
{
    public string Name => name;

    public async Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken) =>
        Judge(await lookUp(context, cancellationToken), context);

    protected abstract GuardResult Judge(T found, GuardContext context);
}
