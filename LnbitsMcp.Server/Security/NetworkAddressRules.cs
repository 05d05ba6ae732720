using System.Net;
using System.Net.Sockets;

namespace LnbitsMcp.Server.Security;

/// <summary>What kind of destination an IP address is (IANA special-purpose registries).</summary>
public enum AddressCategory
{
    /// <summary>Globally reachable unicast.</summary>
    Public,

    /// <summary>127.0.0.0/8, ::1.</summary>
    Loopback,

    /// <summary>10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16; also NAT64 local-use 64:ff9b:1::/48.</summary>
    Private,

    /// <summary>Shared address space 100.64.0.0/10.</summary>
    CarrierGradeNat,

    /// <summary>fc00::/7.</summary>
    UniqueLocal,

    /// <summary>fec0::/10 (deprecated).</summary>
    SiteLocal,

    /// <summary>169.254.0.0/16, fe80::/10.</summary>
    LinkLocal,

    /// <summary>Cloud instance metadata: 169.254.169.254, fd00:ec2::254, 100.100.100.200, 168.63.129.16.</summary>
    CloudMetadata,

    /// <summary>224.0.0.0/4, ff00::/8.</summary>
    Multicast,

    /// <summary>0.0.0.0/8, ::.</summary>
    Unspecified,

    /// <summary>255.255.255.255.</summary>
    Broadcast,

    /// <summary>192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20.</summary>
    Documentation,

    /// <summary>198.18.0.0/15, 2001:2::/48.</summary>
    Benchmarking,

    /// <summary>
    /// Everything else that is not globally routable unicast: 240.0.0.0/4, 192.0.0.0/24, 192.88.99.0/24,
    /// IPv4-compatible ::/96, discard-only 100::/64, IETF protocol assignments 2001::/23 (Teredo, ORCHID…),
    /// and IPv6 outside 2000::/3.
    /// </summary>
    Reserved,
}

/// <summary>
/// Classifies IP addresses and decides which an outbound request may reach. Pure.
/// <list type="bullet">
/// <item>Always allowed: <see cref="AddressCategory.Public"/>.</item>
/// <item>Allowed only with <c>allowPrivateNetworks</c>: loopback, private, CGNAT, unique-local, site-local.</item>
/// <item>Always refused: link-local, cloud metadata, multicast, unspecified, broadcast, documentation,
/// benchmarking, reserved.</item>
/// </list>
/// IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by the
/// IPv4 address they embed.
/// </summary>
public static class NetworkAddressRules
{
    // fd00:ec2::254, AWS IMDS over IPv6.
    private static readonly byte[] AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254").GetAddressBytes();

