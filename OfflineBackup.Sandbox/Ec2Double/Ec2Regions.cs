using System.Text.RegularExpressions;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// Which region a request is for. One double on one port serves several regions, so the region is
/// read where EC2's own front end would be sure of it: the SigV4 credential scope the SDK signed
/// with ("Credential=AKID/20261128/eu-central-1/ec2/aws4_request").
/// </summary>
internal static partial class Ec2Regions
{
    public static string? SigningRegion(string authorization) =>
        CredentialScope().Match(authorization) is { Success: true } match ? match.Groups["region"].Value : null;

    [GeneratedRegex(@"Credential=[^/,\s]+/[0-9]{8}/(?<region>[a-z0-9-]+)/ec2/aws4_request", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialScope();
}
