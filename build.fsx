// The project's build steps. Run through ./build.sh (setup, build, test, bench, up, down, clean).
// Versions are the ones that restore on the project's machines (see docs/dependencies.md).
#r "nuget: Fake.Core.Target, 5.20.3"
#r "nuget: Fake.IO.FileSystem, 6.2.0"
#r "nuget: Fake.Core.Process, 6.2.0"

open System
open System.IO
open System.Security.Cryptography
open System.Xml.Linq
open Fake.Core
open Fake.IO
open Fake.IO.Globbing.Operators

fsi.CommandLineArgs
|> Array.skip 1
|> List.ofArray
|> Context.FakeExecutionContext.Create false "build.fsx"
|> Context.RuntimeContext.Fake
|> Context.setExecutionContext

let root = __SOURCE_DIRECTORY__
let solution = Path.Combine(root, "Cuckoo.Actors.sln")
let configuration = "Release"
let artifacts = Path.Combine(root, "artifacts")
let isCi = Environment.GetEnvironmentVariable "CI" = "true"

let targetArgs (p: TargetParameter) = p.Context.Arguments

/// Runs a program to completion in `dir`, streaming its output; fails the target on a non-zero exit.
let run (dir: string) (program: string) (args: string list) =
    let result =
        CreateProcess.fromRawCommand program args
        |> CreateProcess.withWorkingDirectory dir
        |> Proc.run
    if result.ExitCode <> 0 then
        failwithf "%s %s exited with %d" program (String.Join(" ", args)) result.ExitCode

/// Like `run`, but returns the exit code instead of failing.
let tryRun (dir: string) (program: string) (args: string list) =
    (CreateProcess.fromRawCommand program args
     |> CreateProcess.withWorkingDirectory dir
     |> Proc.run).ExitCode

let dotnet args = run root "dotnet" args

let commandExists (name: string) =
    tryRun root "bash" [ "-c"; sprintf "command -v %s >/dev/null 2>&1" name ] = 0

let sha256File (path: string) =
    use stream = File.OpenRead path
    Convert.ToHexString(SHA256.HashData stream)

// ---------------------------------------------------------------- setup

/// `npm ci` in a folder with a package-lock.json, skipped when node_modules already matches the lock file.
let npmInstall (relativeDir: string) =
    let dir = Path.Combine(root, relativeDir)
    let lockFile = Path.Combine(dir, "package-lock.json")
    if File.Exists lockFile then
        let stamp = Path.Combine(dir, "node_modules", ".cuckoo-lock.sha256")
        let wanted = sha256File lockFile
        if File.Exists stamp && File.ReadAllText(stamp).Trim() = wanted then
            Trace.logfn "npm packages in %s are up to date" relativeDir
        else
            Trace.logfn "installing npm packages in %s" relativeDir
            run dir "npm" [ "ci"; "--no-audit"; "--no-fund"; "--loglevel=error" ]
            File.WriteAllText(stamp, wanted)

let mutable aptUpdated = false

/// Installs Debian packages whose probe command is missing (apt-get update runs at most once).
let aptEnsure (probe: unit -> bool) (packages: string list) =
    if not (probe ()) then
        let sudo = if Environment.UserName = "root" then [] else [ "sudo" ]
        let apt args =
            match sudo with
            | [] -> run root "apt-get" args
            | _ -> run root "sudo" ("apt-get" :: args)
        if not aptUpdated then
            apt [ "update"; "-qq" ]
            aptUpdated <- true
        Trace.logfn "installing Debian packages: %s" (String.Join(" ", packages))
        apt ([ "install"; "-y"; "-qq"; "--no-install-recommends" ] @ packages)

/// Folders with a package.json whose packages the project needs; later areas add theirs here.
let npmFolders = [ "contracts"; "models"; "tests/Cuckoo.Chain.Tests/ethers"; "tests/Cuckoo.EndToEnd.Tests/openai"; "portal" ]

