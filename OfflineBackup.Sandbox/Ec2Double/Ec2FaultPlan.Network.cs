namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>Wire-level faults (<see cref="Ec2NetworkFault"/>), queued or standing per action like the EC2 error answers.</summary>
public sealed partial class Ec2FaultPlan
{
    private readonly Dictionary<string, Queue<Ec2NetworkFault>> _networkNext = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Ec2NetworkFault> _networkAlways = new(StringComparer.Ordinal);

    /// <summary>
    /// The next <paramref name="count"/> real calls of <paramref name="action"/> meet <paramref name="fault"/>.
    /// Dry runs pass untouched: the permission probe must not use up a fault meant for the real call.
    /// </summary>
    public void BreakNext(string action, int count, Ec2NetworkFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            if (!_networkNext.TryGetValue(action, out var queue))
            {
                _networkNext[action] = queue = new Queue<Ec2NetworkFault>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    /// <summary>Every real call of <paramref name="action"/> (or of any action, with <see cref="AnyAction"/>) meets <paramref name="fault"/> until cleared.</summary>
    public void BreakAlways(string action, Ec2NetworkFault fault)
    {
        lock (_gate)
        {
            _networkAlways[action] = fault;
        }
    }

    /// <summary>The wire fault this call meets, consuming a queued one; null to let it through.</summary>
    internal Ec2NetworkFault? TakeNetworkFault(Ec2Request request)
    {
        if (request.DryRun)
        {
            return null;
        }

        lock (_gate)
        {
            foreach (var key in new[] { request.Action, AnyAction })
            {
                if (_networkNext.TryGetValue(key, out var queue) && queue.TryDequeue(out var fault))
                {
                    return fault;
                }
            }

            return _networkAlways.GetValueOrDefault(request.Action) ?? _networkAlways.GetValueOrDefault(AnyAction);
        }
    }

    private void ClearNetworkFaults(string? action = null)
    {
        lock (_gate)
        {
            if (action is null)
            {
                _networkNext.Clear();
                _networkAlways.Clear();
            }
            else
            {
                _networkNext.Remove(action);
                _networkAlways.Remove(action);
            }
        }
    }
}
