using BenchmarkDotNet.Running;
using LnbitsMcp.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(DecodeBenchmarks).Assembly).Run(args);
