using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cuckoo.Chain;
using Microsoft.Playwright;

namespace Cuckoo.EndToEnd.Tests.Portal;

/// <summary>
/// An EIP-1193 provider injected as <c>window.ethereum</c>, as a browser wallet would be: its <c>request</c> goes to
/// this class through a function exposed to the page. It answers the account and chain itself, signs and sends
/// <c>eth_sendTransaction</c> with a devnet key through the repository's <see cref="TransactionSender"/>, and passes
/// every other call to the Hardhat node unchanged (so reverts come back with their data, as from a real wallet).
/// </summary>
public sealed class TestWallet
{
    private const string Binding = "__cuckooTestWallet";

    private static readonly string InitScript = $$"""
        (() => {
          const listeners = {};
          window.ethereum = {
            isCuckooTestWallet: true,
            async request({ method, params }) {
              const answer = JSON.parse(await window.{{Binding}}(JSON.stringify({ method, params: params ?? [] })));
              if (answer.error) {
                const error = new Error(answer.error.message);
                error.code = answer.error.code;
                error.data = answer.error.data;
                throw error;
              }
              return answer.result;
            },
            on(name, fn) { (listeners[name] ??= []).push(fn); },
            removeListener(name, fn) { listeners[name] = (listeners[name] ?? []).filter((f) => f !== fn); },
          };
        })();
        """;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Uri _rpc;
    private readonly TransactionSender _sender;
    private readonly long _chainId;

    public TestWallet(ChainClient chain, EthKey key, long chainId)
    {
        _rpc = chain.Endpoint;
        _chainId = chainId;
        _sender = new TransactionSender(chain, key, new TransactionSenderOptions { ChainId = chainId });
    }

    public Address Address => _sender.Address;

    /// <summary>The calls the page made, in order (method names), for assertions on what went through the wallet.</summary>
    public List<string> Calls { get; } = [];

    public async Task InjectAsync(IPage page)
    {
        await page.ExposeFunctionAsync<string, Task<string>>(Binding, HandleAsync);
        await page.AddInitScriptAsync(InitScript);
    }

    private async Task<string> HandleAsync(string json)
    {
        var call = JsonNode.Parse(json)!.AsObject();
        var method = call["method"]!.GetValue<string>();
        var parameters = call["params"]?.AsArray() ?? [];
        lock (Calls)
        {
            Calls.Add(method);
        }
        try
        {
            return method switch
            {
                "eth_requestAccounts" or "eth_accounts" => Result(new JsonArray(Address.ToString())),
                "eth_chainId" => Result("0x" + _chainId.ToString("x", CultureInfo.InvariantCulture)),
                "wallet_switchEthereumChain" => Result(null),
                "eth_sendTransaction" => Result(await SendAsync(parameters[0]!.AsObject())),
                _ => await ForwardAsync(method, parameters),
            };
        }
        catch (ContractRevertException e)
        {
            return Error(3, e.Message, "0x" + Convert.ToHexString(e.RevertData).ToLowerInvariant());
        }
        catch (RpcException e)
        {
            return Error(-32000, e.Message, null);
        }
    }

    private async Task<string> SendAsync(JsonObject tx)
    {
        var from = tx["from"]?.GetValue<string>();
        if (from is not null && !Address.Parse(from).Equals(Address))
        {
            throw new RpcException("eth_sendTransaction", 4100, $"this wallet holds {Address}, not {from}", null);
        }
        var sent = await _sender.SendAsync(new TransactionRequest
        {
            To = tx["to"]?.GetValue<string>() is { } to ? Address.Parse(to) : null,
            Data = tx["data"]?.GetValue<string>() is { Length: > 2 } data ? Convert.FromHexString(data[2..]) : [],
            Value = Quantity(tx["value"]) ?? BigInteger.Zero,
            GasLimit = Quantity(tx["gas"] ?? tx["gasLimit"]),
        });
        return sent.Hash;
    }

    private async Task<string> ForwardAsync(string method, JsonArray parameters)
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters.DeepClone() };
        using var response = await Http.PostAsync(_rpc, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return await response.Content.ReadAsStringAsync();
    }

    private static BigInteger? Quantity(JsonNode? node) =>
        node?.GetValue<string>() is { Length: > 2 } hex ? BigInteger.Parse("0" + hex[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) : null;

    private static string Result(JsonNode? result) => new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["result"] = result }.ToJsonString();

    private static string Error(int code, string message, string? data) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["data"] = data } }.ToJsonString();
}
