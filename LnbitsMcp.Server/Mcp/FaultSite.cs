namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// A fault of ours as the operator's log names it, without its message (which may quote input): its type, the
/// method that threw it and the innermost exception's type, e.g.
/// <c>CryptographicException in KeyRingBasedDataProtector.UnprotectCore</c>.
/// </summary>
public static class FaultSite
{
    public static string Of(Exception error)
    {
        var site = error.TargetSite;
        var type = site?.DeclaringType;
        // An async method throws from its state machine, <Name>d__N, nested in the type that declares it.
        var where = type is { Name: ['<', ..] } && type.DeclaringType is { } owner && type.Name.IndexOf('>', StringComparison.Ordinal) is > 1 and var end
            ? $"{owner.Name}.{type.Name[1..end]}"
            : type is null ? "an unknown method" : $"{type.Name}.{site!.Name}";
        var inner = error.GetBaseException();
        return ReferenceEquals(inner, error)
            ? $"{error.GetType().Name} in {where}"
            : $"{error.GetType().Name} in {where} (inner {inner.GetType().Name})";
    }
}
