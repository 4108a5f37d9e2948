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
    private readonly Dictionary<string, Queue<Ec2Fault>> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Ec2Fault> _always = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _latency = new(StringComparer.Ordinal);

    /// <summary>The next <paramref name="count"/> calls of <paramref name="action"/> (dry runs included) answer <paramref name="fault"/>.</summary>
    public void FailNext(string action, int count, Ec2Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            if (!_next.TryGetValue(action, out var queue))
            {
                _next[action] = queue = new Queue<Ec2Fault>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    /// <summary>Every call of <paramref name="action"/> answers <paramref name="fault"/> until cleared.</summary>
    public void FailAlways(string action, Ec2Fault fault)
    {
        lock (_gate)
        {
            _always[action] = fault;
        }
    }

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
        lock (_gate)
        {
            _next.Remove(action);
            _always.Remove(action);
            _latency.Remove(action);
            ClearNetworkFaults(action);
        }
    }

    public void ClearAll()
    {
        lock (_gate)
        {
            _next.Clear();
            _always.Clear();
            _latency.Clear();
            ClearNetworkFaults();
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
    internal Ec2Fault? TakeFault(string action)
    {
        lock (_gate)
        {
            foreach (var key in new[] { action, AnyAction })
            {
                if (_next.TryGetValue(key, out var queue) && queue.TryDequeue(out var fault))
                {
                    return fault;
                }
            }

            return _always.GetValueOrDefault(action) ?? _always.GetValueOrDefault(AnyAction);
        }
    }
}
