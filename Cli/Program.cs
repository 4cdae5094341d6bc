using System;

namespace Autodiff.Cli;

internal static class Program
{
    private static int Main(string[] args) => Adweave.Run(args, Console.Out, Console.Error);
}
