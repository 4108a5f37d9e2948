using Amazon.Runtime;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// Credentials the EC2 double accepts and AWS would not. Without them the SDK's default chain
/// goes looking for instance metadata off-loopback; with metadata disabled too, the only EC2 the
/// tool can reach is the endpoint its config names.
/// </summary>
public static class DummyAws
{
    public const string AccessKeyId = "AKIDEXAMPLE";
    public const string SecretAccessKey = "not-a-real-secret";

    public static AWSCredentials Credentials => new BasicAWSCredentials(AccessKeyId, SecretAccessKey);

    /// <summary>What a child process gets, and what a person exports to run the tool against the double.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment { get; } =
    [
        new("AWS_ACCESS_KEY_ID", AccessKeyId),
        new("AWS_SECRET_ACCESS_KEY", SecretAccessKey),
        new("AWS_EC2_METADATA_DISABLED", "true"),
    ];

    /// <summary>What a caller's shell may hold that would point the tool elsewhere than the double and the world's files.</summary>
    public static IReadOnlyList<string> Cleared { get; } =
    [
        "OFFLINE_BACKUP_CONFIG", "OFFLINE_BACKUP_LOG_FILE", "OFFLINE_BACKUP_MYSQL_PASSWORD",
        "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_REGION",
        "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
    ];
}
