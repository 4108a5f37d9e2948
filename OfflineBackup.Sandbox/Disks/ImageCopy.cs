namespace OfflineBackup.Sandbox.Disks;

/// <summary>
/// How one image was copied and how long it took. <c>reflink</c> shares the blocks (FICLONE on the
/// xfs pool): near-instant, and atomic at the file level because the clone holds the file's
/// locks, so it is the point-in-time copy EBS promises. <c>sparse</c> reads the whole file,
/// skipping holes (a pool without reflink); <c>directory</c> is the fallback mode's recursive copy.
/// </summary>
public sealed record ImageCopy(string From, string To, string Method, TimeSpan Elapsed);
