using System.Net;
using OfflineBackup.Errors;

namespace OfflineBackup.Aws;

/// <summary>
/// An EC2 call that failed after the SDK's own retries. Carries EC2's error code so a pipeline
/// step can tell the cases it handles itself (per-volume rate limit, ambiguous CreateSnapshot)
/// from plain failures; the exit code is already the right one for everything else.
/// </summary>
public sealed class Ec2OperationException(
    int exitCode, string action, string? errorCode, HttpStatusCode? httpStatus, string message, Exception inner)
    : BackupException(exitCode, message, inner)
{
    public const string PerVolumeRateExceededCode = "SnapshotCreationPerVolumeRateExceeded";

    /// <summary>The EC2 action without the <c>ec2:</c> prefix, e.g. CreateSnapshot.</summary>
    public string Action { get; } = action;

    /// <summary>EC2's error code (e.g. InternalError); null when no answer came back at all.</summary>
    public string? ErrorCode { get; } = errorCode;

    public HttpStatusCode? HttpStatus { get; } = httpStatus;

    /// <summary>EC2 refused another CreateSnapshot on this volume for now; worth retrying later.</summary>
    public bool IsPerVolumeRateExceeded => ErrorCode == PerVolumeRateExceededCode;

    /// <summary>
    /// Nobody can tell whether EC2 carried the request out: a 5xx other than throttling, a
    /// timeout, a broken connection. For CreateSnapshot, look the snapshot up by run id before
    /// trying again.
    /// </summary>
    public bool IsAmbiguous =>
        ErrorCode != "RequestLimitExceeded"
        && ExitCode is not (ExitCodes.PermissionDenied or ExitCodes.BadConfiguration)
        && (HttpStatus is null || (int)HttpStatus >= 500);

    /// <summary>No answer from EC2 at all (refused, reset, timed out, TLS): exit 13.</summary>
    public bool IsUnreachable => ExitCode == ExitCodes.Ec2Unreachable;
}
