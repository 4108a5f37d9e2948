namespace OfflineBackup.Pipeline;

/// <summary>
/// One precondition of a backup. <c>check</c> evaluates every guard; <c>run</c> stops at the
/// first refusal. A guard never changes anything on the server or in EC2.
/// </summary>
public interface IGuard
{
    string Name { get; }

    Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken);
}
