namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// TagSpecification.N as CreateSnapshot, CopySnapshot and CreateVolume take them: every
/// specification for the one resource type the action creates, EC2's limits on keys, values and
/// count.
/// </summary>
internal static class TagSpecification
{
    private const int MaxTags = 50;

    public static Dictionary<string, string> Parse(Ec2Request request, string resourceType)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; request.Parameter($"TagSpecification.{i}.ResourceType") is { } type; i++)
        {
            if (type != resourceType)
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                    $"'{type}' is not a valid taggable resource type for this operation."));
            }

            for (var j = 1; request.Parameter($"TagSpecification.{i}.Tag.{j}.Key") is { } key; j++)
            {
                if (key.Length is 0 or > 128 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                {
                    throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Tag key '{key}' is invalid"));
                }

                var value = request.Parameter($"TagSpecification.{i}.Tag.{j}.Value") ?? "";
                if (value.Length > 256 || !tags.TryAdd(key, value))
                {
                    throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Tag '{key}' is invalid or given twice"));
                }
            }
        }

        if (tags.Count > MaxTags)
        {
            throw new Ec2FaultException(new Ec2Fault(400, "TagLimitExceeded",
                $"The maximum number of tags ({MaxTags}) has been exceeded."));
        }

        return tags;
    }
}
