using System.Globalization;
using System.Text.Json;
using JiraConfigGen.Emulator;

// The Jira emulator in a process of its own, for tests whose process must not load ASP.NET Core (and with it
// the shared framework's Microsoft.Extensions.Http). One command per line on stdin, one reply per line on stdout:
//   account USER TOKEN | token USER TOKEN | revoke USER TOKEN   -> "ok"
//   delay MS | throttle N SECONDS | drop N                     -> "ok"
//   stats USER                                                 -> "stats {json}"
//   exit (or end of stdin)
await using JiraEmulator emulator = await JiraEmulator.StartAsync();
Reply("ready " + emulator.InstanceUrl);
while (Console.ReadLine() is { } line)
{
    string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    switch (words)
    {
        case ["account", string user, string token]:
            emulator.AddAccount(user, token);
            break;
        case ["token", string user, string token]:
            emulator.AddToken(user, token);
            break;
        case ["revoke", string user, string token]:
            emulator.RevokeToken(user, token);
            break;
        case ["delay", string ms]:
            emulator.ResponseDelay = TimeSpan.FromMilliseconds(int.Parse(ms, CultureInfo.InvariantCulture));
            break;
        case ["throttle", string count, string seconds]:
            emulator.Throttle(int.Parse(count, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)));
            break;
        case ["drop", string count]:
            emulator.DropConnections(int.Parse(count, CultureInfo.InvariantCulture));
            break;
        case ["stats", string user]:
            Reply("stats " + JsonSerializer.Serialize(emulator.GetAccount(user)));
            continue;
        case ["exit"]:
            return 0;
        default:
            Reply("error unknown command: " + line);
            continue;
    }

    Reply("ok");
}

return 0;

static void Reply(string line)
{
    Console.Out.WriteLine(line);
    Console.Out.Flush();
}
