using System.Text;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Payments;

namespace LnbitsMcp.LnbitsSandbox.Ledger;

/// <summary>Creates users and wallets. A starting balance is credited as LNbits' admin top-up does:
/// a settled incoming invoice with memo "Admin credit".</summary>
internal sealed class WalletDirectory(SandboxLedger ledger, InvoiceService invoices, TimeProvider clock)
{
    public SandboxUser CreateUser(string username, string password)
    {
        lock (ledger.Gate)
        {
            if (ledger.FindUserByUsername(username) is not null)
            {
                throw ApiException.BadRequest("Username already exists.");
            }

            var user = new SandboxUser
            {
                Id = NewId(),
                Username = username,
                Password = password,
                CreatedAt = LnbitsTime.Now(clock),
            };
            ledger.AddUser(user);
            return user;
        }
    }

    /// <summary>Creates a wallet for a user (id or username) or, without one, for a new anonymous user.</summary>
    public SandboxWallet CreateWallet(string name, long balanceSat, string? user)
    {
        SandboxWallet wallet;
        lock (ledger.Gate)
        {
            string userId;
            if (string.IsNullOrEmpty(user))
            {
                var anonymous = new SandboxUser { Id = NewId(), CreatedAt = LnbitsTime.Now(clock) };
                ledger.AddUser(anonymous);
                userId = anonymous.Id;
            }
            else
            {
                userId = (ledger.FindUser(user) ?? ledger.FindUserByUsername(user))?.Id
                    ?? throw ApiException.NotFound("User not found.");
            }

            wallet = new SandboxWallet
            {
                Id = NewId(),
                Name = name,
                AdminKey = NewId(),
                InKey = NewId(),
                UserId = userId,
                LightningUser = FreeLightningUser(name),
                CreatedAt = LnbitsTime.Now(clock),
            };
            ledger.AddWallet(wallet);
        }

        if (balanceSat > 0)
        {
            var credit = invoices.Issue(wallet, balanceSat * 1000, "Admin credit", null, InvoiceService.DefaultExpirySeconds);
            lock (ledger.Gate)
            {
                var row = ledger.Payments.First(p => p.CheckingId == credit.CheckingId);
                row.Status = PaymentStatusText.Success;
            }
        }

        return wallet;
    }

    private string FreeLightningUser(string name)
    {
        var slug = Slug(name);
        var candidate = slug;
        for (var n = 2; ledger.FindByLightningUser(candidate) is not null; n++)
        {
            candidate = $"{slug}{n}";
        }

        return candidate;
    }

    /// <summary>LUD-16 usernames: a-z, 0-9, '-', '_', '.'.</summary>
    private static string Slug(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' ? c : '-');
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "wallet" : slug;
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
