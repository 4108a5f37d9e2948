namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// One EC2 error answer: HTTP status, EC2 error code and message, as the real service sends them.
/// The factories reproduce AWS's codes, statuses and wording so the SDK classifies them exactly
/// as it would in production (throttling, transient, client error).
/// </summary>
public sealed record Ec2Fault(int HttpStatus, string Code, string Message)
{
    /// <summary>EC2's throttling answer; the SDK retries it with backoff.</summary>
    public static Ec2Fault RequestLimitExceeded() =>
        new(503, "RequestLimitExceeded", "Request limit exceeded.");

    /// <summary>Per-volume CreateSnapshot rate limit; a 400 the SDK does not retry.</summary>
    public static Ec2Fault SnapshotCreationPerVolumeRateExceeded() =>
        new(400, "SnapshotCreationPerVolumeRateExceeded",
            "The maximum per volume CreateSnapshot request rate has been exceeded. "
            + "Use an increasing or variable sleep interval between requests.");

    /// <summary>A server-side failure; the SDK treats HTTP 500 as transient and retries it.</summary>
    public static Ec2Fault InternalError() =>
        new(500, "InternalError", "An internal error has occurred.");

    /// <summary>IAM denial of one action, worded as EC2 words it.</summary>
    public static Ec2Fault Unauthorized(string action, string accountId = Ec2DoubleOptions.DefaultAccountId) =>
        new(403, "UnauthorizedOperation",
            "You are not authorized to perform this operation. "
            + $"User: arn:aws:iam::{accountId}:user/offline-backup is not authorized to perform: ec2:{action} "
            + $"on resource: arn:aws:ec2:*:{accountId}:* because no identity-based policy allows the ec2:{action} action. "
            + "Encoded authorization failure message: " + Convert.ToBase64String(
                System.Text.Encoding.UTF8.GetBytes($"denied ec2:{action} in the EC2 double")));

    /// <summary>Credentials EC2 does not accept (unknown key, bad signature).</summary>
    public static Ec2Fault AuthFailure() =>
        new(401, "AuthFailure", "AWS was not able to validate the provided access credentials");

    internal static Ec2Fault DryRunOperation() =>
        new(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");

    internal static Ec2Fault SnapshotNotFound(string snapshotId) =>
        new(400, "InvalidSnapshot.NotFound", $"The snapshot '{snapshotId}' does not exist.");

    internal static Ec2Fault SnapshotInUse(string snapshotId, string imageId) =>
        new(400, "InvalidSnapshot.InUse", $"The snapshot {snapshotId} is currently in use by {imageId}");

    internal static Ec2Fault MalformedSnapshotId(string snapshotId) =>
        new(400, "InvalidSnapshotID.Malformed", $"Invalid id: \"{snapshotId}\" (expecting \"snap-...\")");

    internal static Ec2Fault VolumeNotFound(string volumeId) =>
        new(400, "InvalidVolume.NotFound", $"The volume '{volumeId}' does not exist.");

    internal static Ec2Fault MalformedVolumeId(string volumeId) =>
        new(400, "InvalidVolumeID.Malformed", $"Invalid id: \"{volumeId}\" (expecting \"vol-...\")");

    internal static Ec2Fault InstanceNotFound(string instanceId) =>
        new(400, "InvalidInstanceID.NotFound", $"The instance ID '{instanceId}' does not exist");

    internal static Ec2Fault IncorrectState(string message) => new(400, "IncorrectState", message);

    internal static Ec2Fault VolumeInUse(string message) => new(400, "VolumeInUse", message);

    internal static Ec2Fault ZoneMismatch(string volumeId, string instanceId) =>
        new(400, "InvalidVolume.ZoneMismatch",
            $"The volume '{volumeId}' is not in the same availability zone as instance '{instanceId}'");

    internal static Ec2Fault MissingParameter(string name) =>
        new(400, "MissingParameter", $"The request must contain the parameter {name}");

    internal static Ec2Fault InvalidParameterValue(string message) =>
        new(400, "InvalidParameterValue", message);

    internal static Ec2Fault InvalidParameterCombination(string message) =>
        new(400, "InvalidParameterCombination", message);

    internal static Ec2Fault InvalidAction(string action) =>
        new(400, "InvalidAction", $"The action {action} is not valid for this web service.");
}

/// <summary>Thrown inside the double to answer a request with an EC2 error.</summary>
internal sealed class Ec2FaultException(Ec2Fault fault) : Exception(fault.Message)
{
    public Ec2Fault Fault { get; } = fault;
}
