namespace OfflineBackup.Tests.Unit.Configuration;

public sealed class PermissionWarningTests : ConfigFileTests
{
    [Fact]
    public void ConfigWithPassword_ReadableByOthers_IsWarnedAbout()
    {
        var path = _files.Write("config.yml", SampleConfigs.Original, ConfigFiles.WorldReadable);

        var warning = Assert.Single(ConfigLoader.Load(path, SampleConfigs.Environment()).Warnings);

        Assert.Equal($"{path} contains mysql.password and is readable by its group and all users (mode 0644); run: chmod 600 {path}", warning);
    }

    [Fact]
    public void ConfigWithPassword_OwnerOnly_IsNotWarnedAbout()
    {
        var path = _files.Write("config.yml", SampleConfigs.Original, ConfigFiles.OwnerOnly);

        Assert.Empty(ConfigLoader.Load(path, SampleConfigs.Environment()).Warnings);
    }

    [Fact]
    public void ConfigWithoutPassword_ReadableByOthers_IsFine()
    {
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword(), ConfigFiles.WorldReadable);

        Assert.Empty(ConfigLoader.Load(path, SampleConfigs.Environment()).Warnings);
    }

    [Theory]
    [InlineData("password_file", "secret\n", UnixFileMode.GroupRead, "its group", "0640")]
    [InlineData("option_file", "[client]\npassword=secret\n", UnixFileMode.OtherRead, "all users", "0604")]
    public void PasswordSourceFile_ReadableByOthers_IsWarnedAbout(string key, string content, UnixFileMode extra, string readers, string mode)
    {
        var source = _files.Write("source", content, ConfigFiles.OwnerOnly | extra);
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword($"  {key}: {source}\n"), ConfigFiles.WorldReadable);

        var warning = Assert.Single(ConfigLoader.Load(path, SampleConfigs.Environment()).Warnings);

        Assert.Equal($"{source} (mysql.{key}) holds the MySQL password and is readable by {readers} (mode {mode}); run: chmod 600 {source}", warning);
    }

    [Theory]
    [InlineData("password_file", "secret\n")]
    [InlineData("option_file", "[client]\npassword=secret\n")]
    public void PasswordSourceFile_OwnerOnly_IsNotWarnedAbout(string key, string content)
    {
        var source = _files.Write("source", content, ConfigFiles.OwnerOnly);
        var path = _files.Write("config.yml", SampleConfigs.WithoutPassword($"  {key}: {source}\n"), ConfigFiles.WorldReadable);

        Assert.Empty(ConfigLoader.Load(path, SampleConfigs.Environment()).Warnings);
    }
}
