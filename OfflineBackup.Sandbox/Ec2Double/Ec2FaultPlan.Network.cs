namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>Wire-level faults (<see cref="Ec2NetworkFault"/>), queued or standing per action like the EC2 error answers.</summary>
public sealed partial class Ec2FaultPlan
{
    /// <summary>
    /// The next <paramref name="count"/> real calls of <paramref name="action"/> meet <paramref name="fault"/>.
    /// Dry runs pass untouched: the permission probe must not use up a fault meant for the real call.
    /// </summary>
    public void BreakNext(string action, int count, Ec2NetworkFault fault) => _wire.Next(action, count, fault);

    /// <summary>Every real call of <paramref name="action"/> (or of any action, with <see cref="AnyAction"/>) meets <paramref name="fault"/> until cleared.</summary>
    public void BreakAlways(string action, Ec2NetworkFault fault) => _wire.Always(action, fault);

    /// <summary>The wire fault this call meets, consuming a queued one; null to let it through.</summary>
    internal Ec2NetworkFault? TakeNetworkFault(Ec2Request request) => request.DryRun ? null : _wire.Take(request.Action);
}
