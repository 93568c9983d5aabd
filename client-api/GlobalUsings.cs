global using Microsoft.AspNetCore.Http.HttpResults;
global using Recouvrement.Cases;
global using Recouvrement.Creditors;
global using Recouvrement.Debtors;
global using Recouvrement.Events;
