using System.Text;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// The double's opaque NextToken: the last id of the page, behind a prefix of its own per action
/// so a token of one listing is refused by another, as EC2 refuses a token it did not issue.
/// </summary>
internal sealed record PageToken(string Prefix)
{
    public string Issue(string lastId) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + lastId));

    /// <summary>The last id of the previous page, or null for the first page (no token).</summary>
    public string? Read(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
            // Falls through to EC2's answer for a token it did not issue.
        }

        throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Invalid value '{token}' for nextToken"));
    }
}
