namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// Faults per action name, queued (the next N calls) or standing (until cleared), for the EC2
/// error answers and the wire faults alike. A queued fault wins over a standing one, and the
/// action's own over <see cref="Ec2FaultPlan.AnyAction"/>'s. Requests and the test
/// programming them run on different threads, so every call holds the table's lock.
/// </summary>
internal sealed class ActionFaults<TFault>
    where TFault : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<TFault>> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TFault> _always = new(StringComparer.Ordinal);

    public void Next(string action, int count, TFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            if (!_next.TryGetValue(action, out var queue))
            {
                _next[action] = queue = new Queue<TFault>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    public void Always(string action, TFault fault)
    {
        lock (_gate)
        {
            _always[action] = fault;
        }
    }

    /// <summary>The fault this call of <paramref name="action"/> meets, consuming a queued one; null to let it through.</summary>
    public TFault? Take(string action)
    {
        lock (_gate)
        {
            foreach (var key in new[] { action, Ec2FaultPlan.AnyAction })
            {
                if (_next.TryGetValue(key, out var queue) && queue.TryDequeue(out var fault))
                {
                    return fault;
                }
            }

            return _always.GetValueOrDefault(action) ?? _always.GetValueOrDefault(Ec2FaultPlan.AnyAction);
        }
    }

    public void Clear(string action)
    {
        lock (_gate)
        {
            _next.Remove(action);
            _always.Remove(action);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _next.Clear();
            _always.Clear();
        }
    }
}
