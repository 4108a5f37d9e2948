namespace OfflineBackup.Aws;
public sealed class Ec2SnapshotStore(object client) { public object C => client; }
public static class Ec2ClientFactory { public static object Create(OfflineBackup.Configuration.AwsSettings s) => s; }
