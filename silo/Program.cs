using Recouvrement.Silo.Hosting;

// One silo with the HTTP API mapped in. Without ConnectionStrings:Recouvrement it runs embedded (in memory).
await SiloHost.Build(args).RunAsync();
