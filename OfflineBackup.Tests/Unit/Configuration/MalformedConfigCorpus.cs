namespace OfflineBackup.Tests.Unit.Configuration;

/// <summary>
/// One malformed config, the key and line its message must name (null: the message names no
/// line, e.g. a missing section), and phrases saying what was expected.
/// </summary>
internal sealed record MalformedConfig(string Yaml, string? Key, int? Line, params string[] Expected);

/// <summary>
/// Malformed configs, each a small edit of <see cref="SampleConfigs.Original"/> (lines 1-15;
/// an appended section starts at line 16), so the line numbers can be checked by eye.
/// </summary>
internal static class MalformedConfigCorpus
{
    private const string IdForm = "followed by 8 or 17 lowercase hex digits";

    public static readonly IReadOnlyDictionary<string, MalformedConfig> Cases = new Dictionary<string, MalformedConfig>
    {
        ["original placeholder instance id"] = new(SampleConfigs.OriginalWithPlaceholders, "instance.instance_id", 8, IdForm, "i-0123456789abcdef0", "\"i-XXXXXXXXXXXXX\""),
        ["placeholder volume id"] = new(Edit("  volume_id: vol-0123456789abcdef0", "  volume_id: vol-XXXXXXXXXXXX"), "instance.volume_id", 9, IdForm, "vol-0123456789abcdef0", "\"vol-XXXXXXXXXXXX\""),
        ["uppercase volume id"] = new(Edit("vol-0123456789abcdef0", "vol-0123456789ABCDEF0"), "instance.volume_id", 9, "lowercase hex"),
        ["instance id of 10 hex digits"] = new(Edit("i-0123456789abcdef0", "i-0123456789"), "instance.instance_id", 8, IdForm),
        ["YAML syntax: value then colon"] = new(Edit("  user: monitor", "  user: monitor: x"), null, 3, "invalid YAML", "column"),
        ["YAML syntax: tab indentation"] = new(Edit("  user: monitor", "\tuser: monitor"), null, 2, "invalid YAML", "tab"),
        ["YAML syntax: unclosed flow list"] = new(Edit("  user: monitor", "  user: [monitor"), null, 3, "invalid YAML", "unclosed"),
        ["top level is a list"] = new("- mysql\n- instance\n", null, 1, "top level to be a mapping of sections", "mysql:, instance:", "got a list"),
        ["top level is a scalar"] = new("offline backup\n", null, 1, "top level to be a mapping", "got a single value"),
        ["second YAML document"] = new(SampleConfigs.Original + "---\nmysql: {}\n", null, 17, "single YAML document", "---"),
        ["missing instance section"] = new(SampleConfigs.Original[..SampleConfigs.Original.IndexOf("instance:", StringComparison.Ordinal)], "instance", null, "required section is missing", "instance: holds instance_id, volume_id"),
        ["missing volume_id"] = new(Edit("  volume_id: vol-0123456789abcdef0\n", ""), "instance.volume_id", 7, "required key is missing", "vol-"),
        ["required key without a value"] = new(Edit("  user: monitor", "  user:"), "mysql.user", 3, "required key has no value", "MySQL user"),
        ["missing user"] = new(Edit("  user: monitor\n", ""), "mysql.user", 1, "required key is missing", "MySQL user"),
        ["string where port expected"] = new(Edit("  port: 3306", "  port: abc"), "mysql.port", 4, "TCP port number from 1 to 65535", "\"abc\""),
        ["quoted port"] = new(Edit("  port: 3306", "  port: '3306'"), "mysql.port", 4, "TCP port number", "quoted", "without quotes"),
        ["port out of range"] = new(Edit("  port: 3306", "  port: 70000"), "mysql.port", 4, "from 1 to 65535", "70000", "out of range"),
        ["mapping where host expected"] = new(Edit("  host: localhost", "  host: {name: db1}"), "mysql.host", 2, "single value", "got a mapping"),
        ["list where tag expected"] = new(Edit("  tag_role: sql", "  tag_role: [sql, db]"), "instance.tag_role", 12, "single value", "got a list"),
        ["section written as a value"] = new(SampleConfigs.Original + "aws: eu-west-1\n", "aws", 16, "keys of section aws: indented below it", "got a single value"),
        ["misspelt key"] = new(Edit("  retention_seconds:", "  retension_seconds:"), "instance.retension_seconds", 15, "unknown key", "did you mean retention_seconds?"),
        ["misspelt section"] = new(Edit("instance:", "instace:"), "instace", 7, "unknown section", "did you mean instance?"),
        ["unknown key without a near match"] = new(Edit("  db: ''", "  colour: blue"), "mysql.colour", 6, "unknown key in section mysql:", "mysql: accepts host, user, port"),
        ["key under the wrong section"] = Appended("guards", "min_keep: 5", "belongs in section retention: or copy:"),
        ["key of two sections under a third"] = Appended("service", "volume_timeout_seconds: 60", "belongs in section drill: or restore:"),
        ["instance key at top level"] = new(Edit("  retention_seconds: 250000", "retention_seconds: 250000"), "retention_seconds", 15, "unknown section", "belongs in section instance:"),
        ["zero retention_seconds"] = new(Edit("  retention_seconds: 250000", "  retention_seconds: 0"), "instance.retention_seconds", 15, "greater than 0", "out of range"),
        ["negative retention_seconds"] = new(Edit("  retention_seconds: 250000", "  retention_seconds: -5"), "instance.retention_seconds", 15, "greater than 0", "-5"),
        ["zero max_lag_seconds"] = Appended("guards", "max_lag_seconds: 0", "seconds greater than 0"),
        ["negative age tolerance"] = Appended("guards", "age_tolerance_minutes: -1", "minutes, 0 or more"),
        ["tolerance not below minimum age"] = new(SampleConfigs.Original + "guards:\n  min_snapshot_age_hours: 1\n  age_tolerance_minutes: 60\n", "guards.age_tolerance_minutes", 18, "fewer minutes than guards.min_snapshot_age_hours", "60 min"),
        ["zero min_keep"] = Appended("retention", "min_keep: 0", "from 1 to 1000"),
        ["yes for a boolean"] = Appended("retention", "adopt_legacy: yes", "true or false", "\"yes\""),
        ["unknown timezone"] = new(SampleConfigs.Original + "retention:\n  keep_daily: 7\n  timezone: Europe/Pariss\n", "retention.timezone", 18, "IANA time zone name", "\"Europe/Pariss\"", "time zone database does not know"),
        ["timezone as a path"] = Appended("retention", "timezone: ../../etc/passwd", "IANA time zone name", "\"../../etc/passwd\""),
        ["negative keep_weekly"] = Appended("retention", "keep_weekly: -1", "from 0 (off) to 10000", "out of range"),
        ["keep_monthly as text"] = Appended("retention", "keep_monthly: twelve", "whole number of periods", "\"twelve\""),
        ["copy without region"] = new(SampleConfigs.Original + "copy:\n  min_keep: 5\n", "copy.region", 16, "required key is missing", "AWS region name"),
        ["copy into the same region"] = new(SampleConfigs.Original + "aws:\n  region: eu-west-1\ncopy:\n  region: eu-west-1\n", "copy.region", 19, "other than aws.region", "same region"),
        ["copy region misspelt"] = Appended("copy", "region: eu-central1", "AWS region name", "\"eu-central1\""),
        ["copy without aws.region"] = Appended("copy", "region: eu-central-1", "copies need aws.region too"),
        ["copy kms key not a key"] = new(SampleConfigs.Original + "aws:\n  region: eu-west-1\ncopy:\n  region: eu-central-1\n  kms_key_id: my key\n", "copy.kms_key_id", 20, "KMS key id", "\"my key\""),
        ["copy unknown timezone"] = new(SampleConfigs.Original + "aws:\n  region: eu-west-1\ncopy:\n  region: eu-central-1\n  timezone: Mars/Olympus\n", "copy.timezone", 20, "IANA time zone name"),
        ["fraction for a timeout"] = Appended("service", "stop_timeout_seconds: 1.5", "whole number of seconds", "\"1.5\""),
        ["zero max_down_seconds"] = Appended("service", "max_down_seconds: 0", "whole number of seconds from 1 to 86400", "0"),
        ["request timeout above ten minutes"] = Appended("aws", "request_timeout_seconds: 601", "from 1 to 600", "601"),
        ["zero max_attempts"] = Appended("aws", "max_attempts: 0", "whole number from 1 to 10", "0"),
        ["preflush not a boolean"] = Appended("service", "preflush: on", "true or false", "\"on\""),
        ["zero preflush timeout"] = Appended("service", "preflush_timeout_seconds: 0", "from 1 to 86400"),
        ["restart_after not a choice"] = Appended("service", "restart_after: later", "one of completed, pending", "\"later\""),
        ["endpoint_url not a URL"] = Appended("aws", "endpoint_url: ec2.local", "absolute http:// or https:// URL", "\"ec2.local\""),
        ["endpoint_url not http"] = Appended("aws", "endpoint_url: ftp://ec2.local/", "http:// or https://"),
        ["endpoint_url without region"] = Appended("aws", "endpoint_url: http://127.0.0.1:5005/", "needs aws.region"),
        ["region missing its dash"] = Appended("aws", "region: us-east1", "AWS region name such as eu-west-1", "\"us-east1\""),
        ["duplicate key"] = new(Edit("  port: 3306\n", "  port: 3306\n  port: 3307\n"), "mysql.port", 5, "duplicate key"),
        ["duplicate section"] = new(SampleConfigs.Original + "mysql:\n  user: other\n", "mysql", 16, "duplicate key"),
        ["relative lock_filename"] = new(Edit("/tmp/db-snapshoot-locking.lock", "tmp/db.lock"), "instance.lock_filename", 11, "absolute path starting with /", "\"tmp/db.lock\""),
        ["empty g_instance_name"] = new(Edit("  g_instance_name: pro-sql-XXXXXXXX-", "  g_instance_name: ''"), "instance.g_instance_name", 10, "Name tag", "got an empty value"),
        ["blank stop_command"] = Appended("service", "stop_command: '  '", "command line that stops MySQL", "empty"),
        ["relative journal_path"] = Appended("state", "journal_path: journal.json", "absolute path"),
        ["relative metrics textfile"] = Appended("metrics", "textfile: offline_backup.prom", "absolute path", ".prom file"),
        ["metrics textfile not named .prom"] = Appended("metrics", "textfile: /var/lib/prometheus/node-exporter/offline_backup.txt", "reads only files named *.prom", "offline_backup.txt"),
        ["metrics textfile is a bare .prom"] = Appended("metrics", "textfile: /var/lib/prometheus/node-exporter/.prom", "reads only files named *.prom"),
        ["relative password_file"] = new(Edit("  db: ''", "  password_file: secrets/mysql.pw"), "mysql.password_file", 6, "absolute path"),
        ["consistency mode not a choice"] = Appended("consistency", "mode: hot", "expected one of stop, online"),
        ["zero max_block_seconds"] = Appended("consistency", "max_block_seconds: 0", "out of range"),
        ["max_block_seconds above ten minutes"] = Appended("consistency", "max_block_seconds: 601", "out of range"),
        ["quoted max_block_seconds"] = Appended("consistency", "max_block_seconds: '5'", "quoted"),
        ["freeze_filesystem not a boolean"] = Appended("consistency", "freeze_filesystem: yes", "expected true or false"),
        ["freeze_filesystem without online mode"] = Appended("consistency", "freeze_filesystem: true", "mode: online only"),
        ["max_block without its unit"] = Appended("consistency", "max_block: 5", "max_block_seconds"),
        ["availability zone without its letter"] = new(Edit("instance:\n", "instance:\n  availability_zone: eu-west-1\n"), "instance.availability_zone", 8),
        ["count_tables as a flow list of bare names"] = Appended("drill", "count_tables: [orders]"),
        ["count_tables as a single value"] = Appended("drill", "count_tables: shop.orders"),
        ["drill data directory outside the volume"] = Appended("drill", "data_directory_on_volume: ../etc"),
        ["drill buffer pool size not a size"] = Appended("drill", "buffer_pool_size: lots"),
        ["relative drill scratch directory"] = Appended("drill", "scratch_directory: drill"),
        ["zero drill attach timeout"] = Appended("drill", "attach_timeout_seconds: 0"),
        ["restore volume timeout as text"] = Appended("restore", "volume_timeout_seconds: forever"),
        ["zero restore device timeout"] = Appended("restore", "device_timeout_seconds: 0"),
        ["start timeout under restore"] = Appended("restore", "start_timeout_seconds: 60"),
    };

    /// <summary>
    /// <paramref name="section"/> appended with the one key line <paramref name="keyLine"/>: the
    /// message must name that key, at line 17.
    /// </summary>
    private static MalformedConfig Appended(string section, string keyLine, params string[] expected) =>
        new(SampleConfigs.Original + $"{section}:\n  {keyLine}\n", $"{section}.{keyLine[..keyLine.IndexOf(':', StringComparison.Ordinal)]}", 17, expected);

    private static string Edit(string find, string replacement)
    {
        Assert.Contains(find, SampleConfigs.Original, StringComparison.Ordinal);
        return SampleConfigs.Original.Replace(find, replacement, StringComparison.Ordinal);
    }
}
