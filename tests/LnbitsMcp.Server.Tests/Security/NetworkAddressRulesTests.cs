using System.Net;
using LnbitsMcp.Server.Security;

namespace LnbitsMcp.Server.Tests.Security;

public sealed class NetworkAddressRulesTests
{
    [Theory]
    // Public IPv4 and IPv6.
    [InlineData("8.8.8.8", AddressCategory.Public)]
    [InlineData("1.1.1.1", AddressCategory.Public)]
    [InlineData("93.184.216.34", AddressCategory.Public)]
    [InlineData("100.63.255.255", AddressCategory.Public)]
    [InlineData("100.128.0.0", AddressCategory.Public)]
    [InlineData("172.15.255.255", AddressCategory.Public)]
    [InlineData("172.32.0.0", AddressCategory.Public)]
    [InlineData("192.169.0.1", AddressCategory.Public)]
    [InlineData("223.255.255.255", AddressCategory.Public)]
    [InlineData("2606:4700:4700::1111", AddressCategory.Public)]
    [InlineData("2a00:1450:4001:82b::200e", AddressCategory.Public)]
    // Loopback.
    [InlineData("127.0.0.1", AddressCategory.Loopback)]
    [InlineData("127.255.255.254", AddressCategory.Loopback)]
    [InlineData("::1", AddressCategory.Loopback)]
    [InlineData("::ffff:127.0.0.1", AddressCategory.Loopback)]
    // Private (RFC 1918).
    [InlineData("10.0.0.1", AddressCategory.Private)]
    [InlineData("10.255.255.255", AddressCategory.Private)]
    [InlineData("172.16.0.1", AddressCategory.Private)]
    [InlineData("172.31.255.255", AddressCategory.Private)]
    [InlineData("192.168.1.1", AddressCategory.Private)]
    [InlineData("::ffff:10.1.2.3", AddressCategory.Private)]
    [InlineData("::ffff:192.168.0.1", AddressCategory.Private)]
    // Carrier-grade NAT.
    [InlineData("100.64.0.1", AddressCategory.CarrierGradeNat)]
    [InlineData("100.127.255.255", AddressCategory.CarrierGradeNat)]
    // Unique-local and site-local IPv6.
    [InlineData("fc00::1", AddressCategory.UniqueLocal)]
    [InlineData("fd12:3456:789a::1", AddressCategory.UniqueLocal)]
    [InlineData("fec0::1", AddressCategory.SiteLocal)]
    [InlineData("feff::1", AddressCategory.SiteLocal)]
    // Link-local.
    [InlineData("169.254.0.1", AddressCategory.LinkLocal)]
    [InlineData("169.254.170.2", AddressCategory.LinkLocal)]
    [InlineData("fe80::1", AddressCategory.LinkLocal)]
    [InlineData("fe80::1%2", AddressCategory.LinkLocal)]
    [InlineData("febf::1", AddressCategory.LinkLocal)]
    [InlineData("::ffff:169.254.1.1", AddressCategory.LinkLocal)]
    // Cloud metadata.
    [InlineData("169.254.169.254", AddressCategory.CloudMetadata)]
    [InlineData("::ffff:169.254.169.254", AddressCategory.CloudMetadata)]
    [InlineData("fd00:ec2::254", AddressCategory.CloudMetadata)]
    [InlineData("100.100.100.200", AddressCategory.CloudMetadata)]
    [InlineData("168.63.129.16", AddressCategory.CloudMetadata)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressCategory.CloudMetadata)]
    // Multicast.
    [InlineData("224.0.0.1", AddressCategory.Multicast)]
    [InlineData("239.255.255.250", AddressCategory.Multicast)]
    [InlineData("ff02::1", AddressCategory.Multicast)]
    [InlineData("ff05::1:3", AddressCategory.Multicast)]
    // Unspecified.
    [InlineData("0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("0.1.2.3", AddressCategory.Unspecified)]
    [InlineData("::", AddressCategory.Unspecified)]
    [InlineData("::ffff:0.0.0.0", AddressCategory.Unspecified)]
    // Broadcast.
    [InlineData("255.255.255.255", AddressCategory.Broadcast)]
    // Documentation.
    [InlineData("192.0.2.1", AddressCategory.Documentation)]
    [InlineData("198.51.100.7", AddressCategory.Documentation)]
    [InlineData("203.0.113.200", AddressCategory.Documentation)]
    [InlineData("2001:db8::1", AddressCategory.Documentation)]
    [InlineData("3fff::1", AddressCategory.Documentation)]
    // Benchmarking.
    [InlineData("198.18.0.1", AddressCategory.Benchmarking)]
    [InlineData("198.19.255.255", AddressCategory.Benchmarking)]
    [InlineData("2001:2::1", AddressCategory.Benchmarking)]
    // Reserved.
    [InlineData("240.0.0.1", AddressCategory.Reserved)]
    [InlineData("255.255.255.254", AddressCategory.Reserved)]
    [InlineData("192.0.0.8", AddressCategory.Reserved)]
    [InlineData("192.88.99.1", AddressCategory.Reserved)]
    [InlineData("::1.2.3.4", AddressCategory.Reserved)]
    [InlineData("100::1", AddressCategory.Reserved)]
    [InlineData("2001::1", AddressCategory.Reserved)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressCategory.Reserved)]
    [InlineData("2001:10::1", AddressCategory.Reserved)]
    [InlineData("4000::1", AddressCategory.Reserved)]
    [InlineData("::2", AddressCategory.Reserved)]
    public void ClassifiesEverySpecialRange(string address, AddressCategory expected)
    {
        Assert.Equal(expected, NetworkAddressRules.Classify(IPAddress.Parse(address)));
    }

    [Theory]
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) are judged by the IPv4 address they carry.
    [InlineData("64:ff9b::8.8.8.8", AddressCategory.Public)]
    [InlineData("64:ff9b::10.0.0.1", AddressCategory.Private)]
    [InlineData("64:ff9b::127.0.0.1", AddressCategory.Loopback)]
    [InlineData("64:ff9b::169.254.0.9", AddressCategory.LinkLocal)]
    [InlineData("64:ff9b:1::8.8.8.8", AddressCategory.Private)]
    [InlineData("64:ff9b:1::169.254.169.254", AddressCategory.CloudMetadata)]
    [InlineData("2002:0808:0808::1", AddressCategory.Public)]
    [InlineData("2002:c0a8:0101::1", AddressCategory.Private)]
    [InlineData("2002:7f00:0001::1", AddressCategory.Loopback)]
    [InlineData("2002:a9fe:a9fe::1", AddressCategory.CloudMetadata)]
    [InlineData("2002:6440:0001::1", AddressCategory.CarrierGradeNat)]
    public void JudgesTranslatedAddressesByTheEmbeddedIpv4Address(string address, AddressCategory expected)
    {
        Assert.Equal(expected, NetworkAddressRules.Classify(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData(AddressCategory.Public, true, true)]
    [InlineData(AddressCategory.Loopback, false, true)]
    [InlineData(AddressCategory.Private, false, true)]
    [InlineData(AddressCategory.CarrierGradeNat, false, true)]
    [InlineData(AddressCategory.UniqueLocal, false, true)]
    [InlineData(AddressCategory.SiteLocal, false, true)]
    [InlineData(AddressCategory.LinkLocal, false, false)]
    [InlineData(AddressCategory.CloudMetadata, false, false)]
    [InlineData(AddressCategory.Multicast, false, false)]
    [InlineData(AddressCategory.Unspecified, false, false)]
    [InlineData(AddressCategory.Broadcast, false, false)]
    [InlineData(AddressCategory.Documentation, false, false)]
    [InlineData(AddressCategory.Benchmarking, false, false)]
    [InlineData(AddressCategory.Reserved, false, false)]
    public void AllowsPrivateRangesOnlyWhenAskedAndNeverLinkLocalOrMetadata(
        AddressCategory category, bool allowedByDefault, bool allowedWithPrivateNetworks)
    {
        Assert.Equal(allowedByDefault, NetworkAddressRules.IsAllowed(category, allowPrivateNetworks: false));
        Assert.Equal(allowedWithPrivateNetworks, NetworkAddressRules.IsAllowed(category, allowPrivateNetworks: true));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("169.254.1.1")]
    [InlineData("::ffff:169.254.169.254")]
    public void RefusesLinkLocalAndMetadataEvenWithPrivateNetworksAllowed(string address)
    {
        Assert.False(NetworkAddressRules.IsAllowed(IPAddress.Parse(address), allowPrivateNetworks: true));
    }

    [Fact]
    public void DescribesEveryCategory()
    {
        foreach (var category in Enum.GetValues<AddressCategory>())
        {
            Assert.Matches("^(a|an|the) ", NetworkAddressRules.Describe(category));
        }
    }
}
