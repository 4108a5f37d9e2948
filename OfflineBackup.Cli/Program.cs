using OfflineBackup.Commands;

return await CliApp.InvokeAsync(args, CliServices.Production(), Console.Out, Console.Error);
