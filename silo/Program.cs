using Recouvrement.Silo.Demo;
using Recouvrement.Silo.Hosting;

// One silo with the HTTP API mapped in. Without ConnectionStrings:Recouvrement it runs embedded (in memory).
// `demo`: the same on a fast clock, with a simulated portfolio whose debtors answer their messages.
await (DemoCommand.Asked(args) ? DemoCommand.Build(args) : SiloHost.Build(args)).RunAsync();
