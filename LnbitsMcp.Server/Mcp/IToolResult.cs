namespace LnbitsMcp.Server.Mcp;

/// <summary>A tool's structured result, with the short human-readable text sent beside it.</summary>
public interface IToolResult
{
    string Summary();
}
