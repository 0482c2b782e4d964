using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>encoding/json's Marshal, MarshalIndent and Unmarshal (into interface{}) for template values.</summary>
internal static class GoJson
{
    /// <summary>Marshals; on failure returns false with Go's error text in <paramref name="result"/>.</summary>
    public static bool TryMarshal(object? value, bool escapeHtml, bool indent, out string result)
    {
        var sb = new StringBuilder();
        try
        {
            Write(sb, value, escapeHtml, indent ? 0 : -1);
            result = sb.ToString();
            return true;
        }
        catch (FunctionCallException e)
        {
            result = e.Message;
            return false;
        }
    }

    private static void Write(StringBuilder sb, object? v, bool escapeHtml, int level)
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new FunctionCallException("json: value nested too deeply");
        }

        switch (v)
        {
            case null or GoNil or GoTypedNil:
                sb.Append("null");
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
            case string s:
                WriteString(sb, s, escapeHtml);
                return;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                return;
            case GoInt64 l:
                sb.Append(l.Value.ToString(CultureInfo.InvariantCulture));
                return;
            case byte u:
                sb.Append(u.ToString(CultureInfo.InvariantCulture));
                return;
            case double d:
                WriteFloat(sb, d);
                return;
            case GoList { IsNil: true }:
                sb.Append("null");
                return;
            case GoList list:
                WriteArray(sb, list.Items, escapeHtml, level);
                return;
            case GoMap map:
                WriteObject(sb, map.SortedKeys.Select(k => (k, map.Entries[k])), map.Count, escapeHtml, level);
                return;
            case GoStruct st:
                WriteObject(sb, st.Fields.Select(f => (f.Name, f.Value)), st.Fields.Count, escapeHtml, level);
                return;
            case IGoStringer g:
                WriteString(sb, g is GoTime time ? time.ToRfc3339Nano() : g.GoString(), escapeHtml);
                return;
            default:
                throw new FunctionCallException($"json: unsupported type: {GoTypes.TypeName(v)}");
        }
    }

    private static void WriteArray(StringBuilder sb, object?[] items, bool escapeHtml, int level)
    {
        if (items.Length == 0)
        {
            sb.Append("[]");
            return;
        }

        sb.Append('[');
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            NewLine(sb, level + 1, level >= 0);
            Write(sb, items[i], escapeHtml, level < 0 ? -1 : level + 1);
        }

        NewLine(sb, level, level >= 0);
        sb.Append(']');
    }

    private static void WriteObject(StringBuilder sb, IEnumerable<(string Key, object? Value)> entries, int count, bool escapeHtml, int level)
    {
        if (count == 0)
        {
            sb.Append("{}");
            return;
        }

        sb.Append('{');
        var first = true;
        foreach (var (key, value) in entries)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            NewLine(sb, level + 1, level >= 0);
            WriteString(sb, key, escapeHtml);
            sb.Append(level < 0 ? ":" : ": ");
            Write(sb, value, escapeHtml, level < 0 ? -1 : level + 1);
        }

        NewLine(sb, level, level >= 0);
        sb.Append('}');
    }

    private static void NewLine(StringBuilder sb, int level, bool indent)
    {
        if (indent)
        {
            sb.Append('\n').Append(' ', level * 2);
        }
    }

    private static void WriteFloat(StringBuilder sb, double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            throw new FunctionCallException($"json: unsupported value: {GoFloat.Format(d, 'g', -1)}");
        }

        var abs = Math.Abs(d);
        var fmt = abs != 0 && (abs < 1e-6 || abs >= 1e21) ? 'e' : 'f';
        var s = GoFloat.Format(d, fmt, -1);
        if (fmt == 'e')
        {
            var n = s.Length;
            if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0')
            {
                s = s[..(n - 2)] + s[n - 1];
            }
        }

        sb.Append(s);
    }

    private static void WriteString(StringBuilder sb, string s, bool escapeHtml)
    {
        const string hex = "0123456789abcdef";
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
            }

            if (c < 0x20 || (escapeHtml && c is '<' or '>' or '&') || c is '\u2028' or '\u2029')
            {
                sb.Append("\\u00").Append(hex[c >> 4 & 0xF]).Append(hex[c & 0xF]);
                if (c >= 0x2000)
                {
                    sb.Length -= 4;
                    sb.Append(c == '\u2028' ? "2028" : "2029");
                }

                continue;
            }

            sb.Append(c);
        }

        sb.Append('"');
    }

    /// <summary>json.Unmarshal into interface{}: objects, arrays, float64 numbers, strings, bools, nil.</summary>
    public static bool TryUnmarshal(string text, out object? value, out string? error) => GoJsonParser.TryParse(text, out value, out error);
}