let postgresInstalled () =
    Directory.Exists "/usr/lib/postgresql"
    && Directory.GetDirectories("/usr/lib/postgresql")
       |> Array.exists (fun d -> File.Exists(Path.Combine(d, "bin", "initdb")))

Target.create "Setup" (fun _ ->
    if not (commandExists "node") || not (commandExists "npm") then
        aptEnsure (fun () -> commandExists "node" && commandExists "npm") [ "nodejs"; "npm" ]
    for folder in npmFolders do
        npmInstall folder
    aptEnsure postgresInstalled [ "postgresql" ]
    // The portal's browser tests drive Debian's chromium; Playwright never downloads one.
    aptEnsure (fun () -> File.Exists "/usr/bin/chromium") [ "chromium" ]
    // The page the gateway serves: bundled again each time (a second or two), so that it always matches the sources.
    run (Path.Combine(root, "portal")) "node" [ "build.mjs" ]
    dotnet [ "restore"; solution; "--nologo" ])

// ---------------------------------------------------------------- build

Target.create "Build" (fun _ ->
    dotnet [ "build"; solution; "-c"; configuration; "--nologo"; "--no-restore"; "-clp:ErrorsOnly;Summary" ])

Target.create "Clean" (fun _ ->
    !! "src/*/bin" ++ "src/*/obj" ++ "tests/*/bin" ++ "tests/*/obj" ++ "bench/*/bin" ++ "bench/*/obj"
    |> Shell.cleanDirs
    Shell.cleanDir artifacts)

// ---------------------------------------------------------------- test

type Counts = { Passed: int; Failed: int; Skipped: int }

let readTrx (path: string) =
    let doc = XDocument.Load path
    let counters = doc.Descendants() |> Seq.find (fun e -> e.Name.LocalName = "Counters")
    let attr name =
        match counters.Attribute(XName.Get name) with
        | null -> 0
        | a -> int a.Value
    { Passed = attr "passed"; Failed = attr "failed" + attr "error" + attr "timeout" + attr "aborted"
      // VSTest records a skipped test as not executed without counting it in notExecuted.
      Skipped = max (attr "notExecuted") (attr "total" - attr "executed") }

/// The tests a trx records as not passed, each with the first line of its message: printed again beside the
/// summary, because CI shows only the tail of a long log and the console logger's lines are far above it.
let failedInTrx (path: string) =
    XDocument.Load(path).Descendants()
    |> Seq.filter (fun e ->
        e.Name.LocalName = "UnitTestResult"
        && (match e.Attribute(XName.Get "outcome") with
            | null -> false
            | a -> a.Value <> "Passed" && a.Value <> "NotExecuted"))
    |> Seq.map (fun e ->
        let message =
            e.Descendants()
            |> Seq.tryFind (fun m -> m.Name.LocalName = "Message")
            |> Option.map (fun m -> (m.Value.Split '\n').[0].Trim())
            |> Option.defaultValue ""
        sprintf "%s: %s" (e.Attribute(XName.Get "testName").Value) message)
    |> List.ofSeq

/// The contracts' tests: compiles them (skipped when unchanged), runs `node --test` against a real Hardhat
/// node with its output shown, and reads the counts from node's closing summary (`# pass N` ...).
let contractTests () =
    let dir = Path.Combine(root, "contracts")
    run dir "node" [ "compile.mjs" ]
    let files =
        Directory.GetFiles(Path.Combine(dir, "test"), "*.test.mjs")
        |> Array.sort
        |> Array.map (fun f -> Path.GetRelativePath(dir, f))
        |> List.ofArray
    let psi =
        Diagnostics.ProcessStartInfo(
            "node", [ "--test"; "--test-reporter=tap"; "--test-concurrency=2" ] @ files,
            WorkingDirectory = dir, RedirectStandardOutput = true, UseShellExecute = false)
    psi.Environment["HARDHAT_DISABLE_TELEMETRY_PROMPT"] <- "true"
    use proc = Diagnostics.Process.Start psi
    let counts = Collections.Generic.Dictionary<string, int>()
    let summary = Text.RegularExpressions.Regex(@"^# (pass|fail|skipped|todo|cancelled) (\d+)\s*$")
    let mutable line = proc.StandardOutput.ReadLine()
    while not (isNull line) do
        printfn "%s" line
        let m = summary.Match line
        if m.Success then counts[m.Groups[1].Value] <- int m.Groups[2].Value
        line <- proc.StandardOutput.ReadLine()
    proc.WaitForExit()
    let get key = match counts.TryGetValue key with | true, n -> n | _ -> 0
    let failed = get "fail" + get "cancelled"
    // A crash before the summary, or a non-zero exit with no failed test, still fails the suite.
    let failed = if proc.ExitCode <> 0 && failed = 0 then 1 else failed
    { Passed = get "pass"; Failed = failed; Skipped = get "skipped" + get "todo" }

