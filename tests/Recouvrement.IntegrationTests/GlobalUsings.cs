global using System.Collections.Immutable;
global using Recouvrement.Cases;
global using Recouvrement.Creditors;
global using Recouvrement.Debtors;
global using Xunit;
