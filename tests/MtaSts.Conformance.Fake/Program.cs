using System.Text.Json.Nodes;

// A fake adapter (docs/conformance-protocol.md) whose behaviour each `record` input chooses with its id:
// "v=STSv1; id=X" is answered right (accepted, id X) unless X names a misbehaviour below; any other input is
// answered "not accepted". Arguments: --no-hello (exit without answering hello), --protocol N (answer hello with N),
// --kinds a,b (list only these kinds), --once FILE (only the first start works: later starts exit before hello).
var arguments = args.ToList();
string? Arg(string name) => arguments.IndexOf(name) is var i and >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : null;

if (Arg("--once") is { } marker)
{
    if (File.Exists(marker))
    {
        Console.Error.WriteLine("fake: already started once");
        return 4;
    }

    File.WriteAllText(marker, "started");
}

while (Console.ReadLine() is { } line)
{
    var request = JsonNode.Parse(line)!.AsObject();
    var seq = request["seq"]!.GetValue<long>();
    if (request["kind"]!.GetValue<string>() == "hello")
    {
        if (arguments.Contains("--no-hello"))
        {
            Console.Error.WriteLine("fake: no hello");
            return 5;
        }

        var hello = new JsonObject { ["seq"] = seq, ["protocol"] = int.Parse(Arg("--protocol") ?? "1", System.Globalization.CultureInfo.InvariantCulture), ["name"] = "fake", ["version"] = "1" };
        if (Arg("--kinds") is { } kinds)
        {
            hello["kinds"] = new JsonArray([.. kinds.Split(',').Select(static k => (JsonNode)k)]);
        }

        Answer(hello);
        continue;
    }

    var input = request["input"]?.GetValue<string>() ?? string.Empty;
    var id = input.StartsWith("v=STSv1; id=", StringComparison.Ordinal) ? input["v=STSv1; id=".Length..] : null;
    switch (id)
    {
        case null:
            Answer(new JsonObject { ["seq"] = seq, ["accepted"] = false });
            break;
        case "crash":
            Console.Error.WriteLine("fake: crashing on purpose");
            return 3;
        case "hang":
            Thread.Sleep(Timeout.Infinite);
            break;
        case "slow":
            Thread.Sleep(TimeSpan.FromSeconds(3));
            Answer(new JsonObject { ["seq"] = seq, ["accepted"] = true, ["id"] = id });
            break;
        case "garbled":
            Console.Out.WriteLine("this is not JSON");
            Console.Out.Flush();
            break;
        case "wrongseq":
            Answer(new JsonObject { ["seq"] = seq + 1, ["accepted"] = true, ["id"] = id });
            break;
        case "missing":
            Answer(new JsonObject { ["seq"] = seq, ["accepted"] = true });
            break;
        case "wrongtype":
            Answer(new JsonObject { ["seq"] = seq, ["accepted"] = true, ["id"] = 5 });
            break;
        case "wrong":
            Answer(new JsonObject { ["seq"] = seq, ["accepted"] = true, ["id"] = "another" });
            break;
        case "unsupported":
            Answer(new JsonObject { ["seq"] = seq, ["unsupported"] = true });
            break;
        default:
            Answer(new JsonObject { ["seq"] = seq, ["accepted"] = true, ["id"] = id });
            break;
    }
}

return 0;

static void Answer(JsonObject answer)
{
    Console.Out.WriteLine(answer.ToJsonString());
    Console.Out.Flush();
}