/// Extra test suites outside dotnet test (for example the contracts' node tests); each returns its counts.
let extraSuites: (string * (unit -> Counts)) list =
    [ if File.Exists(Path.Combine(root, "contracts", "package.json")) then
          "contract tests (node --test, Hardhat)", contractTests ]

Target.create "Test" (fun _ ->
    let results = Path.Combine(artifacts, "test-results")
    Shell.cleanDir results
    let code =
        tryRun root "dotnet"
            [ "test"; solution; "-c"; configuration; "--no-build"; "--nologo"
              "--results-directory"; results; "--logger"; "trx"; "--logger"; "console;verbosity=normal"
              "--blame-hang-timeout"; "10m" ]
    let dotnetCounts =
        Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories)
        |> Array.map readTrx
        |> Array.fold (fun a c -> { Passed = a.Passed + c.Passed; Failed = a.Failed + c.Failed; Skipped = a.Skipped + c.Skipped })
            { Passed = 0; Failed = 0; Skipped = 0 }
    let extra = extraSuites |> List.map (fun (name, suite) -> Trace.logfn "running %s" name; suite ())
    let total =
        extra |> List.fold (fun a c -> { Passed = a.Passed + c.Passed; Failed = a.Failed + c.Failed; Skipped = a.Skipped + c.Skipped }) dotnetCounts
    // A crashed test host leaves no trx for its assembly: count the run as failed even if no test did.
    let failed = if code <> 0 && total.Failed = 0 then 1 else total.Failed
    printfn ""
    for line in Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories) |> Seq.collect failedInTrx do
        printfn "Failed test: %s" line
    printfn "Tests: %d passed, %d failed, %d skipped" total.Passed failed total.Skipped
    if failed > 0 || code <> 0 then failwith "tests failed")

// ---------------------------------------------------------------- bench

Target.create "Bench" (fun p ->
    let filter = match targetArgs p with [] -> [ "--filter"; "*" ] | args -> args
    for project in !! "bench/*/*.csproj" do
        run root "dotnet" ([ "run"; "-c"; configuration; "--project"; project; "--" ] @ filter))

// ---------------------------------------------------------------- up / down

/// The nodes `up` starts in the background, each with its log and pid file under data/nodes/.
let nodesDir = Path.Combine(root, "data", "nodes")

/// Where the coordinator's gateway listens (plain HTTP on loopback), and the key file it reads (again when it changes).
let gatewayListen = "127.0.0.1:8080"
let gatewayUrl = "http://" + gatewayListen
let coordinatorDir = Path.Combine(root, "data", "coordinator")
let apiKeysFile = Path.Combine(coordinatorDir, "api-keys.json")

/// The demo app's key itself (the key file holds only its SHA-256), so that every `up` prints the same key.
let demoKeyFile = Path.Combine(coordinatorDir, "demo-api-key")

let upNodes =
    [ "coordinator", [ "coordinator"; "run"; "--dev-account"; "coordinator"; "--gateway-listen"; gatewayListen ]
      "miner-1", [ "miner"; "run"; "--dev-account"; "miner-1"; "--cluster-port"; "4061" ]
      "miner-2", [ "miner"; "run"; "--dev-account"; "miner-2"; "--cluster-port"; "4062" ] ]

