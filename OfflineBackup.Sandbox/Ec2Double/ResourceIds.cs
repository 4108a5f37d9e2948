using System.Security.Cryptography;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>New ids in EC2's long form (prefix, 17 lowercase hex digits), never one already taken.</summary>
internal static class ResourceIds
{
    public static string New(string prefix, Func<string, bool> taken)
    {
        while (true)
        {
            var id = prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..17];
            if (!taken(id))
            {
                return id;
            }
        }
    }
}
