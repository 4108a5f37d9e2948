using System.Runtime.InteropServices;
using OfflineBackup.Errors;

namespace OfflineBackup.Platform;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP during a run: cancel what is in flight and remember which signal
/// it was, so the run exits 130 or 143 once MySQL is back. The runtime's default (terminate at
/// once) is cancelled for all three: dying with MySQL stopped is the one thing not allowed.
/// System.CommandLine handles SIGINT and SIGTERM too; this adds SIGHUP (a closed terminal or
/// ssh session) and the record of which signal arrived.
/// </summary>
public sealed class SignalWatch : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _exitCode;

    public SignalWatch()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM or SIGHUP (a hang-up is a request to terminate).</summary>
    public int ExitCode => _exitCode == 0 ? ExitCodes.Terminated : _exitCode;

    /// <summary>The first signal that arrived, if any.</summary>
    public PosixSignal? Received { get; private set; }

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
        if (Interlocked.CompareExchange(ref _exitCode, context.Signal == PosixSignal.SIGINT ? ExitCodes.Interrupted : ExitCodes.Terminated, 0) == 0)
        {
            Received = context.Signal;
        }
        _cancel.Cancel();
    }
}