    /// <summary>The category of <paramref name="address"/>.</summary>
    public static AddressCategory Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return Classify(address.MapToIPv4());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ClassifyV6(address.GetAddressBytes()),
            _ => AddressCategory.Reserved,
        };
    }

    /// <summary>True when a request may connect to <paramref name="address"/>.</summary>
    public static bool IsAllowed(IPAddress address, bool allowPrivateNetworks) =>
        IsAllowed(Classify(address), allowPrivateNetworks);

    /// <summary>True when a request may connect to an address of <paramref name="category"/>.</summary>
    public static bool IsAllowed(AddressCategory category, bool allowPrivateNetworks) => category switch
    {
        AddressCategory.Public => true,
        AddressCategory.Loopback or AddressCategory.Private or AddressCategory.CarrierGradeNat
            or AddressCategory.UniqueLocal or AddressCategory.SiteLocal => allowPrivateNetworks,
        _ => false,
    };

    /// <summary>True for the categories that <c>allowPrivateNetworks</c> opens (local, not public).</summary>
    public static bool IsPrivateNetwork(AddressCategory category) =>
        category is AddressCategory.Loopback or AddressCategory.Private or AddressCategory.CarrierGradeNat
            or AddressCategory.UniqueLocal or AddressCategory.SiteLocal;

    /// <summary>A short phrase for messages, e.g. <c>a link-local address</c>.</summary>
    public static string Describe(AddressCategory category) => category switch
    {
        AddressCategory.Public => "a public address",
        AddressCategory.Loopback => "a loopback address",
        AddressCategory.Private => "a private-network address",
        AddressCategory.CarrierGradeNat => "a carrier-grade NAT address",
        AddressCategory.UniqueLocal => "a unique-local IPv6 address",
        AddressCategory.SiteLocal => "a site-local IPv6 address",
        AddressCategory.LinkLocal => "a link-local address",
        AddressCategory.CloudMetadata => "a cloud metadata address",
        AddressCategory.Multicast => "a multicast address",
        AddressCategory.Unspecified => "an unspecified address",
        AddressCategory.Broadcast => "the broadcast address",
        AddressCategory.Documentation => "a documentation address",
        AddressCategory.Benchmarking => "a benchmarking address",
        _ => "a reserved address",
    };

    private static AddressCategory ClassifyV4(ReadOnlySpan<byte> b) => b switch
    {
        [169, 254, 169, 254] => AddressCategory.CloudMetadata, // AWS, GCP, Azure, OpenStack, DigitalOcean…
        [100, 100, 100, 200] => AddressCategory.CloudMetadata, // Alibaba Cloud
        [168, 63, 129, 16] => AddressCategory.CloudMetadata,   // Azure WireServer
        [0, ..] => AddressCategory.Unspecified,
        [10, ..] => AddressCategory.Private,
        [100, >= 64 and <= 127, ..] => AddressCategory.CarrierGradeNat,
        [127, ..] => AddressCategory.Loopback,
        [169, 254, ..] => AddressCategory.LinkLocal,
        [172, >= 16 and <= 31, ..] => AddressCategory.Private,
        [192, 0, 0, _] => AddressCategory.Reserved,
        [192, 0, 2, _] => AddressCategory.Documentation,
        [192, 88, 99, _] => AddressCategory.Reserved,
        [192, 168, ..] => AddressCategory.Private,
        [198, 18 or 19, ..] => AddressCategory.Benchmarking,
        [198, 51, 100, _] => AddressCategory.Documentation,
        [203, 0, 113, _] => AddressCategory.Documentation,
        [>= 224 and <= 239, ..] => AddressCategory.Multicast,
        [255, 255, 255, 255] => AddressCategory.Broadcast,
        [>= 240, ..] => AddressCategory.Reserved,
        _ => AddressCategory.Public,
    };

    private static AddressCategory ClassifyV6(byte[] b)
    {
        var span = b.AsSpan();
        if (span.SequenceEqual(AwsMetadataV6))
        {
            return AddressCategory.CloudMetadata;
        }

        if (span[..15].IndexOfAnyExcept((byte)0) < 0)
        {
            return b[15] switch
            {
                0 => AddressCategory.Unspecified,
                1 => AddressCategory.Loopback,
                _ => AddressCategory.Reserved,
            };
        }

        if (span[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return AddressCategory.Reserved; // IPv4-compatible ::a.b.c.d (deprecated)
        }

        // NAT64 well-known prefix 64:ff9b::/96 embeds the IPv4 destination in the last 32 bits.
        if (span[..12].SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]))
        {
            return ClassifyV4(span[12..]);
        }

        // NAT64 local-use prefix 64:ff9b:1::/48: a local translator; at best private.
        if (span[..6].SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01]))
        {
            var embedded = ClassifyV4(span[12..]);
            return embedded == AddressCategory.Public ? AddressCategory.Private : embedded;
        }

        // 6to4 2002::/16 embeds an IPv4 address in bits 16..47.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return ClassifyV4(span[2..6]);
        }

        if (span[..8].SequenceEqual((ReadOnlySpan<byte>)[0x01, 0x00, 0, 0, 0, 0, 0, 0]))
        {
            return AddressCategory.Reserved; // discard-only 100::/64
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        {
            return AddressCategory.Documentation; // 2001:db8::/32
        }

        if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xf0) == 0)
        {
            return AddressCategory.Documentation; // 3fff::/20
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0x02 && b[4] == 0 && b[5] == 0)
        {
            return AddressCategory.Benchmarking; // 2001:2::/48
        }

        if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xfe) == 0)
        {
            return AddressCategory.Reserved; // IETF protocol assignments 2001::/23 (Teredo, ORCHID, …)
        }

        return b[0] switch
        {
            0xff => AddressCategory.Multicast,
            >= 0xfc and <= 0xfd => AddressCategory.UniqueLocal,
            0xfe when (b[1] & 0xc0) == 0x80 => AddressCategory.LinkLocal,
            0xfe when (b[1] & 0xc0) == 0xc0 => AddressCategory.SiteLocal,
            _ when (b[0] & 0xe0) == 0x20 => AddressCategory.Public, // global unicast 2000::/3
            _ => AddressCategory.Reserved,
        };
    }
}
