using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>How refusals travel: RFC 9457 problem details with a kebab-case <c>reason</c> extension, and the JSON of the bodies.</summary>
public static class EnrolmentProblems
{
    public const string ReasonExtension = "reason";

    /// <summary>Names, camel case, addresses checksummed; strict about missing or null members so that a half request is malformed, not defaulted.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>
    /// 400 malformed; 401 when the answer does not authenticate (signature or challenge); 403 when the miner is not allowed;
    /// 409 wrong chain; 426 version (borrowed for "upgrade the miner": no Upgrade header, as no protocol switch is offered).
    /// </summary>
    public static int StatusOf(RefusalReason reason) => reason switch
    {
        RefusalReason.Malformed => StatusCodes.Status400BadRequest,
        RefusalReason.UnknownChallenge or RefusalReason.ExpiredChallenge or RefusalReason.ReplayedChallenge or RefusalReason.BadSignature =>
            StatusCodes.Status401Unauthorized,
        RefusalReason.Unregistered or RefusalReason.Deregistered or RefusalReason.UnderStaked or RefusalReason.Jailed => StatusCodes.Status403Forbidden,
        RefusalReason.WrongChain => StatusCodes.Status409Conflict,
        RefusalReason.IncompatibleVersion => StatusCodes.Status426UpgradeRequired,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a refusal reason."),
    };

    /// <summary>"replayed-challenge" for <see cref="RefusalReason.ReplayedChallenge"/>.</summary>
    public static string NameOf(RefusalReason reason) => JsonNamingPolicy.KebabCaseLower.ConvertName(reason.ToString());

    public static bool TryParse(string? name, out RefusalReason reason)
    {
        foreach (var candidate in Enum.GetValues<RefusalReason>())
        {
            if (string.Equals(NameOf(candidate), name, StringComparison.Ordinal))
            {
                reason = candidate;
                return true;
            }
        }
        reason = default;
        return false;
    }

    public static IResult ToResult(EnrolmentRefused refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return Results.Problem(
            detail: refused.Detail, statusCode: StatusOf(refused.Reason), title: Title(refused.Reason),
            extensions: new Dictionary<string, object?> { [ReasonExtension] = NameOf(refused.Reason) });
    }

    private static string Title(RefusalReason reason) => reason switch
    {
        RefusalReason.Malformed => "Malformed enrolment request",
        RefusalReason.UnknownChallenge => "Unknown challenge",
        RefusalReason.ExpiredChallenge => "Expired challenge",
        RefusalReason.ReplayedChallenge => "Challenge already answered",
        RefusalReason.BadSignature => "Bad signature",
        RefusalReason.WrongChain => "Wrong chain",
        RefusalReason.Unregistered => "Miner not registered",
        RefusalReason.Deregistered => "Miner deregistered",
        RefusalReason.UnderStaked => "Miner under-staked",
        RefusalReason.Jailed => "Miner jailed",
        RefusalReason.IncompatibleVersion => "Incompatible miner version",
        _ => "Enrolment refused",
    };
}
