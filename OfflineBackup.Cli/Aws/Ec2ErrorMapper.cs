using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using OfflineBackup.Errors;

namespace OfflineBackup.Aws;

/// <summary>Turns what the SDK throws into the tool's exit codes: 11 for permission and credentials, 8 otherwise.</summary>
internal static class Ec2ErrorMapper
{
    private static readonly HashSet<string> DeniedCodes = new(StringComparer.Ordinal)
    {
        "UnauthorizedOperation",
        "AuthFailure",
        "Blocked",
        "OptInRequired",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "AccessDenied",
        "AccessDeniedException",
    };

    // What the SDK's default credential chain says when it finds nothing; it has no dedicated type.
    private static readonly string[] MissingCredentialMarkers =
    [
        "Failed to resolve AWS credentials",
        "Unable to find credentials",
        "Unable to retrieve credentials",
    ];

    /// <summary>The exception to throw instead of <paramref name="error"/>, or null if it is not an AWS failure (a bug).</summary>
    public static Ec2OperationException? Map(string action, Exception error) => error switch
    {
        AmazonServiceException e when e.ErrorCode is { } code && DeniedCodes.Contains(code) =>
            new(ExitCodes.PermissionDenied, action, code, e.StatusCode, $"ec2:{action} denied: {e.Message}", e),
        AmazonServiceException e =>
            new(ExitCodes.SnapshotFailed, action, e.ErrorCode, e.StatusCode,
                $"ec2:{action} failed: {e.ErrorCode ?? "no error code"}: {e.Message} "
                + $"(HTTP {(int)e.StatusCode}, request id {e.RequestId ?? "none"})", e),
        ProfileNotFoundException e =>
            new(ExitCodes.PermissionDenied, action, null, null, $"ec2:{action} denied: no usable AWS credentials: {e.Message}", e),
        AmazonClientException e when MissingCredentialMarkers.Any(m => e.Message.Contains(m, StringComparison.Ordinal)) =>
            new(ExitCodes.PermissionDenied, action, null, null, $"ec2:{action} denied: no usable AWS credentials: {e.Message}", e),
        AmazonClientException or HttpRequestException or IOException or TaskCanceledException =>
            new(ExitCodes.SnapshotFailed, action, null, null, $"ec2:{action} failed: no answer from EC2: {error.Message}", error),
        _ => null,
    };
}
