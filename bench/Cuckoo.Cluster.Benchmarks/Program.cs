using System.Globalization;
using Cuckoo.Cluster.Benchmarks;

// Remote Tell round trips coordinator <-> miner over loopback with pinned mutual TLS and WireMessageSerializer, against
// a raw SslStream echo with the same TLS, message size and window, in one process (docs/benchmarks.md, "Cluster").
// [--pairs 1,10] [--window 1000] [--payload 32] [--warmup 6] [--seconds 2] [--reps 5]
// Any other argument (./build.sh bench passes BenchmarkDotNet's --filter '*') runs the defaults: a custom harness,
// because a steady stream of round trips is measured by sampling, not by repeated invocations of one step.
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

int[] pairs;
int window, payloadChars, reps;
double warmUp, seconds;
try
{
    pairs = Arg("--pairs", "1,10").Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    window = int.Parse(Arg("--window", "1000"), CultureInfo.InvariantCulture);
    payloadChars = int.Parse(Arg("--payload", "32"), CultureInfo.InvariantCulture);
    warmUp = double.Parse(Arg("--warmup", "6"), CultureInfo.InvariantCulture);
    seconds = double.Parse(Arg("--seconds", "2"), CultureInfo.InvariantCulture);
    reps = int.Parse(Arg("--reps", "5"), CultureInfo.InvariantCulture);
}
catch (FormatException)
{
    Console.Error.WriteLine("Usage: [--pairs 1,10] [--window 1000] [--payload 32] [--warmup 6] [--seconds 2] [--reps 5], all numbers.");
    return 2;
}

var payload = new string('x', payloadChars);
await using var akka = AkkaPingPong.Start();
using var batched = new RawTlsEcho(batched: true);
using var unbatched = new RawTlsEcho(batched: false);
var frameBytes = akka.PayloadBytes(new BenchPing(1_000_000, payload));
Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}; window {window} per pair; " +
    $"{frameBytes}-byte messages (WireMessageSerializer JSON; the raw frames carry as many bytes plus a 4-byte length)");
Console.WriteLine($"warm-up {warmUp:0.#} s, then {reps} samples of {seconds:0.#} s each; medians in round trips per second");
Console.WriteLine();
Console.WriteLine("raw batched: each read's frames echoed in one write; raw per-message: one write (TLS record) per frame");
Console.WriteLine();
Console.WriteLine($"{"pairs",5}  {"akka tls+wire",13}  {"raw batched",12}  {"akka/raw",8}  {"raw per-msg",12}  {"akka/raw",8}");
var details = new List<string>();
foreach (var n in pairs)
{
    var akkaSamples = await RunAsync(n, (counters, stop) => akka.RunAsync(n, window, payload, counters, stop));
    var batchedSamples = await RunAsync(n, (counters, stop) => batched.RunAsync(n, window, frameBytes, counters, stop));
    var unbatchedSamples = await RunAsync(n, (counters, stop) => unbatched.RunAsync(n, window, frameBytes, counters, stop));
    var (a, b, u) = (Measure.Median(akkaSamples), Measure.Median(batchedSamples), Measure.Median(unbatchedSamples));
    Console.WriteLine($"{n,5}  {a,13:N0}  {b,12:N0}  {a / b,8:P1}  {u,12:N0}  {a / u,8:P1}");
    details.Add($"{n,5}  akka {Join(akkaSamples)} | batched {Join(batchedSamples)} | per-msg {Join(unbatchedSamples)}");
}

Console.WriteLine();
Console.WriteLine("samples (thousand round trips per second):");
details.ForEach(Console.WriteLine);
return 0;

async Task<double[]> RunAsync(int n, Func<Counters, CancellationToken, Task<Task>> start)
{
    var counters = new Counters(n);
    using var stop = new CancellationTokenSource();
    var drained = await start(counters, stop.Token);
    var samples = await Task.Run(() => Measure.Sample(counters, TimeSpan.FromSeconds(warmUp), TimeSpan.FromSeconds(seconds), reps));
    stop.Cancel();
    if (await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(30))) != drained)
    {
        throw new TimeoutException($"The {n}-pair run did not drain its window within 30 s.");
    }

    return samples;
}

static string Join(double[] samples) => string.Join(" ", samples.Select(s => (s / 1000).ToString("0.0k", CultureInfo.InvariantCulture)));