/// Starts `cuckoo ARGS` detached from this process (it outlives the build script), logging to data/nodes/NAME.log.
let startNode (name: string) (args: string list) =
    Directory.CreateDirectory nodesDir |> ignore
    let log = Path.Combine(nodesDir, name + ".log")
    let pid = Path.Combine(nodesDir, name + ".pid")
    let quoted = args |> List.map (fun a -> "'" + a + "'") |> String.concat " "
    run root "bash" [ "-c"; sprintf "nohup setsid ./cuckoo %s > '%s' 2>&1 < /dev/null & echo $! > '%s'" quoted log pid ]

/// Whether the node startNode started under this name still runs.
let nodeRunning (name: string) =
    let pid = Path.Combine(nodesDir, name + ".pid")
    File.Exists pid
    && (try
            use proc = Diagnostics.Process.GetProcessById(int (File.ReadAllText(pid).Trim()))
            not proc.HasExited
        with _ -> false)

/// Stops what startNode started: SIGTERM (the node leaves its cluster), then SIGKILL after 30 s. In a session of its
/// own, so that a second Ctrl-C at the terminal cannot cut the stopping short.
let stopNodes () =
    for (name, _) in List.rev upNodes do
        let pid = Path.Combine(nodesDir, name + ".pid")
        if File.Exists pid then
            let id = File.ReadAllText(pid).Trim()
            tryRun root "setsid" [ "-w"; "bash"; "-c"; sprintf "kill -TERM %s 2>/dev/null; for i in $(seq 1 300); do kill -0 %s 2>/dev/null || exit 0; sleep 0.1; done; kill -KILL %s 2>/dev/null; true" id id id ] |> ignore
            File.Delete pid

/// What `down` does: the nodes, then the local chain.
let stopEverything () =
    stopNodes ()
    if File.Exists(Path.Combine(root, "contracts", "package.json")) then
        tryRun root "setsid" [ "-w"; Path.Combine(root, "cuckoo"); "devnet"; "down" ] |> ignore

let sha256Hex (text: string) =
    Convert.ToHexString(SHA256.HashData(Text.Encoding.UTF8.GetBytes text)).ToLowerInvariant()

/// The key of app "demo": the stored one while the key file still lists it, else a new one from `cuckoo apikey new`.
let demoApiKey (cuckoo: string) =
    let stored = if File.Exists demoKeyFile then File.ReadAllText(demoKeyFile).Trim() else ""
    let listed (key: string) =
        File.Exists apiKeysFile
        && (try
                use doc = Text.Json.JsonDocument.Parse(File.ReadAllText apiKeysFile)
                doc.RootElement.EnumerateArray()
                |> Seq.exists (fun e ->
                    match e.TryGetProperty "sha256" with
                    | true, digest -> digest.GetString() = sha256Hex key
                    | _ -> false)
            with _ -> false)
    if stored <> "" && listed stored then
        stored
    else
        let result =
            CreateProcess.fromRawCommand cuckoo [ "apikey"; "new"; "--app"; "demo"; "--file"; apiKeysFile ]
            |> CreateProcess.withWorkingDirectory root
            |> CreateProcess.redirectOutput
            |> Proc.run
        if result.ExitCode <> 0 then
            failwithf "cuckoo apikey new failed (exit %d): %s" result.ExitCode (result.Result.Error.Trim())
        let key = result.Result.Output.Trim()
        File.Delete demoKeyFile
        // Owner-only from its creation: the key is a password to the gateway.
        let options = FileStreamOptions(Mode = FileMode.CreateNew, Access = FileAccess.Write)
        if not (OperatingSystem.IsWindows()) then
            options.UnixCreateMode <- Nullable(UnixFileMode.UserRead ||| UnixFileMode.UserWrite)
        do
            use stream = new FileStream(demoKeyFile, options)
            use writer = new StreamWriter(stream)
            writer.WriteLine key
        key

