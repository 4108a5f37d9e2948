// The sandbox command comes with its own issue; until then this project is the home of the
// test doubles (MariaDB fixture, EC2 API double) shared by the tests.
Console.Error.WriteLine("offline-backup sandbox: not built yet");
return 2;
