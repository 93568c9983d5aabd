using System.Globalization;
using System.Text;
using CsCheck;

namespace Recouvrement.Tests.Support;

/// <summary>What the fuzzed intake must answer to one request.</summary>
public enum IntakeShape
{
    OneCase,
    Batch,
    Csv,
}

/// <summary>
/// One request of the intake fuzz, with what its answer must be: the statuses allowed, and when it is a 200 the
/// position of every item (batch index or CSV line) in order, and which of them were left valid and must be created.
/// </summary>
public sealed record IntakeRequest(IntakeShape Shape, string Path, string ContentType, byte[] Body, int[] Statuses, int[]? Positions, int[] Pristine, string Mutations)
{
    /// <summary>The body as text for a failure message: control characters made visible, cut to a readable length.</summary>
    public string Shown(int max = 1500)
    {
        var text = Encoding.UTF8.GetString(Body);
        var visible = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            visible.Append(c is < ' ' or '\u007f' ? $"\\x{(int)c:x2}" : c.ToString());
        }

        return $"{Shape} {Path}, {Body.Length} bytes, mutations [{Mutations}]:\n{visible}{(text.Length > max ? $"... ({text.Length - max} more characters)" : string.Empty)}";
    }
}

/// <summary>
/// Generators (CsCheck) of mutated intake requests: valid cases with fields broken in every way a sender's software
/// manages to (wrong types, huge strings, unicode, control characters, nulls, nested objects, numbers past double,
/// duplicate keys, truncated JSON), batches mixing good and bad items, and CSV files with mutated cells, quotes,
/// separators, column counts, BOMs and line endings. Every request knows what its answer must account for.
/// </summary>
public static class IntakeInputs
{
    private static readonly string[] Units = ["x", "é", "€", "😀"];

    /// <summary>Text of about the field limit in bytes, of one-, two-, three- or four-byte characters.</summary>
    private static readonly Gen<string> Huge =
        from bytes in Gen.OneOf(Gen.OneOf(4095, 4096, 4097), Gen.Int[4000, 5200])
        from unit in Gen.OneOf(Units)
        select string.Concat(Enumerable.Repeat(unit, Math.Max(1, bytes / Encoding.UTF8.GetByteCount(unit))));

    /// <summary>Any UTF-16 code units, lone surrogates included.</summary>
    private static readonly Gen<string> AnyChars = Gen.Char.Array[0, 30].Select(chars => new string(chars));

    private static readonly Gen<string> Controls = Gen.Char['\0', '\u001f'].Array[1, 6].Select(chars => "a" + new string(chars) + "b");

    private static readonly Gen<string> Exotic = Gen.OneOf(
        "Hélène Côté", "Łódź", "東京", "😀😀", "\u202eevil", "zero\u200bwidth", "\ufeffbom", "e\u0301", "\uffff", "\ud800", "\udc00x",
        "\u0000", " ", "", "   \t ", "null", "NaN", "-", "ﬁ", "İ", "ß");

    private static readonly Gen<string> Amounts = Gen.OneOf(
        "42.50", "42,50", "0", "-5", "0.001", "1000000", "1000000.01", "999999999.99", "1234567890.00", "12345678901", "00000000042.50",
        new string('9', 40), "1e309", "-1e309", "1E-400", "4.2e1", " 42.5 ", "42.505", "1 234,00", "Infinity", ".5", "5.");

    private static readonly Gen<string> Dates = Gen.OneOf(
        "2026-09-12", "1999-12-31", "2000-01-01", "2100-12-31", "2101-01-01", "9999-12-31", "0001-01-01", "2026-02-29", "2024-02-29",
        "31/02/2026", "12/10/2026", "2026-13-01", "2026-1-1", "20261012", "2026-10-12T00:00:00Z", "");

