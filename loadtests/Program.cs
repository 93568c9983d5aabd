using Recouvrement.LoadTests;

// dotnet run --project loadtests -c Release -- ingest --url http://127.0.0.1:5080 --key <creditor key> --pg <connection string>
return await LoadTestRunner.RunAsync(args);
