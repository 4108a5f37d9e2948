using NLog;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// Journal trouble once MySQL has been stopped or blocked: reported once (however many writes
/// fail with the same message), logged, and never a reason to skip starting or releasing MySQL.
/// </summary>
internal static class JournalTrouble
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <returns>False when the write failed; its message is then in <paramref name="problems"/>.</returns>
    public static bool TryWrite(List<string> problems, Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (JournalException e)
        {
            Log.WithProperty("step", "journal").Error("{message}", e.Message);
            if (!problems.Contains(e.Message))
            {
                problems.Add(e.Message);
            }

            return false;
        }
    }
}
