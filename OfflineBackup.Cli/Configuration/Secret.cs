namespace OfflineBackup.Configuration;

/// <summary>
/// A password that cannot leak by accident: ToString, string interpolation and serializers see
/// only a mask. The value is read through <see cref="Reveal"/>, which greps well in review.
/// </summary>
public sealed class Secret(string value)
{
    public static readonly Secret Empty = new(string.Empty);

    private readonly string _value = value;

    public bool IsEmpty => _value.Length == 0;

    public string Reveal() => _value;

    public override string ToString() => IsEmpty ? "(empty)" : "********";
}