/// Set by Ctrl-C, SIGTERM or SIGHUP while a foreground `up` runs.
let stopRequested = new Threading.ManualResetEventSlim(false)

let printUp (apiKey: string) (detach: bool) =
    let prompt = "a cuckoo in a pine forest at dawn"
    printfn ""
    printfn "Cuckoo is up on this machine:"
    printfn "  local chain        see data/devnet.json (./cuckoo chain status ADDRESS for any account)"
    printfn "  coordinator        enrolment https://127.0.0.1:8443, cluster akka.ssl.tcp://cuckoo@127.0.0.1:4053, admin https://127.0.0.1:9443"
    printfn "  miners             miner-1 and miner-2 enrolled and joined (CPU inference); ./cuckoo cluster show, ./cuckoo miners"
    printfn "  gateway for apps   %s (OpenAPI document at %s/openapi/v1.json)" gatewayUrl gatewayUrl
    printfn "  portal             %s/portal/ (stake, vote, the network, the cluster and the work live)" gatewayUrl
    printfn "  API key (demo)     %s" apiKey
    printfn "                     stored hashed in data/coordinator/api-keys.json; ./cuckoo apikey new --app NAME makes more"
    printfn "  logs               data/nodes/*.log; sample model output in data/demo/"
    printfn ""
    printfn "An image through the OpenAI-compatible endpoint (decoded by node into cuckoo.png):"
    printfn "  curl -s %s/v1/images/generations -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\" gatewayUrl apiKey
    printfn "    -d '{\"model\": \"cuckoo-cppn\", \"prompt\": \"%s\", \"response_format\": \"b64_json\"}' \\" prompt
    printfn "    | node -e 'const r = JSON.parse(require(\"fs\").readFileSync(0, \"utf8\")); require(\"fs\").writeFileSync(\"cuckoo.png\", Buffer.from(r.data[0].b64_json, \"base64\"))'"
    printfn ""
    printfn "The same through the task API, with progress:"
    printfn "  CUCKOO_API_KEY=%s ./cuckoo task submit --model cuckoo-cppn --prompt \"%s\" --out out.png" apiKey prompt
    printfn ""
    if detach then
        printfn "Stop it with ./build.sh down."
    else
        printfn "Ctrl-C stops it all (nodes and chain); ./build.sh up --detach leaves it running in the background instead."

