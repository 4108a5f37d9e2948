namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>One request as it arrived: the Query protocol's flat parameters, untouched.</summary>
public sealed record Ec2Request(
    long Sequence,
    DateTimeOffset ReceivedAt,
    string Action,
    IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The region the SDK signed the request for (its credential scope); null if unsigned.</summary>
    public string? Region { get; init; }

    public bool DryRun => string.Equals(Parameter("DryRun"), "true", StringComparison.OrdinalIgnoreCase);

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>A parameter the action cannot do without: MissingParameter when absent or empty, as EC2 answers.</summary>
    public string Required(string name) =>
        Parameter(name) is { Length: > 0 } value ? value : throw new Ec2FaultException(Ec2Fault.MissingParameter(name));

    /// <summary>Where a dry run stops once its checks passed: EC2's DryRunOperation "error".</summary>
    public void StopIfDryRun()
    {
        if (DryRun)
        {
            throw new Ec2FaultException(Ec2Fault.DryRunOperation());
        }
    }

    /// <summary>The values of a Query-protocol list: <c>Prefix.1</c>, <c>Prefix.2</c>, ... in order.</summary>
    public IReadOnlyList<string> List(string prefix)
    {
        var values = new List<string>();
        for (var i = 1; Parameters.TryGetValue($"{prefix}.{i}", out var value); i++)
        {
            values.Add(value);
        }

        return values;
    }
}

/// <summary>One request and how the double answered it.</summary>
public sealed record Ec2Call(Ec2Request Request, int HttpStatus, string? ErrorCode)
{
    public string Action => Request.Action;

    public bool DryRun => Request.DryRun;

    public bool Succeeded => HttpStatus == 200;
}
