using QRCoder;

namespace LnbitsMcp.Server.Tools;

/// <summary>A PNG QR code of a <c>lightning:</c> URI (upper case: the QR alphanumeric mode is denser).</summary>
public static class InvoiceQrCode
{
    public static string LightningUri(string bolt11) => "lightning:" + bolt11.ToUpperInvariant();

    public static byte[] Png(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(6);
    }
}
