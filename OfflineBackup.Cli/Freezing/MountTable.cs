using System.Text;

namespace OfflineBackup.Freezing;

/// <summary>
/// One line of /proc/self/mountinfo. <see cref="Device"/> ("major:minor") names the filesystem
/// itself: a bind mount shows the same device under another mount point, and freezing either
/// freezes both, so "the same filesystem" is always decided by device, never by path.
/// </summary>
public sealed record MountEntry(string Device, string Root, string MountPoint, string FileSystem, string Source);

/// <summary>The mounts as the kernel lists them, and which of them a path resolves through.</summary>
public sealed class MountTable(IReadOnlyList<MountEntry> entries)
{
    public const string HostFile = "/proc/self/mountinfo";

    public IReadOnlyList<MountEntry> Entries { get; } = entries;

    /// <summary>The mount on "/" that is visible (the last one, when something was mounted over it).</summary>
    public MountEntry? RootMount => Entries.LastOrDefault(e => e.MountPoint == "/");

    public static MountTable ReadHost() => Parse(File.ReadAllText(HostFile));

    /// <summary>Parses mountinfo text; a line that does not have the documented shape is skipped.</summary>
    public static MountTable Parse(string mountinfo)
    {
        var entries = new List<MountEntry>();
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // id parent major:minor root mount-point options [optional...] - fstype source super-options
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 6 || separator < 6 || separator + 2 >= fields.Length || !fields[2].Contains(':', StringComparison.Ordinal))
            {
                continue;
            }

            entries.Add(new MountEntry(fields[2], Unescape(fields[3]), Unescape(fields[4]), fields[separator + 1], Unescape(fields[separator + 2])));
        }

        return new MountTable(entries);
    }

    /// <summary>
    /// The mount an absolute, symlink-free path resolves through: the deepest mount point that is
    /// the path or one of its ancestors, among the mounts not hidden by a later mount on or above
    /// them (mountinfo lists mounts in the order they were made).
    /// </summary>
    public MountEntry? Holding(string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"'{path}' is not an absolute path", nameof(path));
        }

        MountEntry? best = null;
        for (var i = 0; i < Entries.Count; i++)
        {
            var entry = Entries[i];
            if (!IsAtOrUnder(path, entry.MountPoint) || IsHidden(i))
            {
                continue;
            }

            if (best is null || entry.MountPoint.Length >= best.MountPoint.Length)
            {
                best = entry;
            }
        }

        return best;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or lies inside it, by whole components.</summary>
    public static bool IsAtOrUnder(string path, string directory)
    {
        var parent = directory.TrimEnd('/');
        return parent.Length == 0
            || path == parent
            || (path.StartsWith(parent, StringComparison.Ordinal) && path.Length > parent.Length && path[parent.Length] == '/');
    }

    private bool IsHidden(int index)
    {
        for (var later = index + 1; later < Entries.Count; later++)
        {
            if (IsAtOrUnder(Entries[index].MountPoint, Entries[later].MountPoint))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as \ooo octal.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length
                && field.AsSpan(i + 1, 3).ToString().All(c => c is >= '0' and <= '7'))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }
}
