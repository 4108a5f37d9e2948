namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>Every request the double answered, in arrival order. Safe to read while requests run.</summary>
public sealed class Ec2CallLog
{
    private readonly Lock _gate = new();
    private readonly List<Ec2Call> _calls = [];

    public IReadOnlyList<Ec2Call> All
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToList();
            }
        }
    }

    public IReadOnlyList<Ec2Call> Of(string action) => All.Where(c => c.Action == action).ToList();

    public int Count(string action) => Of(action).Count;

    public int Count(string action, bool dryRun) => Of(action).Count(c => c.DryRun == dryRun);

    public void Clear()
    {
        lock (_gate)
        {
            _calls.Clear();
        }
    }

    internal void Add(Ec2Call call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }
}
