using BenchmarkDotNet.Running;

// `controller`: the end-to-end controller scenario (bench/controller.sh); anything else goes to BenchmarkDotNet.
if (args is ["controller", ..])
{
    return await Connectors.Bench.Controller.ControllerScenario.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
