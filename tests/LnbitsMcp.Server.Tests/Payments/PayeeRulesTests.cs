using LnbitsMcp.Server.Payments;

namespace LnbitsMcp.Server.Tests.Payments;

/// <summary>Payee rule entries and what they match (pure).</summary>
public sealed class PayeeRulesTests
{
    private const string Node = "02d6267882abad899fef3c4c145d0d52738535a241042c24d751d39e172f4c961b";

    [Theory]
    [InlineData(Node, PayeeKind.Node)]
    [InlineData("alice@example.com", PayeeKind.Address)]
    [InlineData("example.com", PayeeKind.Address)]
    [InlineData("*.example.com", PayeeKind.Address)]
    [InlineData("127.0.0.1:5180", PayeeKind.Address)]
    [InlineData("https://api.example.com", PayeeKind.Origin)]
    [InlineData("http://127.0.0.1:8080/", PayeeKind.Origin)]
    public void EntriesAreTypedByTheirShape(string entry, PayeeKind kind) => Assert.Equal(kind, PayeeRules.KindOf(entry, out _));

    [Theory]
    [InlineData("https://api.example.com/path")]
    [InlineData("ftp://example.com")]
    [InlineData("not a payee")]
    [InlineData("04d6267882abad899fef3c4c145d0d52738535a241042c24d751d39e172f4c961b")]
    [InlineData("")]
    public void WhatNamesNoPayeeIsRefused(string entry)
    {
        Assert.Null(PayeeRules.KindOf(entry, out var problem));
        Assert.NotNull(PayeeRules.Validate([entry], "deny_payees"));
        Assert.NotNull(problem);
    }

    [Fact]
    public void DenyEntriesNameTheirPayeesOnly()
    {
        var rules = new PayeeRules(Deny: [Node.ToUpperInvariant(), "*.shop.example", "bob@example.com", "https://api.example.com:443"]);

        Assert.NotNull(rules.DenyingEntry(PayeeKind.Node, Node));
        Assert.NotNull(rules.DenyingEntry(PayeeKind.Address, "carol@eu.shop.example"));
        Assert.NotNull(rules.DenyingEntry(PayeeKind.Address, "carol@shop.example"));
        Assert.NotNull(rules.DenyingEntry(PayeeKind.Address, "bob@example.com"));
        Assert.NotNull(rules.DenyingEntry(PayeeKind.Origin, "https://api.example.com"));
        Assert.Null(rules.DenyingEntry(PayeeKind.Address, "alice@example.com"));
        Assert.Null(rules.DenyingEntry(PayeeKind.Address, "carol@notshop.example"));
        Assert.Null(rules.DenyingEntry(PayeeKind.Origin, "http://api.example.com"));
    }

    [Fact]
    public void AnAllowListRestrictsOnlyItsOwnKind()
    {
        var rules = new PayeeRules(Allow: ["example.com", "127.0.0.1"]);

        Assert.False(rules.AllowListExcludes(PayeeKind.Address, "alice@example.com"));
        Assert.False(rules.AllowListExcludes(PayeeKind.Address, "alice@127.0.0.1:5180"));
        Assert.True(rules.AllowListExcludes(PayeeKind.Address, "alice@other.com"));
        Assert.False(rules.AllowListExcludes(PayeeKind.Node, Node));
        Assert.False(rules.AllowListExcludes(PayeeKind.Origin, "https://anything.example"));
    }
}
