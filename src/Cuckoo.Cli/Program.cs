using Cuckoo.Cli;

return await CliApp.RunAsync(args);
