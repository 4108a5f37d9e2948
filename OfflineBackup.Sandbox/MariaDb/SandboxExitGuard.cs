using System.Runtime.InteropServices;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// Destroys a sandbox when the test process ends without disposing it. Since .NET 10 the
/// runtime no longer raises ProcessExit on SIGTERM, so the termination signals are watched
/// directly; the handlers do not cancel the signal, the process still ends as it would have.
/// Only SIGKILL escapes this; <see cref="SandboxDirectory.ReapAbandoned"/> covers that case.
/// </summary>
internal sealed class SandboxExitGuard : IDisposable
{
    private static readonly PosixSignal[] Terminating =
        [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    private readonly string _root;
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _done;

    public SandboxExitGuard(string root, bool onSignals = true)
    {
        _root = root;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        foreach (var signal in onSignals ? Terminating : [])
        {
            _signals.Add(PosixSignalRegistration.Create(signal, _ => Destroy()));
        }
    }

    /// <summary>Stops watching; the owner destroys the sandbox itself.</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Destroy();

    private void Destroy()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            SandboxDirectory.Destroy(_root);
        }
    }
}
