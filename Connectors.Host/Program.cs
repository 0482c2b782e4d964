using Connectors.Host.Cli;

return await ConnectorsCommandLine.InvokeAsync(args, Console.Out, Console.Error, CancellationToken.None);
