global using System.Collections.Immutable;
global using Orleans.Concurrency;
global using Recouvrement.Cases;
global using Recouvrement.Creditors;
global using Recouvrement.Debtors;
