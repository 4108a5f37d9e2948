namespace OfflineBackup.Tests.Unit.Configuration;

/// <summary>The configuration tests' set-up: a fresh directory for the files each test writes, removed after it.</summary>
public abstract class ConfigFileTests : IDisposable
{
    private protected readonly ConfigFiles _files = new();

    public void Dispose()
    {
        _files.Dispose();
        GC.SuppressFinalize(this);
    }
}
