using LnbitsMcp.LnbitsSandbox;

// LNbits-compatible sandbox: dotnet run --project tests/LnbitsMcp.LnbitsSandbox -- --urls http://127.0.0.1:PORT
// Wiring: SandboxHost.Build → Extensions/ (services, pipeline, demo seed) → Api/*Api.cs.
var app = SandboxHost.Build(args, options => options.SeedDemoData = true);
await app.RunAsync();
