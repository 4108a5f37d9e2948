using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using OfflineBackup.Errors;

namespace OfflineBackup.Aws;

/// <summary>
/// Turns what the SDK throws into the tool's exit codes: 11 for permission and credentials, 2 for
/// a missing region, 13 when EC2 could not be reached or did not answer, 8 for an EC2 error answer.
/// Anything else is not an AWS failure and stays a bug.
/// </summary>
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

    private const string MissingRegionMarker = "No RegionEndpoint or ServiceURL configured";

    /// <summary>Where the SDK looks for credentials, in its order: what a DBA checks first.</summary>
    public const string CredentialSources =
        "the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), the shared files ~/.aws/credentials and "
        + "~/.aws/config (AWS_PROFILE), web identity (AWS_WEB_IDENTITY_TOKEN_FILE), the ECS container endpoint and "
        + "EC2 instance metadata (an instance profile)";

    public const string CredentialFix =
        "attach an instance profile (an IAM role) carrying the policy in the README to this instance";

    /// <summary>The exception to throw instead of <paramref name="error"/>, or null if it is not an AWS failure (a bug).</summary>
    public static Ec2OperationException? Map(string action, Exception error, string? endpoint = null)
    {
        if (IsMissing(error, MissingRegionMarker))
        {
            return new(ExitCodes.BadConfiguration, action, null, null,
                "no AWS region: set aws.region in the configuration file, or AWS_REGION in the environment "
                + "(the SDK also looked in ~/.aws/config and instance metadata and found none)", error);
        }

        if (error is ProfileNotFoundException || MissingCredentialMarkers.Any(m => IsMissing(error, m)))
        {
            return new(ExitCodes.PermissionDenied, action, null, null,
                $"ec2:{action} denied: no usable AWS credentials. The SDK looked in {CredentialSources} and found none. "
                + $"Fix: {CredentialFix}", error);
        }

        return error switch
        {
            AmazonServiceException e when e.ErrorCode is { } code && DeniedCodes.Contains(code) =>
                new(ExitCodes.PermissionDenied, action, code, e.StatusCode, $"ec2:{action} denied: {e.Message}", e),
            AmazonServiceException e when (int)e.StatusCode != 0 =>
                new(ExitCodes.SnapshotFailed, action, e.ErrorCode, e.StatusCode,
                    $"ec2:{action} failed: {e.ErrorCode ?? "no error code"}: {e.Message} "
                    + $"(HTTP {(int)e.StatusCode}, request id {e.RequestId ?? "none"})", e),
            _ when IsUnreachable(error) =>
                new(ExitCodes.Ec2Unreachable, action, null, null,
                    $"ec2:{action}: EC2 unreachable{(endpoint is null ? string.Empty : $" at {endpoint}")}: {Causes(error)}", error),
            AmazonClientException =>
                new(ExitCodes.SnapshotFailed, action, null, null, $"ec2:{action} failed: {Causes(error)}", error),
            _ => null,
        };
    }

    /// <summary>No answer at all: refused, reset, timed out, or TLS failed. Nothing of EC2's own came back.</summary>
    private static bool IsUnreachable(Exception error) => Chain(error).Any(e =>
        e is HttpRequestException or SocketException or AuthenticationException or IOException or TimeoutException
            or TaskCanceledException);

    private static bool IsMissing(Exception error, string marker) =>
        Chain(error).Any(e => e is AmazonClientException && e.Message.Contains(marker, StringComparison.Ordinal));

    /// <summary>Every message down the chain, so "see inner exception" is followed by what it says.</summary>
    internal static string Causes(Exception error)
    {
        var messages = new List<string>();
        foreach (var e in Chain(error))
        {
            var text = e is TaskCanceledException or TimeoutException
                ? $"no answer in time ({e.Message.TrimEnd('.')})"
                : e.Message.Trim();
            if (text.Length > 0 && !messages.Any(m => m.Contains(text, StringComparison.Ordinal)))
            {
                messages.Add(text);
            }
        }

        return string.Join(" <- ", messages);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Count > 1)
            {
                foreach (var inner in aggregate.InnerExceptions.Skip(1))
                {
                    yield return inner;
                }
            }
        }
    }
}
