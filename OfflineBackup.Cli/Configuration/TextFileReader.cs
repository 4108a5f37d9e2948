using OfflineBackup.Errors;

namespace OfflineBackup.Configuration;

/// <summary>Reads a whole small file, turning the ways it can be missing into a configuration error.</summary>
internal static class TextFileReader
{
    /// <param name="fail">Builds the error from a problem phrased to follow the file's name ("does not exist").</param>
    public static string Read(string path, Func<string, ConfigurationException> fail)
    {
        if (Directory.Exists(path))
        {
            throw fail("is a directory, expected a file");
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw fail("does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            throw fail("cannot be read: permission denied (check its owner and mode, or run as root)");
        }
        catch (IOException e)
        {
            throw fail($"cannot be read: {e.Message}");
        }
    }
}
