using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Recouvrement.Api.Console;

/// <summary>
/// The keys that encrypt the console's cookies and anti-forgery tokens, kept in PostgreSQL
/// (<c>recouvrement_data_protection_keys</c>) so that every API process of a service reads a cookie another one wrote,
/// and a restart signs nobody out. Embedded, the framework's default (in memory or the user's profile) serves.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource database, string serviceId) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = database.CreateCommand("SELECT xml FROM recouvrement_data_protection_keys WHERE service_id = @service_id ORDER BY created_at");
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = database.CreateCommand("""
            INSERT INTO recouvrement_data_protection_keys (service_id, name, xml) VALUES (@service_id, @name, @xml)
            ON CONFLICT (service_id, name) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string>("name", friendlyName));
        command.Parameters.Add(new NpgsqlParameter<string>("xml", element.ToString(SaveOptions.DisableFormatting)));
        command.ExecuteNonQuery();
    }
}
