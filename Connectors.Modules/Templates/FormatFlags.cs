namespace Connectors.Modules.Templates;

/// <summary>The flags, width and precision of one printf verb (Go's fmt.fmtFlags plus wid/prec).</summary>
internal struct FormatFlags
{
    public bool Plus;
    public bool Minus;
    public bool Sharp;
    public bool Space;
    public bool Zero;
    public bool PlusV;
    public bool SharpV;
    public bool WidPresent;
    public bool PrecPresent;
    public int Wid;
    public int Prec;
}
