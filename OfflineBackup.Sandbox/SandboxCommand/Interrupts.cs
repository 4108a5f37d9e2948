using System.Runtime.InteropServices;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>
/// Ctrl-C, SIGTERM or SIGHUP once the sandbox is up: wind down in order rather than at once. The
/// tool, if running, is given the signal too and finishes as it would on a real host (MySQL
/// started again, exit 130); then the sandbox removes the servers, the double and the files.
/// These are the only handlers: the pair is started without its signal guard (it would kill the
/// servers at once) and the command line library's is off (a second Ctrl-C makes it throw on
/// the signal thread, which aborts the process).
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    public Interrupts()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _cancel.Cancel();
    }
}
