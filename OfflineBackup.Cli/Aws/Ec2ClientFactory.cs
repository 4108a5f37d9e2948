using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using OfflineBackup.Configuration;

namespace OfflineBackup.Aws;

/// <summary>
/// Builds the EC2 client from the <c>aws:</c> settings: the SDK's default credential chain
/// (environment, profile, instance role), region from the config else the SDK's own lookup
/// (environment, profile, instance metadata), the endpoint override when one is configured,
/// and the SDK's standard retry mode with a line logged per retry. Each HTTP attempt waits at
/// most <c>aws.request_timeout_seconds</c>; a call makes at most <c>aws.max_attempts</c> of them,
/// except CreateSnapshot, which the SDK never re-sends (see <see cref="LoggingRetryPolicy"/>).
/// AWSSDK.EC2 4.x resolves region and credentials in the client's constructor, so the
/// construction itself can fail: <see cref="Ec2SnapshotStore"/> builds the client on first use,
/// where <see cref="Ec2ErrorMapper"/> turns that failure into a code.
/// </summary>
public static class Ec2ClientFactory
{
    public static IAmazonEC2 Create(AwsSettings settings) => Create(settings, Ec2ClientTuning.Production);

    /// <summary>
    /// A client for one real CreateSnapshot: no resend but after throttling, and an HTTP connection of its
    /// own. .NET re-sends a request by itself when a pooled (reused) connection drops before
    /// the answer; on a new connection it does not, so a reset can never become a resend.
    /// </summary>
    public static IAmazonEC2 CreateForOneCreate(AwsSettings settings) => Create(settings, Ec2ClientTuning.Production, ownConnection: true);

    internal static AmazonEC2Client Create(AwsSettings settings, Ec2ClientTuning tuning, bool ownConnection = false)
    {
        var config = new RetryLoggingEc2Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxRetryBackoff = tuning.MaxRetryBackoff,
            MaxErrorRetry = settings.MaxAttempts - 1,
            Timeout = settings.RequestTimeout,
            ConnectTimeout = settings.RequestTimeout,
        };
        if (ownConnection)
        {
            // Retries stay for throttling only (EC2 refused before acting): LoggingRetryPolicy
            // refuses every other resend of a real CreateSnapshot.
            config.CacheHttpClient = false;

            // The SDK's own resend of a request whose pooled connection was reset, outside
            // MaxErrorRetry (10 by default): for CreateSnapshot that is a second snapshot.
            config.MaxStaleConnectionRetries = 0;
        }

        if (settings.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (settings.EndpointUrl is { } endpoint)
        {
            // ServiceURL replaces the regional endpoint, so the region is kept for signing only.
            config.ServiceURL = endpoint.ToString();
            if (settings.Region is { } signingRegion)
            {
                config.AuthenticationRegion = signingRegion;
            }
        }

        return tuning.Credentials is { } credentials
            ? new RetryLoggingEc2Client(credentials, config)
            : new RetryLoggingEc2Client(config);
    }
}

/// <summary>What tests change about the client; production uses the SDK defaults for both.</summary>
internal sealed record Ec2ClientTuning(AWSCredentials? Credentials, TimeSpan? MaxRetryBackoff)
{
    public static Ec2ClientTuning Production { get; } = new(null, null);
}
