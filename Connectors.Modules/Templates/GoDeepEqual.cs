namespace Connectors.Modules.Templates;

/// <summary>reflect.DeepEqual over template values: same Go type and equal contents.</summary>
internal static class GoDeepEqual
{
    public static bool Equal(object? a, object? b)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (a is GoNil)
        {
            a = null;
        }

        if (b is GoNil)
        {
            b = null;
        }

        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (GoTypes.TypeName(a) != GoTypes.TypeName(b))
        {
            return false;
        }

        switch (a)
        {
            case GoList la:
                var lb = (GoList)b;
                if (la.Count != lb.Count || la.IsNil != lb.IsNil)
                {
                    return false;
                }

                for (var i = 0; i < la.Count; i++)
                {
                    if (!Equal(la.Items[i], lb.Items[i]))
                    {
                        return false;
                    }
                }

                return true;
            case GoMap ma:
                var mb = (GoMap)b;
                if (ma.Count != mb.Count)
                {
                    return false;
                }

                foreach (var (k, v) in ma.Entries)
                {
                    if (!mb.Entries.TryGetValue(k, out var w) || !Equal(v, w))
                    {
                        return false;
                    }
                }

                return true;
            case GoInt64 ia:
                return ia.Value == ((GoInt64)b).Value;
            case double da:
                return da == (double)b;
            case GoStruct sa:
                var sb = (GoStruct)b;
                return ReferenceEquals(sa, sb) || sa.Fields.Zip(sb.Fields).All(p => Equal(p.First.Value, p.Second.Value));
            default:
                return a.Equals(b);
        }
    }
}
