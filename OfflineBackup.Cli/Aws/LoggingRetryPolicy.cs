using System.Runtime.CompilerServices;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using NLog;

namespace OfflineBackup.Aws;

/// <summary>
/// The SDK's standard retry policy, unchanged in what it retries and how long it waits, plus one
/// warning line per retry so throttling shows in the log instead of as an unexplained slow run.
/// The SDK has no public retry event (BeforeRequestEvent fires once per call, outside the retry
/// loop), so the policy itself is the only place that sees each retry.
/// </summary>
internal sealed class LoggingRetryPolicy : StandardRetryPolicy
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    // The failure that led to the coming retry, per request in flight.
    private readonly ConditionalWeakTable<IRequestContext, Exception> _lastErrors = [];

    public LoggingRetryPolicy(IClientConfig config, TimeSpan? maxBackoff)
        : base(config)
    {
        if (maxBackoff is { } backoff)
        {
            MaxBackoffInMilliseconds = (int)backoff.TotalMilliseconds;
        }
    }

    public override bool RetryForException(IExecutionContext executionContext, Exception exception)
    {
        _lastErrors.AddOrUpdate(executionContext.RequestContext, exception);
        return !NeverResent(executionContext, exception) && base.RetryForException(executionContext, exception);
    }

    public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception)
    {
        _lastErrors.AddOrUpdate(executionContext.RequestContext, exception);
        return !NeverResent(executionContext, exception) && await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false);
    }

    /// <summary>
    /// A real CreateSnapshot (or CopySnapshot) has no idempotency token: a resend after a lost
    /// answer makes a second snapshot. Only SnapshotCreator may send it again, after looking the first one up
    /// by run id. Throttling is the exception: EC2 refused before acting, so a resend is safe.
    /// Its dry run changes nothing and keeps the SDK's retries.
    /// </summary>
    internal static bool NeverResent(IExecutionContext executionContext, Exception exception) =>
        executionContext.RequestContext.OriginalRequest is CreateSnapshotRequest { DryRun: not true } or CopySnapshotRequest { DryRun: not true }
        && exception is not AmazonServiceException { ErrorCode: "RequestLimitExceeded" };

    public override void WaitBeforeRetry(IExecutionContext executionContext)
    {
        LogRetry(executionContext);
        base.WaitBeforeRetry(executionContext);
    }

    public override Task WaitBeforeRetryAsync(IExecutionContext executionContext)
    {
        LogRetry(executionContext);
        return base.WaitBeforeRetryAsync(executionContext);
    }

    private void LogRetry(IExecutionContext executionContext)
    {
        var request = executionContext.RequestContext;
        if (request.CancellationToken.IsCancellationRequested)
        {
            // Not a retry worth a line: the caller gave up (a signal), the SDK is unwinding.
            return;
        }

        var action = request.RequestName is { } name && name.EndsWith("Request", StringComparison.Ordinal)
            ? name[..^"Request".Length]
            : request.RequestName;
        var cause = _lastErrors.TryGetValue(request, out var error) ? Describe(error) : "an error";
        // Info, not a warning: a retried throttle that then succeeds is routine and must not
        // reach cron's mail; a call that still fails is reported by whoever made it.
        Log.Info("ec2:{Action} failed with {Cause}; SDK retry {Retry} of {MaxRetries}",
            action, cause, request.Retries, MaxRetries);
    }

    private static string Describe(Exception error) => error switch
    {
        AmazonServiceException e => $"{e.ErrorCode} (HTTP {(int)e.StatusCode}): {e.Message}",
        _ => $"{error.GetType().Name}: {error.Message}",
    };
}
