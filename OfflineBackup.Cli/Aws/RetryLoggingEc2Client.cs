using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace OfflineBackup.Aws;

/// <summary>An EC2 client whose retry step is <see cref="LoggingRetryPolicy"/>; otherwise the stock client.</summary>
internal sealed class RetryLoggingEc2Client : AmazonEC2Client
{
    public RetryLoggingEc2Client(RetryLoggingEc2Config config)
        : base(config)
    {
    }

    public RetryLoggingEc2Client(AWSCredentials credentials, RetryLoggingEc2Config config)
        : base(credentials, config)
    {
    }

    // Called from the base constructor, so it may read only what the config carries.
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        var config = (RetryLoggingEc2Config)Config;
        pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new LoggingRetryPolicy(config, config.MaxRetryBackoff)));
    }
}

/// <summary>The EC2 config plus the one knob tests need: a small retry backoff so retried calls stay fast.</summary>
internal sealed class RetryLoggingEc2Config : AmazonEC2Config
{
    /// <summary>Null keeps the SDK's own maximum backoff.</summary>
    public TimeSpan? MaxRetryBackoff { get; init; }
}
