namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// Programmable misbehaviour, per action. Checked for every request after the call is logged and
/// before the action runs, so a faulted call never changes the inventory. Order: added latency,
/// then a queued one-off fault (<see cref="FailNext"/>), then a standing one (<see cref="FailAlways"/>).
/// </summary>
public sealed partial class Ec2FaultPlan(string accountId)
{
    /// <summary>Action name that matches every action.</summary>
    public const string AnyAction = "*";

    private readonly Lock _gate = new();
    private readonly ActionFaults<Ec2Fault> _answers = new();
    private readonly ActionFaults<Ec2NetworkFault> _wire = new();
    private readonly Dictionary<string, TimeSpan> _latency = new(StringComparer.Ordinal);

    /// <summary>The next <paramref name="count"/> calls of <paramref name="action"/> (dry runs included) answer <paramref name="fault"/>.</summary>
    public void FailNext(string action, int count, Ec2Fault fault) => _answers.Next(action, count, fault);

    /// <summary>Every call of <paramref name="action"/> answers <paramref name="fault"/> until cleared.</summary>
    public void FailAlways(string action, Ec2Fault fault) => _answers.Always(action, fault);

    /// <summary>IAM denies <paramref name="action"/>: every call, dry run or not, answers UnauthorizedOperation.</summary>
    public void Deny(string action) => FailAlways(action, Ec2Fault.Unauthorized(action, accountId));

    /// <summary>Each call of <paramref name="action"/> waits this long before being answered.</summary>
    public void AddLatency(string action, TimeSpan latency)
    {
        lock (_gate)
        {
            _latency[action] = latency;
        }
    }

    public void Clear(string action)
    {
        _answers.Clear(action);
        _wire.Clear(action);
        lock (_gate)
        {
            _latency.Remove(action);
        }
    }

    public void ClearAll()
    {
        _answers.Clear();
        _wire.Clear();
        lock (_gate)
        {
            _latency.Clear();
        }
    }

    internal TimeSpan LatencyFor(string action)
    {
        lock (_gate)
        {
            return (_latency.TryGetValue(action, out var own) ? own : TimeSpan.Zero)
                + (_latency.TryGetValue(AnyAction, out var all) ? all : TimeSpan.Zero);
        }
    }

    /// <summary>The fault this call must answer, consuming a queued one; null to let it through.</summary>
    internal Ec2Fault? TakeFault(string action) => _answers.Take(action);
}