    /// <summary>Text for a field: plausible, odd, huge, or any code units at all.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.String[0, 12]), (3, Exotic), (2, AnyChars), (2, Controls), (2, Huge), (3, Amounts), (3, Dates),
        (1, Gen.OneOf("marie@example.org", "not-an-email", "a@b", "+33612345678", "06 12 34 56 78", "0000", "consumer", "business", "martian", "FR", "fr", "en", "F", "EUR", "USD")));

    // ---------- JSON ----------

    /// <summary>A JSON value as raw text, of any type; some nested a few levels, none deeper than the API reads.</summary>
    private static readonly Gen<string> JsonValue = Gen.Frequency(
        (6, Text.Select(Quote)),
        (3, Gen.OneOf("1e309", "-1e309", "1E-400", "0", "-0", "42.5", "42.50", "12345678901", "1234567890.00", "999999999.99",
            new string('1', 40), new string('7', 5000), "-5", "0.001", "1e2", "18446744073709551616")),
        (2, Gen.OneOf("true", "false", "null", "[]", "{}", "[1,\"a\",null]", """{"a":{"b":[1,2,{"c":"d"}]}}""")),
        (1, Gen.Int[1, 6].SelectMany(depth => Text.Select(t => Nested(depth, Quote(t))))));

    private static string Nested(int depth, string inner) =>
        depth == 0 ? inner : depth % 2 == 0 ? $"[{Nested(depth - 1, inner)}]" : $"{{\"k{depth}\":{Nested(depth - 1, inner)}}}";

    /// <summary>A JSON string: quotes, backslashes and control characters escaped, lone surrogates escaped (JSON allows it), the rest as is.</summary>
    public static string Quote(string text)
    {
        var json = new StringBuilder("\"");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                json.Append(c).Append(text[++i]);
            }
            else if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c))
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }

        return json.Append('"').ToString();
    }

    /// <summary>A JSON object kept as ordered properties, so that a mutation can repeat a key or leave one out.</summary>
    private sealed class JsonCase
    {
        public List<(string Key, object Value)> Properties { get; } = [];

        public string? Whole { get; set; }

        public JsonCase Add(string key, object value)
        {
            Properties.Add((key, value));
            return this;
        }

        public override string ToString() =>
            Whole ?? "{" + string.Join(",", Properties.Select(p => $"{Quote(p.Key)}:{p.Value}")) + "}";
    }

    private static JsonCase ValidCase(string reference, string debtor, bool amountAsText) => new JsonCase()
        .Add("reference", Quote(reference)).Add("amount", amountAsText ? "\"42.50\"" : "42.50").Add("currency", "\"EUR\"")
        .Add("issuedOn", "\"2026-09-12\"").Add("dueOn", "\"2026-10-12\"").Add("label", "\"Facture du 12/09/2026\"")
        .Add("debtor", new JsonCase()
            .Add("reference", Quote(debtor)).Add("kind", "\"consumer\"").Add("name", "\"Marie Durand\"").Add("email", "\"marie.durand@example.org\"")
            .Add("phone", "\"06 12 34 56 78\"")
            .Add("address", new JsonCase().Add("line1", "\"3 rue des Lilas\"").Add("postalCode", "\"69003\"").Add("city", "\"Lyon\"").Add("country", "\"FR\"")));

    /// <summary>One change to a case: set, remove or repeat a field, add an unknown one, or make the item no object at all.</summary>
    private sealed record JsonMutation(int Kind, int Target, string Value, string Key);

    private static readonly Gen<JsonMutation> JsonMutations =
        from kind in Gen.Frequency((8, 0), (2, 1), (2, 2), (2, 3), (1, 4))
        from target in Gen.Int[0, 99]
        from value in JsonValue
        from key in Gen.Frequency((4, Gen.String[1, 10]), (1, Exotic), (1, Huge), (1, AnyChars))
        select new JsonMutation(kind, target, value, key);

    private static string Apply(JsonCase item, IEnumerable<JsonMutation> mutations, List<string> log)
    {
        foreach (var m in mutations)
        {
            // Every object of the case: the case, its debtor and the address, while they are still objects.
            var objects = new List<JsonCase> { item };
            for (var i = 0; i < objects.Count; i++)
            {
                objects.AddRange(objects[i].Properties.Select(p => p.Value).OfType<JsonCase>());
            }

            var holder = objects[m.Target % objects.Count];
            var index = holder.Properties.Count == 0 ? -1 : m.Target % holder.Properties.Count;
            switch (m.Kind)
            {
                case 0 when index >= 0:
                    log.Add($"set {holder.Properties[index].Key}");
                    holder.Properties[index] = (holder.Properties[index].Key, m.Value);
                    break;
                case 1 when index >= 0:
                    log.Add($"remove {holder.Properties[index].Key}");
                    holder.Properties.RemoveAt(index);
                    break;
                case 2 when index >= 0:
                    log.Add($"repeat {holder.Properties[index].Key}");
                    holder.Properties.Insert(m.Target % (holder.Properties.Count + 1), (holder.Properties[index].Key, m.Value));
                    break;
                case 3:
                    log.Add("add unknown");
                    holder.Add(m.Key, m.Value);
                    break;
                case 4:
                    log.Add("not an object");
                    item.Whole = m.Value.StartsWith('{') ? "[]" : m.Value;
                    break;
            }
        }

        return item.ToString();
    }

    /// <summary>A whole-body corruption that makes the text no JSON at all.</summary>
    private sealed record Corruption(int Kind, int Where);

    private static readonly Gen<Corruption> Corruptions = Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], (k, w) => new Corruption(k, w));

    private static (byte[] Body, string Name) Corrupt(string json, Corruption corruption)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = 1 + corruption.Where % Math.Max(1, bytes.Length - 2);
        return corruption.Kind switch
        {
            0 => (bytes[..at], "truncated"),
            1 => (Array.IndexOf(bytes, (byte)'{') is >= 0 and var brace
                ? [.. bytes[..(brace + 1)], .. "\"n\":NaN,"u8, .. bytes[(brace + 1)..]]
                : [.. "NaN"u8, .. bytes], "NaN as a value"),
            2 => ([.. bytes, .. "x"u8], "trailing garbage"),
            3 => ([.. Enumerable.Repeat((byte)'[', 40), .. bytes, .. Enumerable.Repeat((byte)']', 40)], "nested 40 deep"),
            4 => ([.. "{\"reference\":\"a"u8, 0xFF, 0xFE, .. "\"}"u8], "invalid UTF-8"),
            _ => ([.. "{\"reference\":\"a"u8, 0x01, .. "\"}"u8], "raw control character in a string"),
        };
    }

    private static readonly Gen<(bool Pristine, bool AmountAsText, List<JsonMutation> Mutations)> JsonItems =
        from pristine in Gen.Bool
        from amountAsText in Gen.Bool
        from mutations in JsonMutations.List[1, 4]
        select (pristine, amountAsText, mutations);

    /// <summary>One case to <c>POST /api/v1/cases</c>.</summary>
    public static Gen<IntakeRequest> OneCase(int input) =>
        from item in JsonItems
        from corrupt in Gen.Int[0, 9]
        from corruption in Corruptions
        select SingleRequest(input, item, corrupt == 0 ? corruption : null);

    private static IntakeRequest SingleRequest(int input, (bool Pristine, bool AmountAsText, List<JsonMutation> Mutations) item, Corruption? corruption)
    {
        var log = new List<string>();
        var reference = item.Pristine ? $"P{input}-0" : $"M{input}-0";
        var json = ValidCase(reference, item.Pristine ? $"PD{input}-0" : $"MD-{input % 40}", item.AmountAsText);
        var text = item.Pristine ? json.ToString() : Apply(json, item.Mutations, log);
        if (corruption is not null)
        {
            var (body, name) = Corrupt(text, corruption);
            return new IntakeRequest(IntakeShape.OneCase, "/api/v1/cases", "application/json", body, [400], null, [], name);
        }

        return item.Pristine
            ? new IntakeRequest(IntakeShape.OneCase, "/api/v1/cases", "application/json", Encoding.UTF8.GetBytes(text), [201], null, [0], "none")
            : new IntakeRequest(IntakeShape.OneCase, "/api/v1/cases", "application/json", Encoding.UTF8.GetBytes(text), [200, 201, 400, 409], null, [], string.Join("; ", log));
    }

    /// <summary>A batch of 1 to 20 cases, good and bad mixed, to <c>POST /api/v1/cases/batch</c>.</summary>
    public static Gen<IntakeRequest> Batch(int input) =>
        from items in JsonItems.List[1, 20]
        from wrapped in Gen.Int[0, 4]
        from corrupt in Gen.Int[0, 9]
        from corruption in Corruptions
        select BatchRequest(input, items, wrapped == 0, corrupt == 0 ? corruption : null);

    private static IntakeRequest BatchRequest(int input, List<(bool Pristine, bool AmountAsText, List<JsonMutation> Mutations)> items, bool wrapped, Corruption? corruption)
    {
        var log = new List<string>();
        var texts = items.Select((item, k) =>
        {
            var json = ValidCase(item.Pristine ? $"P{input}-{k}" : $"M{input}-{k}", item.Pristine ? $"PD{input}-{k}" : $"MD-{(input + k) % 40}", item.AmountAsText);
            if (item.Pristine)
            {
                return json.ToString();
            }

            var changes = new List<string>();
            var text = Apply(json, item.Mutations, changes);
            log.Add($"#{k}: {string.Join(", ", changes)}");
            return text;
        }).ToList();
        var array = "[" + string.Join(",", texts) + "]";
        var text = wrapped ? $"{{\"cases\":{array}}}" : array;
        if (corruption is not null)
        {
            var (body, name) = Corrupt(text, corruption);
            return new IntakeRequest(IntakeShape.Batch, "/api/v1/cases/batch", "application/json", body, [400], null, [], name);
        }

        return new IntakeRequest(IntakeShape.Batch, "/api/v1/cases/batch", "application/json", Encoding.UTF8.GetBytes(text), [200],
            [.. Enumerable.Range(0, items.Count)], [.. items.Select((item, k) => (item, k)).Where(x => x.item.Pristine).Select(x => x.k)], string.Join("; ", log));
    }

    // ---------- CSV ----------

    private static readonly string[] CsvColumns =
    [
        "reference", "amount", "currency", "issued_on", "due_on", "label", "debtor_reference", "debtor_kind", "debtor_name",
        "email", "phone", "address_line1", "postal_code", "city", "country",
    ];

    /// <summary>How a file is laid out: its separator, extra columns, header oddity, BOM, and whether one line opens a quote it never closes.</summary>
    private sealed record CsvLayout(char Delimiter, bool Language, int Extra, int Header, bool Bom, bool Runaway, int RunawayLine);

    private static readonly Gen<CsvLayout> Layouts =
        from delimiter in Gen.OneOf(',', ';')
        from language in Gen.Bool
        from extra in Gen.Frequency((16, 0), (3, 2), (1, 60))
        from header in Gen.Frequency((16, 0), (1, 1), (1, 2), (1, 3), (1, 4))
        from bom in Gen.Int[0, 2]
        from runaway in Gen.Int[0, 9]
        from runawayLine in Gen.Int[0, 19]
        select new CsvLayout(delimiter, language, extra, header, bom == 0, runaway == 0, runawayLine);

    /// <summary>One change to one line: a cell replaced, quoted (maybe over a line break), broken in encoding, or cells added or dropped.</summary>
    private sealed record CsvMutation(int Kind, int Column, string Value, bool MultiLine, bool Crlf, int Count);

    private static readonly Gen<CsvMutation> CsvMutations =
        from kind in Gen.Frequency((10, 0), (3, 1), (2, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7))
        from column in Gen.Int[0, 99]
        from value in Text
        from multiLine in Gen.Bool
        from crlf in Gen.Bool
        from count in Gen.Frequency((4, 1), (2, 3), (1, 70))
        select new CsvMutation(kind, column, value, multiLine, crlf, count);

    private sealed record CsvLine(bool Pristine, List<CsvMutation> Mutations, int Blanks, bool Crlf, bool WhitespaceOnly);

    private static readonly Gen<CsvLine> CsvLines =
        from pristine in Gen.Bool
        from mutations in CsvMutations.List[1, 3]
        from blanks in Gen.Frequency((12, 0), (1, 1), (1, 2))
        from crlf in Gen.Bool
        from whitespace in Gen.Int[0, 40]
        select new CsvLine(pristine, mutations, blanks, crlf, whitespace == 0);

    /// <summary>A CSV file of 1 to 20 lines to <c>POST /api/v1/imports</c>.</summary>
    public static Gen<IntakeRequest> Csv(int input) =>
        from layout in Layouts
        from lines in CsvLines.List[1, 20]
        from finalNewline in Gen.Bool
        select CsvRequest(input, layout, lines, finalNewline);

    private static IntakeRequest CsvRequest(int input, CsvLayout layout, List<CsvLine> lines, bool finalNewline)
    {
        var d = layout.Delimiter;
        var columns = new List<string>(CsvColumns);
        if (layout.Language)
        {
            columns.Add("language");
        }

        columns.AddRange(Enumerable.Range(1, layout.Extra).Select(i => $"extra_{i}"));
        var headerCells = layout.Header switch
        {
            1 => columns.Select(c => c.ToUpperInvariant()).ToList(),
            2 when !layout.Runaway => columns.Select(c => $"\"{c}\"").ToList(),
            3 => columns.Where(c => c != "due_on").ToList(),
            _ => columns,
        };
        var refused = layout.Extra > 0 && columns.Count > 64 || layout.Header is 3 or 4;
        var file = new MemoryStream();
        void Write(string text) => file.Write(Encoding.UTF8.GetBytes(text));
        if (layout.Header == 4)
        {
            Write("\uFEFF\uFEFF"); // the second BOM is part of the first column's name, which then is not 'reference'
        }
        else if (layout.Bom)
        {
            Write("\uFEFF");
        }

        Write(string.Join(d, headerCells));
        var log = new List<string>();
        var expected = new List<int>();
        var pristine = new List<int>();
        var lineNumber = 1;
        for (var k = 0; k < lines.Count; k++)
        {
            var line = lines[k];
            Write(line.Crlf ? "\r\n" : "\n");
            for (var b = 0; b < line.Blanks; b++)
            {
                lineNumber++;
                Write(b % 2 == 0 ? "\n" : "\r\n");
            }

            lineNumber++;
            expected.Add(lineNumber);
            if (line.WhitespaceOnly)
            {
                log.Add($"line {lineNumber}: spaces only");
                Write(" \t ");
                continue;
            }

            var cells = PristineCells(input, k, d, layout).Select(c => (object)c).ToList();
            if (line.Pristine && !(layout.Runaway && k == layout.RunawayLine % lines.Count))
            {
                pristine.Add(lineNumber);
            }
            else
            {
                var changes = new List<string>();
                MutateLine(cells, line.Mutations, d, layout.Runaway, changes);
                if (layout.Runaway && k == layout.RunawayLine % lines.Count)
                {
                    var at = line.Mutations[0].Column % Math.Max(1, cells.Count);
                    cells.Insert(at, "\"" + Plain(line.Mutations[0].Value, d));
                    changes.Add($"quote left open in column {at + 1}");
                }

                log.Add($"line {lineNumber}: {string.Join(", ", changes)}");
                lineNumber += cells.OfType<QuotedCell>().Sum(q => q.Breaks);
            }

            for (var c = 0; c < cells.Count; c++)
            {
                if (c > 0)
                {
                    Write(d.ToString());
                }

                switch (cells[c])
                {
                    case byte[] raw:
                        file.Write(raw);
                        break;
                    case QuotedCell quoted:
                        Write(quoted.Text);
                        break;
                    default:
                        Write((string)cells[c]);
                        break;
                }
            }
        }

        if (finalNewline)
        {
            Write("\n");
        }

        int[] statuses = refused ? [400] : [200];
        return new IntakeRequest(IntakeShape.Csv, "/api/v1/imports", "text/csv", file.ToArray(), statuses, refused ? null : [.. expected], [.. pristine],
            $"layout {layout}; " + string.Join("; ", log));
    }

    private static List<string> PristineCells(int input, int k, char d, CsvLayout layout)
    {
        List<string> cells =
        [
            $"P{input}-{k}", d == ';' ? "42,50" : "42.50", "EUR", "2026-09-12", "12/10/2026", "Facture du 12/09/2026", $"PD{input}-{k}", "consumer",
            "Marie Durand", "marie.durand@example.org", "06 12 34 56 78", "3 rue des Lilas", "69003", "Lyon", "FR",
        ];
        if (layout.Language)
        {
            cells.Add("fr");
        }

        cells.AddRange(Enumerable.Repeat("x", layout.Extra));
        return cells;
    }

    /// <summary>Text made safe for an unquoted cell of a file whose lines must stay countable: no quote, no line feed.</summary>
    private static string Plain(string text, char delimiter) => text.Replace('"', '\'').Replace('\n', ' ');

    /// <summary>A cell quoted right, and how many line breaks it carries inside.</summary>
    private sealed record QuotedCell(string Text, int Breaks);

    /// <summary>Applies the changes to one line's cells: text, <see cref="QuotedCell"/>s, or raw bytes.</summary>
    private static void MutateLine(List<object> cells, List<CsvMutation> mutations, char d, bool noQuotes, List<string> log)
    {
        foreach (var m in mutations)
        {
            var at = m.Column % Math.Max(1, cells.Count);
            switch (m.Kind)
            {
                case 0 when cells.Count > 0:
                    cells[at] = Plain(m.Value, d);
                    log.Add($"cell {at + 1} set");
                    break;
                case 1 when cells.Count > 0 && !noQuotes:
                    // Quoted right: inner quotes doubled; maybe a separator and a line break inside, kept short so it stays one record.
                    var inner = m.Value.Length > 40 && m.MultiLine ? m.Value[..40] : m.Value;
                    inner = inner.Replace("\n", " ", StringComparison.Ordinal);
                    if (m.MultiLine)
                    {
                        inner += (m.Crlf ? "\r\n" : "\n") + d + "suite";
                    }

                    cells[at] = new QuotedCell("\"" + inner.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", m.MultiLine ? 1 : 0);
                    log.Add($"cell {at + 1} quoted{(m.MultiLine ? " over a line break" : string.Empty)}");
                    break;
                case 2 when cells.Count > 0 && !noQuotes:
                    cells[at] = "a\"" + Plain(m.Value, d); // a quote inside a cell is only a character
                    log.Add($"cell {at + 1} with a stray quote");
                    break;
                case 3 when cells.Count > 0:
                    cells.RemoveAt(at);
                    log.Add($"cell {at + 1} dropped");
                    break;
                case 4:
                    cells.AddRange(Enumerable.Repeat("z", m.Count));
                    log.Add($"{m.Count} cells added");
                    break;
                case 5 when cells.Count > 0:
                    cells[at] = (byte[])[.. "ab"u8, .. m.MultiLine ? (byte[])[0xFF] : [0xC3, 0x28], .. "cd"u8];
                    log.Add($"cell {at + 1} not UTF-8");
                    break;
                case 6 when cells.Count > 0:
                    cells[at] = (m.MultiLine ? "\uFEFF" : "a\rb") + Plain(m.Value, d);
                    log.Add($"cell {at + 1} with a {(m.MultiLine ? "BOM" : "carriage return")}");
                    break;
                case 7 when cells.Count > 0:
                    cells[at] = Plain(m.Value, d) + (d == ',' ? ";" : ",") + d; // the other separator, and one more of this one
                    log.Add($"cell {at + 1} with separators");
                    break;
            }
        }
    }
}
