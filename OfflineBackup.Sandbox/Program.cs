using OfflineBackup.Sandbox.SandboxCommand;

// The sandbox command (README "Quick start"); `./sandbox` at the repository root runs it.
return await SandboxCli.InvokeAsync(args, Console.Out, Console.Error);
