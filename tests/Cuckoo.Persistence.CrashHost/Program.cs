using Akka.Actor;
using Cuckoo.Persistence;
using Cuckoo.Persistence.CrashHost;

// Usage: persist|recover <sqlite-file> <actor-count> [full|normal]
if (args.Length is not (3 or 4) || args[0] is not ("persist" or "recover") || !int.TryParse(args[2], out var actors) || actors < 1
    || (args.Length == 4 && args[3] is not ("full" or "normal")))
{
    Console.Error.WriteLine("usage: Cuckoo.Persistence.CrashHost persist|recover <sqlite-file> <actor-count> [full|normal]");
    return 2;
}

// Line-buffered stdout would hide lines whose handlers ran; autoflush makes each line reach the pipe as it is printed.
Console.SetOut(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true });
var persist = args[0] == "persist";
var settings = PersistenceSettings.Sqlite(args[1]) with
{
    Synchronous = args.Length == 4 && args[3] == "normal" ? SqliteSynchronous.Normal : SqliteSynchronous.Full,
};
settings.PrepareStorage();
using var system = ActorSystem.Create("crash-host", settings.ToSetup(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING")));
var recovered = new List<Task>();
for (var i = 0; i < actors; i++)
{
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    recovered.Add(done.Task);
    system.ActorOf(CountingActor.Props($"counter-{i}", persist, done), $"counter-{i}");
}

await Task.WhenAll(recovered).WaitAsync(TimeSpan.FromSeconds(60));
if (persist)
{
    // Runs until the test kills the process.
    await Task.Delay(Timeout.Infinite);
}

await system.Terminate();
return 0;
