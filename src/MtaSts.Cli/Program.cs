using MtaSts.Cli;

return await MtaStsCli.RunAsync(args, CliConsole.System());