/// `up` starts the chain and the nodes; without `--detach` it stays in the foreground until Ctrl-C or SIGTERM and
/// then stops what it started, as `down` would, so nothing is left running. Other arguments go to `devnet up`.
Target.create "Up" (fun p ->
    let detach = targetArgs p |> List.contains "--detach"
    let devnetArgs = targetArgs p |> List.filter ((<>) "--detach")
    let cuckoo = Path.Combine(root, "cuckoo")
    let onSignal (context: Runtime.InteropServices.PosixSignalContext) =
        context.Cancel <- true
        stopRequested.Set()
    // Registered before anything starts: a Ctrl-C halfway through must still stop what was started.
    let registrations =
        if detach then []
        else
            [ Runtime.InteropServices.PosixSignal.SIGINT; Runtime.InteropServices.PosixSignal.SIGTERM; Runtime.InteropServices.PosixSignal.SIGHUP ]
            |> List.map (fun s -> Runtime.InteropServices.PosixSignalRegistration.Create(s, onSignal))
    try
        try
            stopNodes ()
            // The local chain: Hardhat on 127.0.0.1, the CAI token and staking contracts, demo accounts staked and registered.
            run root cuckoo ([ "devnet"; "up" ] @ devnetArgs)
            // Each model of the catalog once through a GPU worker, so that a broken runtime or model shows here, not later.
            let demo = Path.Combine(root, "data", "demo")
            Directory.CreateDirectory demo |> ignore
            let image = Path.Combine(demo, "cuckoo-cppn.png")
            run root cuckoo [ "infer"; "--model"; "cuckoo-cppn"; "--prompt"; "a cuckoo in a pine forest at dawn"; "--seed"; "7"; "--out"; image ]
            run root cuckoo [ "infer"; "--model"; "ppocr-v4-det"; "--image"; image; "--out"; Path.Combine(demo, "ppocr-v4-det.json") ]
            // The demo app's key goes into the key file before the coordinator starts, so its gateway knows it at once.
            let apiKey = demoApiKey cuckoo
            // The coordinator (a fresh admin access file tells when it is up), then two miners that enrol and join its cluster.
            let access = Path.Combine(coordinatorDir, "admin.json")
            if File.Exists access then File.Delete access
            let (coordinatorName, coordinatorArgs) = List.head upNodes
            startNode coordinatorName coordinatorArgs
            let waitFor what (condition: unit -> bool) =
                let deadline = DateTime.UtcNow.AddMinutes 2.0
                while not (condition ()) do
                    if not (nodeRunning coordinatorName) then
                        let log = Path.Combine(nodesDir, coordinatorName + ".log")
                        let tail = if File.Exists log then File.ReadAllLines log |> Array.rev |> Array.truncate 5 |> Array.rev else [||]
                        failwithf "the coordinator exited while waiting for %s; the end of %s:\n%s" what log (String.Join("\n", tail))
                    if DateTime.UtcNow > deadline then
                        failwithf "%s did not happen within 2 minutes; see %s" what nodesDir
                    if stopRequested.Wait 500 then
                        failwithf "interrupted while waiting for %s" what
            waitFor "the coordinator starting" (fun () -> File.Exists access)
            use http = new Net.Http.HttpClient(Timeout = TimeSpan.FromSeconds 2.0)
            waitFor ("the gateway answering at " + gatewayUrl) (fun () ->
                try http.GetAsync(gatewayUrl + "/readyz").Result.IsSuccessStatusCode with _ -> false)
            for (name, args) in List.tail upNodes do
                startNode name args
            let upMiners () =
                let result =
                    CreateProcess.fromRawCommand cuckoo [ "miners"; "--json" ]
                    |> CreateProcess.withWorkingDirectory root
                    |> CreateProcess.redirectOutput
                    |> Proc.run
                result.ExitCode = 0 && Text.RegularExpressions.Regex.Matches(result.Result.Output, "\"miner\"").Count >= 2
            waitFor "two miners admitted" upMiners
            waitFor "two miners Up" (fun () ->
                let result =
                    CreateProcess.fromRawCommand cuckoo [ "cluster"; "show"; "--json" ]
                    |> CreateProcess.withWorkingDirectory root
                    |> CreateProcess.redirectOutput
                    |> Proc.run
                result.ExitCode = 0 && Text.RegularExpressions.Regex.Matches(result.Result.Output, "\"status\": \"Up\"").Count >= 3)
            run root cuckoo [ "cluster"; "show" ]
            printUp apiKey detach
            if not detach then
                stopRequested.Wait()
                printfn ""
                printfn "Stopping the miners, the coordinator and the local chain..."
                stopEverything ()
                printfn "Stopped; nothing of this up is running."
        with e when not detach ->
            // Started halfway, or interrupted: in the foreground nothing outlives this script.
            Trace.logfn "stopping what this up started"
            stopEverything ()
            if stopRequested.IsSet then
                // After a Ctrl-C the failed target still ends the script with exit code 0; an interrupted start is no success.
                eprintfn "up: %s; stopped what it had started" e.Message
                exit 130
            reraise ()
    finally
        for r in registrations do
            r.Dispose())

Target.create "Down" (fun _ -> stopEverything ())

open Fake.Core.TargetOperators

"Setup" ==> "Build" ==> "Test" |> ignore
"Build" ==> "Bench" |> ignore
"Build" ==> "Up" |> ignore

Target.runOrDefaultWithArguments "Build"
