namespace OfflineBackup.MySql;
public sealed class MySqlReplicaServer(OfflineBackup.Configuration.MySqlSettings s) { public object S => s; }
