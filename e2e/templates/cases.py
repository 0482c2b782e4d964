#!/usr/bin/env python3
"""Hand-written conformance cases for the template engine. Writes cases.jsonl next to this file.

Each case is a template and its data; the expected output is never written here: the suite renders every
case with real Go text/template + sprig (e2e/oracle/gotmpl) and with the C# engine, and requires the same
bytes, or an error from both.
"""
import json, os

D = {
    "s": "hello world", "n": 8080, "big": 12345678901, "f": 3.14159, "neg": -2.5, "zero": 0, "t": True, "fa": False,
    "nil": None, "list": ["a", "b", "c"], "nums": [3, 1, 2], "empty": [], "emap": {}, "mixed": [1, "x", None, True, 2.5],
    "m": {"b": 2, "a": 1, "C": 3, "z": {"y": "deep"}}, "nested": {"x": {"y": {"z": "v"}}}, "url": "https://user:pa%20ss@git.example.com:8443/org/repo.git?x=1&y=2#frag",
    "headers": [{"name": "Authorization", "value": "Bearer x"}, {"name": "X-Foo", "value": "bar"}], "html": "<a href='x'>&\"</a>",
    "uni": "héllo wörld ☃", "spaces": "  padded\t\n", "csv": "a,b,,c", "json": "{\"k\":[1,2,{\"z\":null}]}", "b64": "aGVsbG8=",
    "e": 1e-7, "huge": 1e21, "million": 1000000, "small": 123456, "frac": 0.000123, "int": 42, "str42": "42", "hex": "0x1F", "ver": "1.2.3-beta.1+build.5",
}

cases = []
def add(tpl, data=None, options=None, name=None, probe=False):
    c = {"id": f"c{len(cases):04d}", "template": tpl, "data": D if data is None else data}
    if options: c["options"] = options
    if name: c["name"] = name
    if probe: c["probe"] = True
    cases.append(c)

# --- text, actions, trimming, comments
for t in ["plain text", "", "{{/* comment */}}x", "a {{- /* c */ -}} b", "a  {{- .s -}}  b", "a\n{{- .s }}\n", "{{ .s -}}\n\n  x", "{{- 3 -}}", "{{-3}}",
          "{{ .s }}", "{{.s}}{{.s}}", "x{{/* a\nmultiline */}}y", "{{ \"quote\\\"d\" }}", "{{ `raw\\n` }}", "{{ 'a' }}", "{{ '\\n' }}", "{{ 0x1F }}", "{{ 0o17 }}",
          "{{ 017 }}", "{{ 1_000 }}", "{{ 1e3 }}", "{{ 1.0 }}", "{{ -1.5 }}", "{{ 0b101 }}", "{{ true }}", "{{ nil }}", "{{ . }}", "{{ .nil }}", "{{ .missing }}",
          "{{ 1.5e300 }}", "{{ 3 | printf \"%d\" }}", "{{\n.s\n}}", "{{ .s }", "{{ .s", "{{ /* bad */ }}", "{{ end }}", "{{ else }}", "{{ if }}{{ end }}",
          "{{ .s | 3 }}", "{{ (1) }}", "{{ (.m).a }}", "{{ (.nested.x).y.z }}", "{{ ((.nested)).x.y.z }}", "{{ .m.z.y }}", "{{ $ }}", "{{ $.s }}"]:
    add(t)
# --- variables and scoping
for t in ["{{ $x := 1 }}{{ $x }}", "{{ $x := .s }}{{ $x = \"y\" }}{{ $x }}", "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
          "{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}", "{{ $x = 1 }}", "{{ $undefined }}", "{{ $m := .m }}{{ $m.a }}", "{{ $l := .list }}{{ index $l 1 }}",
          "{{ range $i, $v := .list }}{{ $i }}={{ $v }};{{ end }}", "{{ range $v := .list }}{{ $v }}{{ end }}", "{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}",
          "{{ range $i, $v, $w := .list }}{{ end }}", "{{ $a, $b := 1 }}", "{{ with $x := .m.a }}{{ $x }}{{ end }}", "{{ $x := 1 }}{{ with .m }}{{ $x }}{{ .a }}{{ end }}",
          "{{ range .list }}{{ $.s }}{{ end }}", "{{ $x := list 1 2 }}{{ $x }}", "{{ $n := .nil }}{{ $n }}", "{{ $n := .nil }}{{ $n.x }}", "{{ $m := .missing }}{{ $m.x }}"]:
    add(t)
# --- if / else if / with / range / break / continue
for t in ["{{ if .t }}yes{{ end }}", "{{ if .fa }}yes{{ else }}no{{ end }}", "{{ if .zero }}a{{ else if .empty }}b{{ else if .s }}c{{ end }}",
          "{{ if .nil }}a{{ else }}b{{ end }}", "{{ if .missing }}a{{ else }}b{{ end }}", "{{ if .emap }}a{{ else }}b{{ end }}", "{{ if .m }}a{{ end }}",
          "{{ if 0.0 }}a{{ else }}b{{ end }}", "{{ if \"\" }}a{{ else }}b{{ end }}", "{{ with .m }}{{ .a }}{{ end }}", "{{ with .missing }}x{{ else }}none{{ end }}",
          "{{ with .empty }}x{{ else }}empty{{ end }}", "{{ with .s }}{{ . }}{{ end }}", "{{ range .list }}{{ . }}{{ end }}", "{{ range .empty }}x{{ else }}none{{ end }}",
          "{{ range .emap }}x{{ else }}none{{ end }}", "{{ range .missing }}x{{ else }}none{{ end }}", "{{ range .nil }}x{{ else }}none{{ end }}", "{{ range .m }}{{ . }},{{ end }}",
          "{{ range .s }}{{ . }}{{ end }}", "{{ range .n }}{{ . }}{{ end }}", "{{ range 3 }}{{ . }}{{ end }}", "{{ range .mixed }}[{{ . }}]{{ end }}",
          "{{ range .mixed }}{{ .x }}{{ end }}", "{{ range .list }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}",
          "{{ range .list }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", "{{ break }}", "{{ if true }}{{ continue }}{{ end }}",
          "{{ range .list }}{{ range .list }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}|{{ end }}", "{{ range $i, $e := .nums }}{{ if $i }},{{ end }}{{ $e }}{{ end }}",
          "{{ range .headers }}{{ if eq .name \"Authorization\" }}AUTH={{ .value }}{{ else }}{{ .name }}: {{ .value }}{{ end }}\n{{ end }}",
          "{{- range .headers }}{{ if eq .name \"Authorization\" }}AUTH={{ .value }}{{ else }}{{ .name }}: {{ .value }}{{ end }}\n{{ end -}}",
          "{{ range .list }}{{ else }}{{ end }}", "{{ with .m }}{{ else if .t }}{{ end }}", "{{ if .t }}a{{ else with .m }}b{{ end }}", "{{ range until 3 }}{{ . }}{{ end }}",
          "{{ range $i, $c := \"ab\" }}{{ $i }}{{ end }}", "{{ range .nested }}{{ . }}{{ end }}", "{{ if and .t .s }}{{ end }}x", "{{ if not .missing }}nm{{ end }}"]:
    add(t)
# --- define / template / block
for t in ['{{ define "x" }}X{{ . }}{{ end }}{{ template "x" .s }}', '{{ template "nope" }}', '{{ define "r" }}{{ if gt . 0 }}{{ . }}{{ template "r" (sub . 1) }}{{ end }}{{ end }}{{ template "r" 5 }}',
          '{{ block "b" .m }}{{ .a }}{{ end }}', '{{ define "a" }}A{{ end }}{{ define "a" }}B{{ end }}', '{{ define "x" }}{{ $ }}{{ end }}{{ template "x" 3 }}',
          '{{ define "x" }}{{ .missing.y }}{{ end }}{{ template "x" . }}', '{{ define "x" }}{{ $v }}{{ end }}{{ $v := 1 }}{{ template "x" }}', '{{ template "x" }}{{ define "x" }}late{{ end }}',
          '{{ define "x" }}{{ . }}{{ end }}{{ template "x" }}', '{{ template .s }}', '{{ define "tpl" }}override{{ end }}', '{{ define "x" }}x{{ end }}',
          '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}']:
    add(t)
# --- fields, maps, chains, missing keys
for t in ["{{ .m.a }}", "{{ .m.missing }}", "{{ .m.missing.deeper }}", "{{ .nested.x.y.z }}", "{{ .s.x }}", "{{ .list.x }}", "{{ .nil.x }}", "{{ .n.x }}",
          "{{ .m.a 1 }}", "{{ .s 1 }}", "{{ .m }}", "{{ .list }}", "{{ .mixed }}", "{{ .nested }}", "{{ .emap }}", "{{ .empty }}", "{{ index .m \"a\" }}",
          "{{ index .m \"missing\" }}", "{{ index .list 0 }}", "{{ index .list 5 }}", "{{ index .list -1 }}", "{{ index .list .n }}", "{{ index .nested \"x\" \"y\" \"z\" }}",
          "{{ index .s 1 }}", "{{ index .nil 1 }}", "{{ index .m 1 }}", "{{ index . \"s\" }}", "{{ index .mixed 2 }}", "{{ (index .headers 0).name }}", "{{ index .list }}"]:
    for opt in [None, ["missingkey=zero"], ["missingkey=error"], ["missingkey=invalid"]] if "missing" in t or t in ("{{ .m.a }}", "{{ .nil.x }}") else [None]:
        add(t, options=opt)
for opt in [["missingkey=default"], ["missingkey=zero"], ["missingkey=error"], ["missingkey=bogus"]]:
    add("{{ .absent }}|{{ .m.absent }}", options=opt)
add("{{ .a.b }}", data={"a": None}, options=["missingkey=zero"])
add("{{ .x }}", data=None.__class__ and {"x": {"y": 1}})
add("{{ .x.y }}", data=[1, 2])
add("{{ . }}", data="just a string")
add("{{ . }}", data=3)
add("{{ .x }}", data=None) if False else None
# --- builtins: and/or/not/len/index/print*/html/js/urlquery/call/comparisons
for t in ["{{ and 1 0 2 }}", "{{ and 1 2 }}", "{{ or 0 \"\" .s }}", "{{ or 0 .missing }}", "{{ and .nil 1 }}", "{{ or }}", "{{ not 0 }}", "{{ not .s }}", "{{ not }}",
          "{{ and (fail \"never\") 1 }}", "{{ and 0 (fail \"skip\") }}", "{{ or 1 (fail \"skip\") }}", "{{ .s | and 1 }}", "{{ 0 | or 1 }}", "{{ len .s }}", "{{ len .uni }}",
          "{{ len .list }}", "{{ len .m }}", "{{ len .n }}", "{{ len .missing }}", "{{ len .nil }}", "{{ print 1 2 \"a\" \"b\" 3 }}", "{{ print .n .s }}", "{{ print }}",
          "{{ println 1 \"a\" }}", "{{ print .nil }}", "{{ print .missing }}", "{{ html .html }}", "{{ html 1 2 }}", "{{ html .missing }}", "{{ js .html }}", "{{ js \"a\\nb\\u2028'\\\\\" }}",
          "{{ js .uni }}", "{{ urlquery .url }}", "{{ urlquery \"a b&c=d/é\" }}", "{{ urlquery .missing }}", "{{ urlquery 1 \"x\" }}", "{{ call .s }}", "{{ call .missing }}",
          "{{ eq 1 1 }}", "{{ eq 1 2 3 1 }}", "{{ eq \"a\" \"a\" }}", "{{ eq .n 8080 }}", "{{ eq .n 8080.0 }}", "{{ eq .s \"hello world\" }}", "{{ eq .missing \"x\" }}",
          "{{ eq .nil .missing }}", "{{ eq .m .m }}", "{{ eq .list .list }}", "{{ eq true true }}", "{{ eq 1 \"1\" }}", "{{ eq 1 }}", "{{ ne 1 2 }}", "{{ ne \"a\" \"a\" }}",
          "{{ ne 1 \"a\" }}", "{{ lt 1 2 }}", "{{ lt 2.5 1.5 }}", "{{ lt \"a\" \"b\" }}", "{{ lt \"B\" \"a\" }}", "{{ lt true false }}", "{{ lt .missing 1 }}", "{{ lt 1 1.5 }}",
          "{{ le 2 2 }}", "{{ gt 3 2 }}", "{{ ge 2 3 }}", "{{ gt .f 3.0 }}", "{{ lt (len .list) 5 }}", "{{ eq (len .list) 3 }}", "{{ eq (add 1 1) 2 }}", "{{ lt (add 1 1) 3 }}",
          "{{ eq .int 42.0 }}", "{{ slice .list 1 2 }}", "{{ slice .list 1 }}", "{{ slice .s 1 3 }}", "{{ index (list 1 2) 1 }}", "{{ nil 1 }}", "{{ 1 2 }}",
          "{{ .s | printf \"%s!\" }}", "{{ printf }}", "{{ undefinedFunc 1 }}", "{{ required \"x\" .s }}", "{{ tpl \"x\" . }}", "{{ include \"x\" . }}", "{{ toYaml . }}"]:
    add(t)
# --- printf verbs, flags, widths and Go's formatting of every value kind
vals = ['.s', '.n', '.big', '.f', '.neg', '.zero', '.t', '.nil', '.missing', '.list', '.nums', '.m', '.mixed', '.empty', '.e', '.huge', '.million', '.small', '.frac',
        '.uni', '.html', '1', '-7', '1.5', '"x\\ty"', "'a'", '(add 1 2)', '(list 1 "a")', '(dict "k" 1)', '(int 65)', '(splitList "," "a,b")']
for v in vals:
    add("{{ " + v + " }}")
    for verb in ["%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%T", "%5v", "%-6v|", "%t", "%g", "%e", "%.2f", "%08.3f", "%X", "%o", "%c", "%U", "%6.2v"]:
        if verb in ("%t", "%c", "%U", "%o", "%08.3f", "%6.2v", "%+v", "%e") and v not in ('.n', '.f', '.t', '1', '-7', '1.5', "'a'", '(add 1 2)', '.s', '.neg', '(int 65)', '.list', '.m'):
            continue
        add("{{ printf \"" + verb + "\" " + v + " }}")
for t in ['{{ printf "%d %s" 1 }}', '{{ printf "%d" 1 2 }}', '{{ printf "%!" }}', '{{ printf "%" }}', '{{ printf "%[2]d %[1]d" 1 2 }}', '{{ printf "%[3]d" 1 }}',
          '{{ printf "%*d" 5 1 }}', '{{ printf "%-*d|" 4 1 }}', '{{ printf "%.*f" 2 3.14159 }}', '{{ printf "%+d % d" 5 5 }}', '{{ printf "%#x %#o %#b" 255 8 5 }}',
          '{{ printf "%05d" -42 }}', '{{ printf "%-05d|" 42 }}', '{{ printf "%.3d" 7 }}', '{{ printf "%x" "hi" }}', '{{ printf "% x" "hi" }}', '{{ printf "%#q" "back`tick" }}',
          '{{ printf "%#q" "plain" }}', '{{ printf "%+q" "é☃" }}', '{{ printf "%q" "\\x00\\x7f" }}', '{{ printf "%.2s" "héllo" }}', '{{ printf "%10.3s|" "abcdef" }}',
          '{{ printf "%%" }}', '{{ printf "%5%" }}', '{{ printf "%v %v" .nil .missing }}', '{{ printf "%e" 123456.789 }}', '{{ printf "%E" 0.000123 }}',
          '{{ printf "%g" 100000000.0 }}', '{{ printf "%G" 1e-10 }}', '{{ printf "%.3g" 3.14159 }}', '{{ printf "%.0f" 2.5 }}', '{{ printf "%.0f" 3.5 }}',
          '{{ printf "%.1f" 0.05 }}', '{{ printf "%.2f" 1.005 }}', '{{ printf "%f" 1e20 }}', '{{ printf "%v" 1e20 }}', '{{ printf "%v" 100000.0 }}', '{{ printf "%v" 1000000.0 }}',
          '{{ printf "%v" 0.0001 }}', '{{ printf "%v" 0.00001 }}', '{{ printf "%+.1e" 12345.0 }}', '{{ printf "%8.2f|%-8.2f|" 3.14159 2.5 }}', '{{ printf "% .2f" 1.0 }}',
          '{{ printf "%x" 3.5 }}', '{{ printf "%s" 42 }}', '{{ printf "%d" "str" }}', '{{ printf "%d" .f }}', '{{ printf "%s" .list }}', '{{ printf "%d" .nums }}',
          '{{ printf "%s" .m }}', '{{ printf "%q" .list }}', '{{ printf "%05s" "ab" }}', '{{ printf "%-5s|" "ab" }}', '{{ printf "%c%c" 72 105 }}', '{{ printf "%q" 65 }}',
          '{{ printf "%U" 0x1F600 }}', '{{ printf "%#U" 0x263A }}', '{{ printf "%t" 1 }}', '{{ printf "%v" (list .nil) }}', '{{ printf "%v" (dict "a" .nil) }}',
          '{{ printf ":%s" .s | b64enc }}', '{{ printf "%s/%s" "ns" "name" | urlquery }}', '{{ printf "%d" (len .list) }}', '{{ printf "%T %T %T" (len .s) (add 1 1) 1.0 }}']:
    add(t)
for num in [0, 1, -1, 8080, 12345678901, 0.1, 1.5, 100, 1e6, 999999, 1e-5, 1e-4, 123456789.0, 2**53, 1e100, -0.0, 3.0e-300, 0.30000000000000004, 255.255, 1/3]:
    add("{{ .x }}|{{ printf \"%v %g %f %e %.3g\" .x .x .x .x .x }}|{{ toJson .x }}", data={"x": num})
# --- sprig: strings
S = ['hello world', 'Hello World', 'HTTPServer', 'some_snake-case text', '  trim me  ', 'a,b,c', 'ünïcode', '', 'x', 'ab  cd\tef']
for s in S:
    for f in ["upper", "lower", "title", "untitle", "trim", "nospace", "initials", "swapcase", "quote", "squote", "b64enc", "b32enc", "sha256sum", "sha1sum",
              "adler32sum", "snakecase", "kebabcase", "camelcase", "toString", "len", "base", "dir", "clean", "ext", "isAbs"]:
        add("{{ " + f + " .v }}", data={"v": s})
for t in ['{{ abbrev 5 "hello world" }}', '{{ abbrev 3 "hello" }}', '{{ abbrevboth 5 10 "1234 5678 9123" }}', '{{ trunc 5 "hello world" }}', '{{ trunc -5 "hello world" }}',
          '{{ trunc 50 "hi" }}', '{{ substr 0 5 "hello world" }}', '{{ substr 6 -1 "hello world" }}', '{{ substr -1 3 "hello" }}', '{{ substr 3 99 "hello" }}', '{{ substr 4 2 "hello" }}',
          '{{ repeat 3 "ab" }}', '{{ repeat -1 "x" }}', '{{ trimAll "$" "$5.00$" }}', '{{ trimall "ab" "abcba" }}', '{{ trimSuffix ".git" "repo.git" }}', '{{ trimPrefix "https://" .url }}',
          '{{ trimPrefix "x" "abc" }}', '{{ contains "wor" .s }}', '{{ hasPrefix "hel" .s }}', '{{ hasSuffix "x" .s }}', '{{ quote "a" 1 .nil "b" }}', '{{ squote "a" 1 .nil }}',
          '{{ cat "a" 1 .nil "b" }}', '{{ cat }}', '{{ indent 4 "a\\nb" }}', '{{ nindent 2 "a\\nb" }}', '{{ replace " " "-" .s }}', '{{ replace "" "-" "ab" }}',
          '{{ plural "one" "many" 1 }}', '{{ plural "one" "many" 2 }}', '{{ wrap 5 "hello world foo" }}', '{{ wrapWith 5 "\\t" "hello world foo" }}', '{{ wrap 3 "abcdefgh ij" }}',
          '{{ wrapWith 3 "|" "abcdefgh ij" }}', '{{ split "," .csv }}', '{{ (split "," .csv)._1 }}', '{{ splitn "," 2 .csv }}', '{{ splitList "," .csv }}', '{{ splitList "" "abc" }}',
          '{{ join "-" .list }}', '{{ join "," .mixed }}', '{{ join "," .s }}', '{{ join "," .nil }}', '{{ toStrings .mixed }}', '{{ sortAlpha .list }}', '{{ sortAlpha (list "b" "C" "a" 1) }}',
          '{{ sortAlpha .s }}', '{{ seq 5 }}', '{{ seq 0 }}', '{{ seq -3 }}', '{{ seq 2 5 }}', '{{ seq 5 2 }}', '{{ seq 1 2 10 }}', '{{ seq 10 -3 1 }}', '{{ seq 1 -1 5 }}', '{{ seq }}',
          '{{ hello }}', '{{ trunc .n "x" }}', '{{ upper .n }}', '{{ upper .missing }}', '{{ indent 2 .list }}', '{{ .s | upper | repeat 2 }}', '{{ "abc" | upper | quote }}',
          '{{ toString .f }}', '{{ toString .nil }}', '{{ toString .list }}', '{{ title "hello-world foo_bar" }}', '{{ untitle "Hello World" }}', '{{ swapcase "Hello WORLD" }}']:
    add(t)
# --- sprig: lists
for t in ['{{ list 1 "a" .nil }}', '{{ list }}', '{{ tuple 1 2 }}', '{{ first .list }}', '{{ first .empty }}', '{{ first .s }}', '{{ first .missing }}', '{{ mustFirst .s }}',
          '{{ last .list }}', '{{ rest .list }}', '{{ rest .empty }}', '{{ initial .list }}', '{{ reverse .list }}', '{{ append .list "d" }}', '{{ push .list 1 }}',
          '{{ append .s "x" }}', '{{ mustAppend .nil 1 }}', '{{ prepend .list "z" }}', '{{ concat .list .nums (list 9) }}', '{{ concat .list .s }}', '{{ compact .mixed }}',
          '{{ compact (list 0 "" .nil false "x" 1) }}', '{{ uniq (list 1 1 "a" "a" 2 1.0) }}', '{{ without .list "b" }}', '{{ without .nums 1 3 }}', '{{ has "b" .list }}',
          '{{ has 4 .nums }}', '{{ has 1 .nil }}', '{{ has 1 .s }}', '{{ slice .list 1 }}', '{{ slice .list 0 2 }}', '{{ slice .list }}', '{{ slice .empty 0 }}', '{{ slice .list 2 1 }}',
          '{{ mustSlice .s 1 }}', '{{ chunk 2 .list }}', '{{ chunk 2 .empty }}', '{{ chunk 5 .nums }}', '{{ until 5 }}', '{{ until -3 }}', '{{ untilStep 0 10 3 }}',
          '{{ untilStep 10 0 -4 }}', '{{ untilStep 0 10 -1 }}', '{{ first (splitList "." "a.b.c") }}', '{{ last (splitList ":" "host:443") }}', '{{ typeOf (first .list) }}',
          '{{ range (until 3) }}{{ . }}{{ end }}', '{{ len (list 1 2 3) }}', '{{ append (splitList "," "a,b") "c" }}', '{{ typeOf (slice (splitList "," "a,b") 1) }}',
          '{{ mustRest .s }}', '{{ mustLast .empty }}', '{{ mustInitial .n }}', '{{ mustReverse .m }}', '{{ mustUniq .s }}', '{{ mustWithout .s 1 }}', '{{ mustHas 1 .s }}',
          '{{ mustCompact .s }}', '{{ mustChunk 2 .s }}', '{{ mustPrepend .s 1 }}', '{{ mustPush .list 1 }}']:
    add(t)
# --- sprig: dicts
for t in ['{{ dict "a" 1 "b" "x" }}', '{{ dict "a" }}', '{{ dict 1 2 }}', '{{ dict }}', '{{ get .m "a" }}', '{{ get .m "nope" }}', '{{ get .nil "a" }}',
          '{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }}', '{{ set (dict) "k" "v" }}', '{{ unset (dict "a" 1 "b" 2) "a" }}', '{{ hasKey .m "a" }}', '{{ hasKey .m "q" }}',
          '{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}', '{{ keys .m | sortAlpha }}', '{{ keys (dict "b" 1) (dict "a" 2) | sortAlpha }}', '{{ pick .m "a" "b" "q" }}',
          '{{ omit .m "a" }}', '{{ values (dict "a" 1) }}', '{{ merge (dict "a" 1 "c" (dict "x" 1)) (dict "a" 2 "b" 3 "c" (dict "y" 2)) }}',
          '{{ mergeOverwrite (dict "a" 1 "c" (dict "x" 1)) (dict "a" 2 "b" 3 "c" (dict "y" 2)) }}', '{{ merge (dict "a" "") (dict "a" "x") }}', '{{ mergeOverwrite (dict "a" "x") (dict "a" "") }}',
          '{{ merge (dict "l" (list 1)) (dict "l" (list 2) "m" (list 3)) }}', '{{ mergeOverwrite (dict "l" (list 1)) (dict "l" (list 2)) }}', '{{ merge (dict "s" "x") (dict "s" (dict "a" 1)) }}',
          '{{ mustMerge (dict) .m }}', '{{ deepCopy .m }}', '{{ mustDeepCopy .list }}', '{{ dig "z" "y" "def" .m }}', '{{ dig "z" "q" "def" .m }}', '{{ dig "a" "def" .m }}',
          '{{ dig "a" .m }}', '{{ dig "a" "b" "d" .list }}', '{{ get .m 1 }}', '{{ hasKey .list "a" }}', '{{ keys .list }}', '{{ dict "k" .nil }}', '{{ (dict "a" (dict "b" 1)).a.b }}',
          '{{ index (dict "a" 1) "a" }}', '{{ $x := dict }}{{ $x.nope }}', '{{ typeOf (dict) }}', '{{ toJson (dict "z" 1 "a" (list 1 "x" .nil) "h" "<&>") }}']:
    add(t)
# --- sprig: math
for t in ['{{ add 1 2 3 }}', '{{ add }}', '{{ add .n 1 }}', '{{ add "3" 4 }}', '{{ add "0x10" 1 }}', '{{ add "1.0" 1 }}', '{{ add "1.5" 1 }}', '{{ add1 .f }}', '{{ sub 10 .neg }}',
          '{{ mul 2 3 4 }}', '{{ div 7 2 }}', '{{ div 7 0 }}', '{{ mod 7 3 }}', '{{ mod -7 3 }}', '{{ max 1 5 3 }}', '{{ min 4 2 8 }}', '{{ biggest 1 9 }}', '{{ max .nil 2 }}',
          '{{ maxf 1.5 2.5 }}', '{{ minf 1.5 "0.5" }}', '{{ floor 1.7 }}', '{{ ceil 1.2 }}', '{{ ceil "x" }}', '{{ round 3.14159 2 }}', '{{ round 2.5 0 }}', '{{ round 1.25 1 0.6 }}',
          '{{ addf 1.1 2.2 }}', '{{ addf 0.1 0.2 }}', '{{ add1f 1.5 }}', '{{ subf 10 2.5 1 }}', '{{ mulf 1.1 3 }}', '{{ divf 10 3 }}', '{{ divf 1 0 }}', '{{ int "42" }}', '{{ int .f }}',
          '{{ int "abc" }}', '{{ int .t }}', '{{ int64 .n }}', '{{ float64 "1.5" }}', '{{ float64 .int }}', '{{ float64 "1e3" }}', '{{ atoi "42" }}', '{{ atoi "4x" }}', '{{ atoi "-7" }}',
          '{{ toDecimal "777" }}', '{{ toDecimal 8 }}', '{{ toDecimal "9" }}', '{{ typeOf (add 1 1) }}', '{{ typeOf (int 1) }}', '{{ typeOf (float64 1) }}', '{{ typeOf (atoi "1") }}',
          '{{ add 1 .missing }}', '{{ int .big }}', '{{ int "1e3" }}', '{{ add1 "5.0" }}', '{{ sub .n .n }}', '{{ mul .f 2 }}']:
    add(t)
# --- sprig: encoding, json, regex, url, semver, type, default and flow
for t in ['{{ b64enc "hello" }}', '{{ b64dec "aGVsbG8=" }}', '{{ b64dec "!!" }}', '{{ b64dec "aGVsbG8" }}', '{{ b32enc "hello" }}', '{{ b32dec "NBSWY3DP" }}', '{{ b32dec "xx" }}',
          '{{ toJson .m }}', '{{ toJson .list }}', '{{ toJson .html }}', '{{ toRawJson .html }}', '{{ toPrettyJson .m }}', '{{ toPrettyJson .empty }}', '{{ toJson .nil }}', '{{ toJson .f }}',
          '{{ toJson 1e21 }}', '{{ toJson 1e-7 }}', '{{ toJson (add 1 2) }}', '{{ toJson .uni }}', '{{ toJson "\\u2028\\t\\u0001" }}', '{{ fromJson .json }}', '{{ (fromJson .json).k }}',
          '{{ fromJson "bad" }}', '{{ mustFromJson "bad" }}', '{{ fromJson "3" }}', '{{ typeOf (fromJson "3") }}', '{{ mustToJson .m }}', '{{ mustToPrettyJson .list }}', '{{ mustToRawJson .html }}',
          '{{ regexMatch "^h.*d$" .s }}', '{{ regexMatch "[" .s }}', '{{ mustRegexMatch "[" .s }}', '{{ regexFind "o." .s }}', '{{ regexFindAll "o." .s -1 }}', '{{ regexFindAll "o." .s 1 }}',
          '{{ regexFindAll "a*" "baaac" -1 }}', '{{ regexReplaceAll "o(.)" .s "0${1}" }}', '{{ regexReplaceAll "(?P<w>\\\\w+)" "ab cd" "<$w>" }}', '{{ regexReplaceAll "l" .s "$1x" }}',
          '{{ regexReplaceAllLiteral "o" .s "$1" }}', '{{ regexSplit "o" .s -1 }}', '{{ regexSplit "o" .s 2 }}', '{{ regexSplit "x*" "abc" -1 }}', '{{ regexSplit "," "" -1 }}',
          '{{ regexQuoteMeta "a.b*c[d]" }}', '{{ regexFind "[" "x" }}', '{{ urlParse .url }}', '{{ (urlParse .url).host }}', '{{ (urlParse .url).hostname }}', '{{ (urlParse .url).path }}',
          '{{ (urlParse .url).userinfo }}', '{{ urlParse "http://[::1]:80/a%2Fb" }}', '{{ urlParse "mailto:a@b.c" }}', '{{ urlParse "/rel/path?q#f" }}', '{{ urlParse "http://h:bad/" }}',
          '{{ urlParse "a b" }}', '{{ urlParse "%zz" }}', '{{ urlParse "HTTP://Host.COM" }}', '{{ urlParse "http://x/%E2%98%83" }}',
          '{{ urlJoin (dict "scheme" "https" "host" "h.com" "path" "/a b" "query" "x=1" "fragment" "f g") }}', '{{ urlJoin (dict "host" "h" "path" "p") }}',
          '{{ urlJoin (dict "scheme" "http" "host" "h" "userinfo" "u:p") }}', '{{ urlJoin (urlParse .url) }}', '{{ urlJoin (dict "opaque" "x:y" "scheme" "mailto") }}',
          '{{ semver "1.2.3" }}', '{{ (semver .ver).Major }}', '{{ (semver .ver).Prerelease }}', '{{ (semver .ver).Metadata }}', '{{ semver "v1.2" }}', '{{ semver "bad" }}',
          '{{ semverCompare ">=1.2.0" "1.2.3" }}', '{{ semverCompare "<1.0" "1.2.3" }}', '{{ semverCompare "~1.2" "1.2.9" }}', '{{ semverCompare "~1.2" "1.3.0" }}', '{{ semverCompare "^1.2" "1.9.0" }}',
          '{{ semverCompare "^1.2" "2.0.0" }}', '{{ semverCompare "1.2.x" "1.2.7" }}', '{{ semverCompare ">1.0, <2.0" "1.5.0" }}', '{{ semverCompare "<1.0 || >=3" "3.1.0" }}',
          '{{ semverCompare ">=1.0" "1.1.0-beta" }}', '{{ semverCompare "1.0 - 2.0" "1.5.0" }}', '{{ semverCompare "!=1.2.3" "1.2.3" }}', '{{ semverCompare "bad constraint" "1.0.0" }}',
          '{{ typeOf .s }}', '{{ typeOf .n }}', '{{ typeOf .m }}', '{{ typeOf .list }}', '{{ typeOf .nil }}', '{{ kindOf .m }}', '{{ kindOf .list }}', '{{ kindOf .nil }}', '{{ kindOf 1 }}',
          '{{ typeIs "string" .s }}', '{{ typeIsLike "string" .s }}', '{{ kindIs "map" .m }}', '{{ kindIs "slice" .s }}', '{{ deepEqual .m .m }}', '{{ deepEqual (list 1) (list 1) }}',
          '{{ deepEqual 1 1.0 }}', '{{ default "d" .missing }}', '{{ default "d" "" }}', '{{ default "d" .s }}', '{{ default "d" 0 }}', '{{ default "d" .empty }}', '{{ default "d" .fa }}',
          '{{ .missing | default "piped" }}', '{{ default "d" }}', '{{ empty .empty }}', '{{ empty .s }}', '{{ empty .zero }}', '{{ empty .missing }}', '{{ coalesce .missing "" 0 "x" }}',
          '{{ coalesce .missing }}', '{{ all 1 "a" .t }}', '{{ all 1 "" }}', '{{ any 0 "" .s }}', '{{ any }}', '{{ ternary "y" "n" true }}', '{{ ternary "y" "n" .fa }}', '{{ ternary "y" "n" 1 }}',
          '{{ fail "boom" }}', '{{ .s | fail }}', '{{ env "HOME" }}', '{{ expandenv "$HOME" }}', '{{ now }}', '{{ uuidv4 }}', '{{ randAlpha 5 }}', '{{ date "2006" .n }}',
          '{{ toDate "2006-01-02" "2024-03-05" }}', '{{ toDate "2006-01-02" "2024-03-05" | date "Jan 2, 2006 15:04 MST" }}', '{{ date "2006-01-02T15:04:05Z07:00" (toDate "2006-01-02 15:04" "2023-11-30 08:09") }}',
          '{{ (toDate "2006-01-02" "2024-03-05") | unixEpoch }}', '{{ date "Mon Jan _2 3:04PM .000 .999" (toDate "2006-01-02 15:04:05.000" "2024-03-05 17:04:05.120") }}',
          '{{ dateModify "24h" (toDate "2006-01-02" "2024-02-28") | htmlDate }}', '{{ dateModify "bad" (toDate "2006-01-02" "2024-02-28") | htmlDate }}', '{{ mustToDate "2006" "x" }}',
          '{{ toDate "2006-01-02" "bad" }}', '{{ duration 95 }}', '{{ duration "3700" }}', '{{ duration (int64 61) }}', '{{ durationRound "2h10m" }}', '{{ durationRound "400h" }}',
          '{{ durationRound "1s" }}', '{{ htmlDateInZone (toDate "2006-01-02" "2024-03-05") "UTC" }}', '{{ dateInZone "2006-01-02 15:04" (toDate "2006-01-02" "2024-03-05") "UTC" }}',
          '{{ date "2006-01-02" (int64 86400) }}', '{{ date "2006-01-02 15:04:05" (int 1700000000) }}', '{{ decryptAES "secretkey" "" }}', '{{ decryptAES "k" "!!" }}']:
    add(t)
# --- configuration templates of features §9 (CSI data view) and the probe templates of §2.3
csi = {"connector": {"metadata": {"name": "git-github", "namespace": "team-a"}, "spec": {"address": "https://github.com/", "params": [{"name": "sslVerify", "value": "false"}]},
                     "status": {"proxyAddress": "http://c-git-github.team-a.svc.cluster.local"}},
       "connectors": [{"metadata": {"name": "git-github", "namespace": "team-a"}, "spec": {"address": "https://github.com/"}, "status": {"proxyAddress": "http://c-git-github.team-a.svc"}},
                      {"metadata": {"name": "gitlab", "namespace": "team-a"}, "spec": {"address": "https://gitlab.example.com:8443/grp/"}, "status": {"proxyAddress": "http://c-gitlab.team-a.svc"}}],
       "connectorclass": {"proxyAddress": "http://connectors-proxy-service.connectors-system.svc.cluster.local:80"},
       "context": {"token": "eyJhbGciOiJSUzI1NiJ9.payload.sig", "proxy": {"caCert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}},
       "configurations": {"registry": "https://registry.npmjs.org/", "sslVerify": "true"}}
gitconfig = '''[http]
    extraHeader = Authorization: Basic {{ printf ":%s" .context.token | b64enc }}
{{- range .connector.spec.params }}{{ if eq .name "sslVerify" }}
    sslVerify = {{ .value }}{{ end }}{{ end }}
{{- range .connectors }}
[url "{{ .status.proxyAddress }}/"]
    insteadOf = {{ .spec.address }}
{{- end }}
'''
gitconfig_single = '''[http]
    extraHeader = Authorization: Basic {{ printf ":%s" .context.token | b64enc }}
[url "{{ .connector.status.proxyAddress }}"]
    insteadOf = {{ .connector.spec.address }}
'''
glab = '''{{- $proxy := urlParse .connector.status.proxyAddress -}}
git_protocol: http
host: {{ $proxy.host }}
no_prompt: true
telemetry: false
hosts:
  {{ $proxy.host }}:
    token: {{ .context.token }}
    container_registry_domains: {{ $proxy.host }},{{ $proxy.host }}:443,registry.{{ $proxy.host }}
    api_host: {{ $proxy.host }}
    git_protocol: http
    api_protocol: http
    user: any-user
'''
kubeconfig = '''{{- $proxy := urlParse .connector.status.proxyAddress -}}
{{- $user := printf "%s/%s" .connector.metadata.namespace .connector.metadata.name | urlquery -}}
apiVersion: v1
kind: Config
clusters:
- name: k8s
  cluster:
    server: {{ .connector.spec.address }}
    proxy-url: {{ $proxy.scheme }}://{{ $user }}:{{ .context.token }}@{{ $proxy.host }}
    certificate-authority-data: {{ .context.proxy.caCert | b64enc }}
contexts:
- name: k8s
  context: {cluster: k8s, user: k8s}
users:
- name: k8s
  user:
    token: fake-token
current-context: k8s
'''
npmrc = '''{{- $proxy := urlParse .connector.status.proxyAddress -}}
{{- $registry := index .configurations "registry" | trimSuffix "/" -}}
{{- $r := urlParse $registry -}}
# generated by connectors
registry={{ $registry }}/
//{{ $r.host }}{{ $r.path }}/:_auth={{ printf "%s:%s" "user" "password" | b64enc }}
https-proxy={{ $proxy.scheme }}://{{ printf "%s/%s" .connector.metadata.namespace .connector.metadata.name | urlquery }}:{{ .context.token }}@{{ $proxy.host }}
proxy={{ $proxy.scheme }}://{{ printf "%s/%s" .connector.metadata.namespace .connector.metadata.name | urlquery }}:{{ .context.token }}@{{ $proxy.host }}
strict-ssl={{ index .configurations "sslVerify" | default "true" }}
audit=false
fund=false
ca.cert: "{{ .context.proxy.caCert }}"
'''
sonar = '''{{- $proxy := urlParse .connector.status.proxyAddress -}}
sonar.host.url={{ .connector.spec.address | trimSuffix "/" }}
sonar.scanner.proxyHost={{ $proxy.hostname }}
sonar.scanner.proxyPort={{ if (splitList ":" $proxy.host | rest) }}{{ splitList ":" $proxy.host | last }}{{ else if eq $proxy.scheme "https" }}443{{ else }}80{{ end }}
sonar.scanner.proxyUser={{ printf "%s/%s" .connector.metadata.namespace .connector.metadata.name | urlquery }}
sonar.scanner.proxyPassword={{ .context.token }}
'''
settings = '''<settings>
  <proxies>
    <proxy>
      <id>connectors-proxy</id>
      <active>true</active>
      <protocol>http</protocol>
      <host>{{ (urlParse .connectorclass.proxyAddress).host | splitList ":" | first }}</host>
      <port>80</port>
      <username>{{ $names := list }}{{ range .connectors }}{{ $names = append $names (printf "%s/%s" .metadata.namespace .metadata.name) }}{{ end }}{{ join "," $names }}</username>
      <password>{{ .context.token }}</password>
      <nonProxyHosts>localhost</nonProxyHosts>
    </proxy>
  </proxies>
{{- with index .configurations "mirror" }}
  <mirrors><mirror><id>m</id><url>{{ . }}</url><mirrorOf>*</mirrorOf></mirror></mirrors>
{{- end }}
</settings>
'''
for name, tpl in [("gitconfig", gitconfig), ("gitconfig", gitconfig_single), ("gitlabconfig", glab), ("kubeconfig", kubeconfig), ("npmrc", npmrc), ("sonar", sonar), ("settings", settings)]:
    add(tpl, data=csi, name=name)
    add(tpl, data={"connector": csi["connector"], "context": {"token": "t"}, "connectors": [], "connectorclass": {"proxyAddress": "https://p.example:8443"}, "configurations": {}}, name=name)
    add(tpl, data=csi, name=name, options=["missingkey=error"])
add("{{ .connectors }}", data=csi)
add("{{ range .connectors }}{{ .name }}{{ end }}", data=csi, options=["missingkey=error"], name="gitconfig")
add("a\nb\nc {{ .x.y | printf \"%d\" | quote }}", data={}, options=["missingkey=error"], name="gitconfig")
path = '/{{- range .Connector.Spec.Auth.Params }}{{- if eq .Name "repository" }}{{ .Value.StringVal }}{{ end }}{{- end }}/info/refs?service=git-upload-pack'
header = '{{- if .Secret }}Basic {{ printf "%s:%s" .Secret.StringData.username .Secret.StringData.password | b64enc }} {{- end }}'
conn = {"metadata": {"name": "git", "namespace": "ns"}, "spec": {"connectorClassName": "git", "address": "https://git.example.com/base/",
        "auth": {"name": "basicAuth", "secretRef": {"name": "s"}, "params": [{"name": "repository", "value": "org/repo.git"}, {"name": "list", "value": ["a", "b"]}, {"name": "obj", "value": {"k": "v"}}]}}}
for tpl in [path, header, "{{ .Connector.Spec.Address }}", "{{ (urlParse .Connector.Spec.Address).path }}", "{{ .Connector.Name }}/{{ .Connector.Namespace }}",
            "{{ range .Connector.Spec.Auth.Params }}{{ .Name }}:{{ .Value.Type }}:{{ .Value.StringVal }}:{{ .Value.ArrayVal }}:{{ .Value.ObjectVal }};{{ end }}",
            "{{ if .Secret }}s{{ else }}none{{ end }}", "{{ .Secret }}", "{{ .Secret.StringData.username }}", "{{ .Secret.StringData.missing }}", "{{ .Connector.Spec.Nope }}",
            "{{ .Connector.Spec.Auth.SecretRef.Name }}", "{{ .Connector.Spec.Auth.Name }}", "{{ index .Secret.StringData \"token\" }}", "{{ len .Connector.Spec.Auth.Params }}",
            "{{ .Connector.Spec.Params }}", "{{ .Connector.Labels }}", "{{ with .Secret }}{{ .StringData.password }}{{ end }}", "Bearer {{ .Secret.StringData.token }}"]:
    add(tpl, data={"connector": conn, "secret": {"username": "gituser", "password": "gitpass", "token": "tok"}}, probe=True)
    add(tpl, data={"connector": conn, "secret": None}, probe=True)
    add(tpl, data={"connector": conn, "secret": {"username": "u"}}, probe=True, options=["missingkey=zero"])
add(path, data={"connector": {"spec": {"address": "https://x/"}}, "secret": None}, probe=True)

# Deterministic crypto: Master Password (scrypt) and certificate parsing.
CERT_B64 = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUREVENDQWZXZ0F3SUJBZ0lVVFJORSswSHlrY3BPRnNNTndDbXdrQi9vWGdFd0RRWUpLb1pJaHZjTkFRRUwKQlFBd0ZqRVVNQklHQTFVRUF3d0xZMjl1Wm05eWJXRnVZMlV3SGhjTk1qWXhNVEl5TURFeU16TTVXaGNOTXpZeApNVEU1TURFeU16TTVXakFXTVJRd0VnWURWUVFEREF0amIyNW1iM0p0WVc1alpUQ0NBU0l3RFFZSktvWklodmNOCkFRRUJCUUFEZ2dFUEFEQ0NBUW9DZ2dFQkFLTndxa2RsemorRWhxMWU3SFh2cnQ3NDc3NUhIdWwvN1BOQzVqNy8KVWEvQU5YOXBEZDJaRkZjbWtva1paaVlGajRYS09yMDc2a2xkSkJzMklIRFJTSURWQk1jUk1ac1NNajY2REVlZAp0Nlpjc1kvSkJFaW9rRmxhU013RWJxNC94SmpUR3pZYU5LSDhReUR3OWZ2NzF4UWs4YjhUMmxvU2VvU05RL0prCjhxVmU1NnhMcFVZa0xQcTlxV0huc1F1MjdBS2QwaWVtWWI4UERHcDV5K1NIUjZ0S1N4N29KeVM4UEkyd20rWXAKRjNybjlRWDJRTDE3SGJ4cEttd1pyRldCYnh1WVl1OHk4VWx2NkYxblhXamlYWlJvdVRoN1RwejJxMEw2TWlCVApRZUVqbE82MDNMb1RRR05ycUZhUmFWV1l0VkNIMmREc051WnI0bnQ0VTRPcVgrMENBd0VBQWFOVE1GRXdIUVlEClZSME9CQllFRktHZ1FaZTVMd0doUURGZlFNQmhkdHAxTXNmTk1COEdBMVVkSXdRWU1CYUFGS0dnUVplNUx3R2gKUURGZlFNQmhkdHAxTXNmTk1BOEdBMVVkRXdFQi93UUZNQU1CQWY4d0RRWUpLb1pJaHZjTkFRRUxCUUFEZ2dFQgpBRDZwVzY4SEgxdVdjVVVlU1pzZk5tWlY3TnZGdEhFQnVPdlJpTTc0aU1rS0wzbElYcHhzSExNMVlFdythWGRaClczZ24veFRwSnMyY2ZFZGszSlkwRk5ESVJmb2Urays2T3dCN085MUVWOUtkanlwTTRZM2x2RnNTZ014OGpBaDMKckY3R2ZIUXoxWFYrRFpWSzlBUlNhUVF2ejZGQU9qQ2REM2xtQ1ZFbDJPN29xbVRPYkgyQnZ3SVlQSWh4QTZ2YworS1VMRXkrOG1aQ3RMUmZLRzhaM09Va2c0elVaR0lBUHhZNFJTWk5iOXFDRUI5M241cXJUbHlpV0lPbnlXNHZYCjZtNjd2aE1oUm9nelJmbG5UWVZaUW91bUFlNEhlRWV1RVNEUWk2ckp6SUxKblFsMnhWd2xiRXBEVEkrekNWU0MKNnlKTTFzdFRtS1BrbXZDSWEyaUlSQzg9Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K"
KEY_B64 = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDQktjd2dnU2pBZ0VBQW9JQkFRQ2pjS3BIWmM0L2hJYXQKWHV4MTc2N2UrTysrUng3cGYrenpRdVkrLzFHdndEVi9hUTNkbVJSWEpwS0pHV1ltQlkrRnlqcTlPK3BKWFNRYgpOaUJ3MFVpQTFRVEhFVEdiRWpJK3VneEhuYmVtWExHUHlRUklxSkJaV2tqTUJHNnVQOFNZMHhzMkdqU2gvRU1nCjhQWDcrOWNVSlBHL0U5cGFFbnFFalVQeVpQS2xYdWVzUzZWR0pDejZ2YWxoNTdFTHR1d0NuZElucG1HL0R3eHEKZWN2a2gwZXJTa3NlNkNja3ZEeU5zSnZtS1JkNjUvVUY5a0M5ZXgyOGFTcHNHYXhWZ1c4Ym1HTHZNdkZKYitoZApaMTFvNGwyVWFMazRlMDZjOXF0QytqSWdVMEhoSTVUdXROeTZFMEJqYTZoV2tXbFZtTFZRaDluUTdEYm1hK0o3CmVGT0RxbC90QWdNQkFBRUNnZ0VBREkvc0VwMU5WejM3TVFldkFwaVgxdzBJdGxZV2x1bHRmN3dZWU9hMGMxOEIKYmFmWU9EeGNIeCs0bXgrUDVhTy9ScEFHNkVVYTZxVWxVWThkT3JhblRUbXlTbyswZ2FBS0t4NlhNNGo0bE9taQpmelA2NTQvSE9vcnhOZmN3UDZYb21UdCtwNituZEh6a2R2dDJXTFlnYjZ5d1JSakVTM0NJcUxnSDdURmJvaUMwCkZSbkVPZkJqWUVmQS9ScmRMd2RpT29rMkRyZ3lPMzMyRjZuUTNHL29YenUxVmRkUWt2SksrMkxtU1UyaW9LdnUKaTQ1aDNBMkk1SFpreC8vNVNSRTBFV2lJcythcWFVelpBWUx6V0h1RnQ4anl0NFRXTkw3dHlqN29YZEZjNHVheAp5VXN2TisxTTZqcmt5UWIrNVFGNGxYMDJsN0FrRWxrQlVUaVhIenRuYVFLQmdRRFRnNkZZVlIrYWZ2ZmlkWEIzClBualhzdGt1MWZONlp4ZkZBNGMrbVhsT2E5WnNHaG5KSEZWYTF3WTBTcmY1SSs2SDVwNisreVo2T2NBZW1HOEMKMGlDejloWGRtY0Zmb2NDVnNYeU1Od3hsZVRjRDZNcmlTWkNPKzZTQ3RmZFR3eW9zNjJHQllYMTFoS2xUOStZNAp1dmZJKzIxOW0wOEJhZEZCc25Pd1FBVEd5UUtCZ1FERjBKLzNtaGhESGduanNoNFlpQ2o4ODFiOGNCMkJCSlZuCnhONjY5Lyt3bDI3Y25XMkV6eGhIQVErNzJKVi9WNWdIWGEyTlAzOFFqRDBEVWRTWnlDcElJYzZ5U2VBdzlOVE4KQkxyV0dqS29QTTNZR2FhTmFBTkdGVVArWVdQaTBrSk16N3NPcHFJUzZHekZZQW9RakdGS1RaMzd3V1l1ZkpaZwpTQW5FRjFlT0JRS0JnR2ZZU0c3RjNDNU9DQVgzQXJDSXkydWJNMlg3UlA3amZwZ0xrMnI0anNZaHk3Um5YQ0dRCjk1Y1Iyc254cFVGOGtxL0dXa29KcEdwOTBBVTFjY3RBdnkyYnRFQ0lMSmgzSWNaY3pYbEp6WnhFVnU1a2JMZU0KeHB4c2oraGN6b0VoWUtPTkxPSUlxei8zVWVzWDJzQWZpMmZ4aVdBUjBFZ3hXN3VWa1pjRzExR0JBb0dCQUtqZwp1UkRiZjBjZGgvZmFBcE9TK3Rzb3ErU0xtc1Nnc3lTS0VGU3lrSm1rVHNNTnE0Z3NmVjl3Nm92R0ZhdEhqc1VMCkZyVjF0ZmJjb3VJSXBHWTlXc3VHQVQ1NGoydDhPWWhtTjFPOXZlMmZLMlVJVVFaNysvK0MvQzlaMmJxMUltRU4KSDNjY2oxVnhGQnRWS0lLRU5qTUhISTdueDJKOGZxem9FMTVUUnk0NUFvR0FBYm5KcnFJcjdmSDR4aFcySDJaOQpEWUg0bmU4OFYyTzBMbEt2UVJkcU5GZGljMC9IQWZuOHV4M3JnSlNJb1FhWHJUOGMvbFVvbnhrYW9JVS90SFpDCkpBK0JzclBHOXA2VmpieThvQ2F2YXNxTTlrTmRVR1RHd0l5QWIwZFc2NzJ6clVwM1JwYVRodVcrS21TOW1KazkKQWFaM3R6REM1aGMwQ3k0K0loUGM5ZFU9Ci0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0K"
for t in ['{{ derivePassword 1 "long" "password" "user" "example.com" }}', '{{ derivePassword 3 "maximum" "pw" "u" "s" }}', '{{ derivePassword 0 "pin" "pw" "u" "s" }}',
          '{{ derivePassword 7 "basic" "pässword" "ünicode" "site.example" }}', '{{ derivePassword 1 "nope" "pw" "u" "s" }}', '{{ derivePassword -1 "pin" "pw" "u" "s" }}',
          '{{ $c := buildCustomCert .cert .key }}{{ $c.Cert | b64enc | eq .cert }} {{ $c.Key | b64enc | eq .key }}', '{{ buildCustomCert "eA==" "eA==" }}',
          '{{ buildCustomCert "!!" .key }}', '{{ (buildCustomCert .cert .key).Cert | sha256sum }}', '{{ decryptAES "secretkey" (b64enc "short") }}']:
    add(t, data={"cert": CERT_B64, "key": KEY_B64})

# Lexer and parser corners.
for t in ["{{ .héllo }}", "{{ .my-key }}", "{{ index . \"my-key\" }}", "{{ 0x1p-2 }}", "{{ 0x1.8p1 }}", "{{ 1e400 }}", "{{ -0 }}", "{{ +5 }}", "{{ 1_0.5 }}", "{{ '\\u263a' }}",
          "{{ 'ab' }}", "{{ \"\\x41\\101\\u00e9\" }}", "{{ eq (index .s 0) 104 }}", "{{ printf \"%v %T\" (index .s 0) (index .s 0) }}", "{{ .s | len }}",
          "{{ if true }}{{ define \"x\" }}{{ end }}{{ end }}", "{{ if .zero }}a{{ else if .fa }}b{{ else if .t }}c{{ else }}d{{ end }}",
          "{{ define \"b\" }}over{{ end }}{{ block \"b\" . }}default{{ end }}", "{{ if .t -}} x {{- else -}} y {{- end }}", "a\r\n{{- .s -}}\r\nb",
          "{{ 08 }}", "{{ 0b }}", "{{ 1.2.3 }}", "{{ .s.x.y }}", "{{ $.m.a }}", "{{ ( .m.a ) }}", "{{ ( .m ).a }}", "{{ .m.a.b }}", "{{ \"a\" | printf \"%s%s\" \"b\" }}",
          "{{ printf \"%s\" | printf \"%q\" }}", "{{ true | not }}", "{{ .list | len | printf \"%03d\" }}", "{{ nil | print }}", "{{ . | len }}", "{{ $x := 1 }}{{ $x := 2 }}{{ $x }}",
          "{{ range $i := .list }}{{ $i }}{{ end }}", "{{ range $k, $v := .list }}{{ $k }}{{ end }}|{{ range $k, $v := .emap }}{{ else }}none{{ end }}",
          "{{ with $x := 0 }}x{{ else }}{{ $x }}{{ end }}", "{{ template \"missing\" . }}{{ define \"ok\" }}{{ end }}", "{{/* a */}}{{/* b */}}", "{{ /* spaced */ }}",
          "{{- /* a */ -}}\n\n  x", "x {{ 1 }}{{/* c */ -}}   y", "{{\"a\"}}{{`b`}}{{'c'}}", "{{ `multi\nline` }}", "{{ \"unterminated }}", "{{ `unterminated }}", "{{ 'x }}"]:
    add(t)

# Sprig corners: case conversion, wrapping, semver ranges, urls, dates.
for v in ["fooBar", "FooBarBaz", "foo_bar-baz qux", "HTTPServerError", "getHTTPResponse", "Bld4Floor", "HTTP2xx", "a1b2c3", "already_snake", "--lead", "trail__",
          "ÜberName", "x", "ABC", "a.b.c", "snake_Case", "Camel Case Words", "123abc", "abc123def"]:
    add("{{ snakecase .v }}|{{ kebabcase .v }}|{{ camelcase .v }}|{{ title .v }}|{{ untitle .v }}|{{ swapcase .v }}|{{ initials .v }}", data={"v": v})
for t in ['{{ wrap 10 "The quick brown fox jumps over the lazy dog" }}', '{{ wrapWith 8 "<br>" "The quick brown fox jumps" }}', '{{ wrap 0 "a b" }}',
          '{{ abbrevboth 0 10 "abcdefghijklmnopqrstuvwxyz" }}', '{{ abbrevboth 10 13 "abcdefghijklmnopqrstuvwxyz" }}', '{{ abbrevboth 5 7 "abcdefghijklmnop" }}',
          '{{ semverCompare "^0.2.3" "0.2.9" }}|{{ semverCompare "^0.2.3" "0.3.0" }}|{{ semverCompare "^0.0.3" "0.0.4" }}', '{{ semverCompare "~1" "1.9.9" }}|{{ semverCompare "~1" "2.0.0" }}',
          '{{ semverCompare "*" "1.2.3" }}|{{ semverCompare "*" "1.2.3-alpha" }}', '{{ semverCompare ">1.2" "1.2.5" }}|{{ semverCompare ">1.2" "1.3.0" }}', '{{ semverCompare "<=1.2" "1.2.9" }}',
          '{{ semverCompare "=1.2.3" "v1.2.3" }}', '{{ semverCompare ">= 1.2.3, < 2" "1.10.0" }}', '{{ semverCompare "1.2.3-beta.2 - 1.2.4" "1.2.3-beta.10" }}',
          '{{ (semver "1.2.3-rc.1+meta").Original }}|{{ semver "01.2.3" }}', '{{ (semver "2.0").Minor }}',
          '{{ urlJoin (dict "scheme" "https" "host" "h:8443" "path" "a/b") }}', '{{ urlJoin (dict "path" "/x y" "query" "a=b c") }}', '{{ urlJoin (dict "scheme" "http" "host" "[::1]:80") }}',
          '{{ (urlParse "https://h/p?q=a%20b").query }}', '{{ (urlParse "ssh://git@github.com:22/org/repo.git").userinfo }}', '{{ urlParse "//h/p" }}', '{{ urlParse "http://u:p%40x@h/" }}',
          '{{ date "Monday January 2 2006 03:04:05 PM -0700 MST" (toDate "2006-01-02 15:04:05" "2024-07-04 21:05:09") }}', '{{ date "06 1 2 _2 3 4 5 pm Z07:00" (toDate "2006-01-02" "2009-11-05") }}',
          '{{ date ".000 .999 .000000 .9" (toDate "2006-01-02 15:04:05.000000" "2024-01-02 03:04:05.123450") }}', '{{ toDate "02 Jan 06 15:04 -0700" "05 Mar 24 17:30 +0200" | date "2006-01-02T15:04:05Z07:00" }}',
          '{{ toDate "2006-01-02T15:04:05Z07:00" "2024-03-05T10:00:00Z" | unixEpoch }}', '{{ durationRound "1h59m" }}|{{ durationRound "49h" }}|{{ durationRound "800h" }}|{{ durationRound "9000h" }}|{{ durationRound "-3m" }}',
          '{{ duration "-5" }}|{{ duration 3661 }}|{{ duration (int64 86401) }}', '{{ dateModify "-1.5h" (toDate "2006-01-02" "2024-01-01") | date "2006-01-02 15:04" }}',
          '{{ htmlDate (toDate "2006-01-02" "2024-12-31") }}', '{{ dateInZone "2006-01-02 15:04 MST" (toDate "2006-01-02 15:04" "2024-06-01 12:00") "UTC" }}']:
    add(t)

# Trimming and whitespace corner cases across lines.
for t in ["a\n  {{- if .t }}\n  b\n  {{- end }}\nc", "{{ if .t -}}\n  x\n{{- end }}", "x {{- \" y \" -}} z", "{{- /* only comment */ -}}", "  {{- .s }}", "{{ .s -}}  ",
          "a {{- 1 }} {{- 2 -}} b", "line1\n{{ range .list -}}\n- {{ . }}\n{{ end -}}\nend", "{{ range .list }}\n  {{- . }}\n{{- end }}"]:
    add(t)

# Go-fidelity areas (issue #18): a template text that begins with a byte-order mark; Unicode case mapping (Go's
# unicode tables: ı, ſ, İ, title-case digraphs, astral letters); RE2 regex semantics ($ at the end of text, ASCII \w \d \s \b
# and POSIX classes, (?i) folding orbits, (?U), \Q..\E, \x{..}, scripts, what RE2 refuses); variadic list functions with
# no arguments (nil slices); methods on values sprig functions return (semver, time.Time).
GF = {"s": "a\n", "u": "ßİıſǅﬁµΣσςÅKΩ", "w": "héllo_wörld 123 ٣ ２", "n": "line1\nline2\n"}
add("﻿{{ 1 }}", data=GF)
add("﻿abc", data=GF)
add("a﻿b{{ \"﻿\" }}", data=GF)
add("{{/* c */}}﻿", data=GF)
add("﻿{{ define \"x\" }}X{{ end }}{{ template \"x\" }}", data=GF)
add("{{ upper .u }}", data=GF)
add("{{ upper .w }}", data=GF)
add("{{ lower .u }}", data=GF)
add("{{ lower .w }}", data=GF)
add("{{ title .u }}", data=GF)
add("{{ title .w }}", data=GF)
add("{{ untitle .u }}", data=GF)
add("{{ untitle .w }}", data=GF)
add("{{ swapcase .u }}", data=GF)
add("{{ swapcase .w }}", data=GF)
add("{{ camelcase .u }}", data=GF)
add("{{ camelcase .w }}", data=GF)
add("{{ snakecase .u }}", data=GF)
add("{{ snakecase .w }}", data=GF)
add("{{ kebabcase .u }}", data=GF)
add("{{ kebabcase .w }}", data=GF)
add("{{ initials .u }}", data=GF)
add("{{ initials .w }}", data=GF)
add("{{ abbrev 3 .u }}", data=GF)
add("{{ abbrev 3 .w }}", data=GF)
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ßxß"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "İxİ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ıxı"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ſxſ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ǅxǅ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ǆxǆ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ǄxǄ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ﬁxﬁ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "µxµ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ςxς"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "KxK"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ΩxΩ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ÅxÅ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ᾳxᾳ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ŉxŉ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ǰxǰ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ΐxΐ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ⅫxⅫ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ⓐxⓐ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "𐐨x𐐨"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ꭰxꭰ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ꝽxꝽ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ɐxɐ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ɫxɫ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ȿxȿ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ꟶxꟶ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ᲀxᲀ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ꙊxꙊ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ᵹxᵹ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ẞxẞ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ǈxǈ"})
add("{{ upper .c }}|{{ lower .c }}|{{ title .c }}|{{ swapcase .c }}|{{ untitle .c }}", data={"c": "ΰxΰ"})
add("{{ regexMatch \"a$\" .s }}", data=GF)
add("{{ regexMatch \"^line2$\" .n }}", data=GF)
add("{{ regexMatch \"(?m)^line2$\" .n }}", data=GF)
add("{{ regexFindAll \"\\\\w+\" .w -1 }}", data=GF)
add("{{ regexFindAll \"\\\\d\" .w -1 }}", data=GF)
add("{{ regexFindAll \"\\\\s\" \"a\\u00a0b\\u2003c d\" -1 }}", data=GF)
add("{{ regexReplaceAll \"\\\\b\" .w \"|\" }}", data=GF)
add("{{ regexMatch \"\\\\bw\" .w }}", data=GF)
add("{{ regexFindAll \"[[:alpha:]]+\" .w -1 }}", data=GF)
add("{{ regexFindAll \"\\\\pL+\" .w -1 }}", data=GF)
add("{{ regexReplaceAll \"(?i)SS\" \"ß ss SS ſs\" \"x\" }}", data=GF)
add("{{ regexReplaceAll \"(?i)k\" \"K k \\u212a\" \"x\" }}", data=GF)
add("{{ regexSplit \"$\" .n -1 }}", data=GF)
add("{{ regexReplaceAll \"$\" .n \"X\" }}", data=GF)
add("{{ regexReplaceAll \"^\" .n \"X\" }}", data=GF)
add("{{ regexReplaceAll \"(?m)$\" .n \"X\" }}", data=GF)
add("{{ regexFind \"\\\\W+\" .w }}", data=GF)
add("{{ regexReplaceAll \"\\\\D\" .w \".\" }}", data=GF)
add("{{ regexReplaceAll \"\\\\S+\" .w \".\" }}", data=GF)
add("{{ regexReplaceAll \"(a)(b)\" \"ab\" \"$1x$2\" }}", data=GF)
add("{{ regexReplaceAll \"(a)(b)\" \"ab\" \"${1}x$2\" }}", data=GF)
add("{{ regexReplaceAll \"(?P<n>a)\" \"ab\" \"[$n]\" }}", data=GF)
add("{{ regexReplaceAllLiteral \"(a)\" \"ab\" \"$1\" }}", data=GF)
add("{{ regexMatch \".\" \"\\n\" }}", data=GF)
add("{{ regexMatch \"(?s).\" \"\\n\" }}", data=GF)
add("{{ regexFindAll \".\" \"a\\r\\nb\" -1 }}", data=GF)
add("{{ regexMatch \"\\\\z\" \"x\" }}", data=GF)
add("{{ regexMatch \"\\\\Z\" \"x\" }}", data=GF)
add("{{ regexMatch \"\\\\A\" \"x\" }}", data=GF)
add("{{ regexMatch \"(?U)a+\" \"aaa\" }}", data=GF)
add("{{ regexFind \"(?U)a+\" \"aaa\" }}", data=GF)
add("{{ regexFind \"a{2,}?\" \"aaaa\" }}", data=GF)
add("{{ regexMatch \"a++\" \"aa\" }}", data=GF)
add("{{ regexMatch \"(?<n>a)\" \"a\" }}", data=GF)
add("{{ regexMatch \"\\\\Qa.b\\\\E\" \"a.b\" }}", data=GF)
add("{{ regexFindAll \"[\\\\d]\" \"1٣\" -1 }}", data=GF)
add("{{ regexFindAll \"[^\\\\w]\" \"é_a\" -1 }}", data=GF)
add("{{ regexFindAll \"\\\\x{e9}\" \"é\" -1 }}", data=GF)
add("{{ regexMatch \"\\\\p{Greek}\" \"Ω\" }}", data=GF)
add("{{ regexFindAll \"[[:^alpha:]]\" \"a1\" -1 }}", data=GF)
add("{{ regexSplit \"\\\\s*\" \"a b\" -1 }}", data=GF)
add("{{ regexFindAll \"\" \"abc\" -1 }}", data=GF)
add("{{ regexReplaceAll \"\" \"abc\" \"-\" }}", data=GF)
add("{{ regexFindAll \"a*\" \"baaab\" -1 }}", data=GF)
add("{{ regexReplaceAll \"a*\" \"baaab\" \"-\" }}", data=GF)
add("{{ regexSplit \"a*\" \"baaab\" -1 }}", data=GF)
add("{{ regexMatch \"(a|ab)(c|bcd)(d*)\" \"abcd\" }}", data=GF)
add("{{ regexFind \"(a|ab)(c|bcd)(d*)\" \"abcd\" }}", data=GF)
add("{{ regexFind \"(a+|b+)*c\" \"aabbc\" }}", data=GF)
add("{{ regexMatch \"\\\\8\" \"8\" }}", data=GF)
add("{{ regexMatch \"\\\\1\" \"a\" }}", data=GF)
add("{{ regexMatch \"(?=a)\" \"a\" }}", data=GF)
add("{{ mustRegexMatch \"[\" \"a\" }}", data=GF)
add("{{ regexQuoteMeta \"a.b*c\\u00e9\" }}", data=GF)
add("{{ list }}", data=GF)
add("{{ list | printf \"%T %v\" }}", data=GF)
add("{{ dict }}", data=GF)
add("{{ dict | printf \"%T %v\" }}", data=GF)
add("{{ concat }}", data=GF)
add("{{ concat | printf \"%T %v\" }}", data=GF)
add("{{ tuple }}", data=GF)
add("{{ tuple | printf \"%T %v\" }}", data=GF)
add("{{ cat }}", data=GF)
add("{{ cat | printf \"%T %v\" }}", data=GF)
add("{{ print }}", data=GF)
add("{{ print | printf \"%T %v\" }}", data=GF)
add("{{ println }}", data=GF)
add("{{ println | printf \"%T %v\" }}", data=GF)
add("{{ coalesce }}", data=GF)
add("{{ coalesce | printf \"%T %v\" }}", data=GF)
add("{{ all }}", data=GF)
add("{{ all | printf \"%T %v\" }}", data=GF)
add("{{ any }}", data=GF)
add("{{ any | printf \"%T %v\" }}", data=GF)
add("{{ merge }}", data=GF)
add("{{ merge | printf \"%T %v\" }}", data=GF)
add("{{ mergeOverwrite }}", data=GF)
add("{{ mergeOverwrite | printf \"%T %v\" }}", data=GF)
add("{{ compact }}", data=GF)
add("{{ compact | printf \"%T %v\" }}", data=GF)
add("{{ uniq }}", data=GF)
add("{{ uniq | printf \"%T %v\" }}", data=GF)
add("{{ max }}", data=GF)
add("{{ max | printf \"%T %v\" }}", data=GF)
add("{{ min }}", data=GF)
add("{{ min | printf \"%T %v\" }}", data=GF)
add("{{ maxf }}", data=GF)
add("{{ maxf | printf \"%T %v\" }}", data=GF)
add("{{ minf }}", data=GF)
add("{{ minf | printf \"%T %v\" }}", data=GF)
add("{{ join }}", data=GF)
add("{{ join | printf \"%T %v\" }}", data=GF)
add("{{ and }}", data=GF)
add("{{ and | printf \"%T %v\" }}", data=GF)
add("{{ or }}", data=GF)
add("{{ or | printf \"%T %v\" }}", data=GF)
add("{{ seq }}", data=GF)
add("{{ seq | printf \"%T %v\" }}", data=GF)
add("{{ urlJoin }}", data=GF)
add("{{ urlJoin | printf \"%T %v\" }}", data=GF)
add("{{ without }}", data=GF)
add("{{ without | printf \"%T %v\" }}", data=GF)
add("{{ pick }}", data=GF)
add("{{ pick | printf \"%T %v\" }}", data=GF)
add("{{ omit }}", data=GF)
add("{{ omit | printf \"%T %v\" }}", data=GF)
add("{{ dig }}", data=GF)
add("{{ dig | printf \"%T %v\" }}", data=GF)
add("{{ append }}", data=GF)
add("{{ append | printf \"%T %v\" }}", data=GF)
add("{{ prepend }}", data=GF)
add("{{ prepend | printf \"%T %v\" }}", data=GF)
add("{{ first }}", data=GF)
add("{{ first | printf \"%T %v\" }}", data=GF)
add("{{ ternary }}", data=GF)
add("{{ ternary | printf \"%T %v\" }}", data=GF)
add("{{ printf }}", data=GF)
add("{{ printf | printf \"%T %v\" }}", data=GF)
add("{{ html }}", data=GF)
add("{{ html | printf \"%T %v\" }}", data=GF)
add("{{ js }}", data=GF)
add("{{ js | printf \"%T %v\" }}", data=GF)
add("{{ urlquery }}", data=GF)
add("{{ urlquery | printf \"%T %v\" }}", data=GF)
add("{{ len }}", data=GF)
add("{{ len | printf \"%T %v\" }}", data=GF)
add("{{ not }}", data=GF)
add("{{ not | printf \"%T %v\" }}", data=GF)
add("{{ index }}", data=GF)
add("{{ index | printf \"%T %v\" }}", data=GF)
add("{{ slice }}", data=GF)
add("{{ slice | printf \"%T %v\" }}", data=GF)
add("{{ call }}", data=GF)
add("{{ call | printf \"%T %v\" }}", data=GF)
add("{{ eq }}", data=GF)
add("{{ eq | printf \"%T %v\" }}", data=GF)
add("{{ ne }}", data=GF)
add("{{ ne | printf \"%T %v\" }}", data=GF)
add("{{ lt }}", data=GF)
add("{{ lt | printf \"%T %v\" }}", data=GF)
add("{{ sha256sum }}", data=GF)
add("{{ sha256sum | printf \"%T %v\" }}", data=GF)
add("{{ trim }}", data=GF)
add("{{ trim | printf \"%T %v\" }}", data=GF)
add("{{ nospace }}", data=GF)
add("{{ nospace | printf \"%T %v\" }}", data=GF)
add("{{ until }}", data=GF)
add("{{ until | printf \"%T %v\" }}", data=GF)
add("{{ untilStep }}", data=GF)
add("{{ untilStep | printf \"%T %v\" }}", data=GF)
add("{{ add }}", data=GF)
add("{{ add | printf \"%T %v\" }}", data=GF)
add("{{ mul }}", data=GF)
add("{{ mul | printf \"%T %v\" }}", data=GF)
add("{{ sub }}", data=GF)
add("{{ sub | printf \"%T %v\" }}", data=GF)
add("{{ div }}", data=GF)
add("{{ div | printf \"%T %v\" }}", data=GF)
add("{{ addf }}", data=GF)
add("{{ addf | printf \"%T %v\" }}", data=GF)
add("{{ mulf }}", data=GF)
add("{{ mulf | printf \"%T %v\" }}", data=GF)
add("{{ hasKey }}", data=GF)
add("{{ hasKey | printf \"%T %v\" }}", data=GF)
add("{{ keys }}", data=GF)
add("{{ keys | printf \"%T %v\" }}", data=GF)
add("{{ values }}", data=GF)
add("{{ values | printf \"%T %v\" }}", data=GF)
add("{{ pluck }}", data=GF)
add("{{ pluck | printf \"%T %v\" }}", data=GF)
add("{{ sortAlpha }}", data=GF)
add("{{ sortAlpha | printf \"%T %v\" }}", data=GF)
add("{{ reverse }}", data=GF)
add("{{ reverse | printf \"%T %v\" }}", data=GF)
add("{{ chunk }}", data=GF)
add("{{ chunk | printf \"%T %v\" }}", data=GF)
add("{{ get }}", data=GF)
add("{{ get | printf \"%T %v\" }}", data=GF)
add("{{ set }}", data=GF)
add("{{ set | printf \"%T %v\" }}", data=GF)
add("{{ unset }}", data=GF)
add("{{ unset | printf \"%T %v\" }}", data=GF)
add("{{ deepCopy }}", data=GF)
add("{{ deepCopy | printf \"%T %v\" }}", data=GF)
add("{{ b64enc }}", data=GF)
add("{{ b64enc | printf \"%T %v\" }}", data=GF)
add("{{ toJson }}", data=GF)
add("{{ toJson | printf \"%T %v\" }}", data=GF)
add("{{ empty }}", data=GF)
add("{{ empty | printf \"%T %v\" }}", data=GF)
add("{{ default }}", data=GF)
add("{{ default | printf \"%T %v\" }}", data=GF)
add("{{ fail }}", data=GF)
add("{{ fail | printf \"%T %v\" }}", data=GF)
add("{{ semver }}", data=GF)
add("{{ semver | printf \"%T %v\" }}", data=GF)
add("{{ semverCompare }}", data=GF)
add("{{ semverCompare | printf \"%T %v\" }}", data=GF)
add("{{ regexMatch }}", data=GF)
add("{{ regexMatch | printf \"%T %v\" }}", data=GF)
add("{{ mustMerge }}", data=GF)
add("{{ mustMerge | printf \"%T %v\" }}", data=GF)
add("{{ mustAppend }}", data=GF)
add("{{ mustAppend | printf \"%T %v\" }}", data=GF)
add("{{ splitList }}", data=GF)
add("{{ splitList | printf \"%T %v\" }}", data=GF)
add("{{ trimAll }}", data=GF)
add("{{ trimAll | printf \"%T %v\" }}", data=GF)
add("{{ contains }}", data=GF)
add("{{ contains | printf \"%T %v\" }}", data=GF)
add("{{ squote }}", data=GF)
add("{{ squote | printf \"%T %v\" }}", data=GF)
add("{{ quote }}", data=GF)
add("{{ quote | printf \"%T %v\" }}", data=GF)
add("{{ indent }}", data=GF)
add("{{ indent | printf \"%T %v\" }}", data=GF)
add("{{ nindent }}", data=GF)
add("{{ nindent | printf \"%T %v\" }}", data=GF)
add("{{ repeat }}", data=GF)
add("{{ repeat | printf \"%T %v\" }}", data=GF)
add("{{ substr }}", data=GF)
add("{{ substr | printf \"%T %v\" }}", data=GF)
add("{{ ternary }}", data=GF)
add("{{ ternary | printf \"%T %v\" }}", data=GF)
add("{{ typeOf }}", data=GF)
add("{{ typeOf | printf \"%T %v\" }}", data=GF)
add("{{ kindOf }}", data=GF)
add("{{ kindOf | printf \"%T %v\" }}", data=GF)
add("{{ kindIs }}", data=GF)
add("{{ kindIs | printf \"%T %v\" }}", data=GF)
add("{{ typeIs }}", data=GF)
add("{{ typeIs | printf \"%T %v\" }}", data=GF)
add("{{ deepEqual }}", data=GF)
add("{{ deepEqual | printf \"%T %v\" }}", data=GF)
add("{{ toStrings }}", data=GF)
add("{{ toStrings | printf \"%T %v\" }}", data=GF)
add("{{ mustCompact }}", data=GF)
add("{{ mustCompact | printf \"%T %v\" }}", data=GF)
add("{{ mustUniq }}", data=GF)
add("{{ mustUniq | printf \"%T %v\" }}", data=GF)
add("{{ (semver \"1.2.3\").Major }}", data=GF)
add("{{ (semver \"1.2.3\").LessThan (semver \"1.3.0\") }}", data=GF)
add("{{ (semver \"1.2.3\").GreaterThan (semver \"1.0.0\") }}", data=GF)
add("{{ (semver \"1.2.3\").Equal (semver \"1.2.3\") }}", data=GF)
add("{{ (semver \"1.2.3\").Compare (semver \"1.2.4\") }}", data=GF)
add("{{ (semver \"1.2.3-rc.1+b\").Prerelease }}|{{ (semver \"1.2.3-rc.1+b\").Metadata }}", data=GF)
add("{{ (semver \"1.2.3\").IncMajor }}", data=GF)
add("{{ (semver \"1.2.3\").IncMinor.String }}", data=GF)
add("{{ (semver \"1.2.3\").IncPatch }}", data=GF)
add("{{ ((semver \"1.2.3\").SetPrerelease \"x\") }}", data=GF)
add("{{ (semver \"1.2.3\").SetMetadata \"m\" }}", data=GF)
add("{{ (semver \"v1.2\").String }}", data=GF)
add("{{ (semver \"v1.2\").Original }}", data=GF)
add("{{ semver \"1.2.3\" }}", data=GF)
add("{{ printf \"%v\" (semver \"1.2.3\") }}", data=GF)
add("{{ printf \"%T\" (semver \"1.2.3\") }}", data=GF)
add("{{ (semver \"1.2.3\").Segments }}", data=GF)
add("{{ (semver \"1.2.3\").MarshalJSON }}", data=GF)
add("{{ (semver \"1.2.3\") | toJson }}", data=GF)
add("{{ $v := semver \"1.2.3\" }}{{ $v.Minor }}{{ $v.Patch }}", data=GF)
add("{{ with semver \"2.0.0\" }}{{ .Major }}{{ end }}", data=GF)
add("{{ (semver \"1.2.3\").Nope }}", data=GF)
add("{{ (semver \"1.2.3\").LessThan \"1.0.0\" }}", data=GF)
add("{{ (semver \"1.2.3\").LessThan }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Year }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Month }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Weekday }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").YearDay }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Format \"Jan 2\" }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Unix }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").UTC }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").IsZero }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Day }}", data=GF)
add("{{ ((toDate \"2006-01-02\" \"2024-03-05\").AddDate 0 1 0).Format \"2006-01-02\" }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Before (toDate \"2006-01-02\" \"2025-01-01\") }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Sub (toDate \"2006-01-02\" \"2024-03-04\") }}", data=GF)
add("{{ ((toDate \"2006-01-02\" \"2024-03-05\").Add 3600000000000).Hour }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Month.String }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"x\").Year }}", data=GF)
add("{{ (urlParse \"http://h/p\").host }}", data=GF)
add("{{ (regexFindAll \"a\" \"aa\" -1) }}", data=GF)
add("{{ ((semver \"1.2.3\").IncMajor).Major }}", data=GF)
add("{{ (semverCompare \">1\" \"2.0.0\") }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Location }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Zone }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Nanosecond }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Equal (toDate \"2006-01-02\" \"2024-03-05\") }}", data=GF)
add("{{ (dateModify \"1h\" (toDate \"2006-01-02\" \"2024-03-05\")).Hour }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Truncate 86400000000000 }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").ISOWeek }}", data=GF)
add("{{ (toDate \"2006-01-02\" \"2024-03-05\").Clock }}", data=GF)
add("{{ concat | toJson }}", data={})
add("{{ concat | len }}", data={})
add("{{ if concat }}y{{ else }}n{{ end }}", data={})
add("{{ concat | empty }}", data={})
add("{{ concat | kindOf }}", data={})
add("{{ concat | typeOf }}", data={})
add("{{ concat | toString }}", data={})
add("{{ concat | toPrettyJson }}", data={})
add("{{ concat | first }}", data={})
add("{{ range concat }}x{{ else }}e{{ end }}", data={})
add("{{ concat (list) | toJson }}", data={})
add("{{ concat (list) (list) | printf \"%#v\" }}", data={})
add("{{ concat | printf \"%#v\" }}", data={})
add("{{ concat | deepEqual (list) }}", data={})
add("{{ concat | append 1 }}", data={})
add("{{ append concat 1 }}", data={})
add("{{ concat | join \",\" }}", data={})
add("{{ concat | uniq | toJson }}", data={})
add("{{ list | toJson }}", data={})
add("{{ dict | toJson }}", data={})
add("{{ merge dict | toJson }}", data={})
add("{{ tuple | toJson }}", data={})
add("{{ concat | toYaml }}", data={})
add("{{ concat | sortAlpha }}", data={})
add("{{ concat | compact | toJson }}", data={})
add("{{ concat | rest | toJson }}", data={})
add("{{ concat | reverse | toJson }}", data={})
add("{{ concat | has 1 }}", data={})
add("{{ concat | without 1 | toJson }}", data={})
add("{{ seq | toJson }}", data={})
add("{{ cat | toJson }}", data={})
add("{{ coalesce | toJson }}", data={})
add("{{ all | toJson }}", data={})
add("{{ any | toJson }}", data={})
add("{{ pick dict | toJson }}", data={})
add("{{ omit dict | toJson }}", data={})
add("{{ urlJoin dict }}", data={})
add("{{ printf \"%v|%d\" }}", data={})
add("{{ println }}", data={})
add("{{ print }}", data={})
add("{{ compact (list) | toJson }}", data={})
add("{{ mustConcat | toJson }}", data={})
add("{{ concat | mustToJson }}", data={})
add("{{ concat | slice }}", data={})
add("{{ index concat }}", data={})
add("{{ concat | last }}", data={})
add("{{ concat | initial | toJson }}", data={})
add("{{ list | rest | toJson }}", data={})
add("{{ list | initial | toJson }}", data={})
add("{{ list 1 | rest | toJson }}", data={})
add("{{ list 1 | initial | toJson }}", data={})
add("{{ list | compact | toJson }}", data={})
add("{{ list | uniq | toJson }}", data={})
add("{{ list | reverse | toJson }}", data={})
add("{{ list | sortAlpha | toJson }}", data={})
add("{{ list | without 1 | toJson }}", data={})
add("{{ concat | without 1 | printf \"%#v\" }}", data={})
add("{{ concat | compact | printf \"%#v\" }}", data={})
add("{{ concat | uniq | printf \"%#v\" }}", data={})
add("{{ concat | reverse | printf \"%#v\" }}", data={})
add("{{ concat | rest | printf \"%#v\" }}", data={})
add("{{ list | rest | printf \"%#v\" }}", data={})
add("{{ append concat 1 | printf \"%#v\" }}", data={})
add("{{ prepend concat 1 | printf \"%#v\" }}", data={})
add("{{ concat | sortAlpha | printf \"%#v\" }}", data={})
add("{{ concat | toStrings | printf \"%#v\" }}", data={})
add("{{ concat | mustRest | toJson }}", data={})
add("{{ concat | chunk 2 | toJson }}", data={})
add("{{ keys dict | toJson }}", data={})
add("{{ values dict | toJson }}", data={})
add("{{ pluck \"a\" | toJson }}", data={})
add("{{ splitList \",\" \"\" | toJson }}", data={})
add("{{ regexFindAll \"x\" \"a\" -1 | toJson }}", data={})
add("{{ regexSplit \"x\" \"\" -1 | toJson }}", data={})
add("{{ until 0 | toJson }}", data={})
add("{{ seq 0 | toJson }}", data={})
add("{{ list | toStrings | toJson }}", data={})
add("{{ concat | has nil }}", data={})
add("{{ concat | deepCopy | toJson }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Year }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Year | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Month }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Month | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Day }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Day | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Hour }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Hour | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Minute }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Minute | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Second }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Second | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Nanosecond }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Nanosecond | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").YearDay }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").YearDay | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Weekday }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Weekday | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Unix }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Unix | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").UnixMilli }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").UnixMilli | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").UnixMicro }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").UnixMicro | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").UnixNano }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").UnixNano | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").UTC }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").UTC | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Local }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Local | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").IsZero }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").IsZero | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Location }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Location | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Zone }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Zone | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").ISOWeek }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").ISOWeek | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Clock }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Clock | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Date }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Date | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").String }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").String | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Month.String }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Month.String | printf \"%T %v %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Weekday.String }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Weekday.String | printf \"%T %v %d\" }}", data={})
add("{{ eq (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Month 3 }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Month | int }}", data={})
add("{{ add (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Month 1 }}", data={})
add("{{ ((toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").AddDate 0 13 40).Format \"2006-01-02\" }}", data={})
add("{{ ((toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").AddDate -1 -3 -70) }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").AddDate 0 1 }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Add 1500000000 }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Add -86400000000000 }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Truncate 3600000000000 }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Round 3600000000000 }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Round 0 }}", data={})
add("{{ ((toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Sub (toDate \"2006-01-02\" \"2024-01-01\")) }}", data={})
add("{{ ((toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Sub (toDate \"2006-01-02\" \"2024-01-01\")).Hours }}", data={})
add("{{ ((toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Sub (toDate \"2006-01-02\" \"2024-01-01\")) | printf \"%T %d\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Before \"x\" }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Before }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Format }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").Nope }}", data={})
add("{{ (toDate \"2006-01-02\" \"2024-01-31\").AddDate 0 1 0 }}", data={})
add("{{ (toDate \"2006-01-02\" \"2024-02-29\").AddDate 1 0 0 }}", data={})
add("{{ (toDate \"2006-01-02 15:04:05\" \"2024-03-05 10:20:30\").After (toDate \"2006-01-02\" \"2024-01-01\") }}", data={})
add("{{ (semver \"v1.2.3\").IncMajor.Original }}", data={})
add("{{ (semver \"v1.2.3\").IncMajor | printf \"%T %v\" }}", data={})
add("{{ (semver \"v1.2.3-rc.1\").IncPatch }}", data={})
add("{{ (semver \"1.2.3\").SetPrerelease \"01\" }}", data={})
add("{{ (semver \"1.2.3\").SetPrerelease \"a_b\" }}", data={})
add("{{ (semver \"1.2.3\").SetMetadata \"a_b\" }}", data={})
add("{{ (semver \"1.2.3\").SetMetadata \"001\" }}", data={})
add("{{ (semver \"1.2.3\").SetPrerelease \"\" }}", data={})
add("{{ ((semver \"1.2.3\").SetPrerelease \"rc.1\").Prerelease }}", data={})
add("{{ (semver \"1.2.3\").IncMajor.LessThan (semver \"3.0.0\") }}", data={})
add("{{ (semver \"1.2.3\").LessThan ((semver \"1.0.0\").IncMajor) }}", data={})
add("{{ (semver \"1.2.3-alpha\").Compare (semver \"1.2.3-beta\") }}", data={})
add("{{ (semver \"1.2.3\").Compare (semver \"1.2.3+x\") }}", data={})
add("{{ (semver \"1.2.3\").Equal (semver \"v1.2.3\") }}", data={})
add("{{ (semver \"1.2.3\").MarshalText }}", data={})
add("{{ (semver \"1.2.3\").IncMinor.Major | printf \"%T\" }}", data={})
add("{{ $v := semver \"1.0.0\" }}{{ if $v.LessThan (semver \"2.0.0\") }}old{{ end }}", data={})
add("{{ (semver \"1.2.3\").Compare | printf \"%T\" }}", data={})
add("{{ (semver \"1.2.3\").IncMajor.IncMinor.IncPatch }}", data={})
add("{{ kindOf ((semver \"1.2.3\").IncMajor) }}", data={})
add("{{ (semver \"1.2.3\").IncMajor | toJson }}", data={})
add("{{ semver \"1.2.3\" | toJson }}", data={})
add("{{ (semver \"1.2.3\").Segments }}", data={})
add("{{ (semver \"1.2.3\").Value }}", data={})

# Regex neighbours: random RE2 patterns (classes, Unicode, flags, lazy and nested repetition, empty matches, astral
# runes) once checked against Go; the suite checks them again on every run.
REGEX_TEXTS = ["", "a\n", "a]b-c^d\\e{f}g", "aaa.b*c$x{2}", "abc aé_1 ſK\nKs\n", "line1\nline2\n\n", "Ω ω ΣςAb 12 ٣ ２ 😀😁😂 x"]
for tpl, text in [
    ("{{ regexSplit \"\\\\W*?\" .t -1 | printf \"%q\" }}", 5),
    ("{{ regexFind \"[^a]?[]a]{2}\" .t | printf \"%q\" }}", 6),
    ("{{ regexSplit \"(\\\\{+[]a]\\u00e9+(?i)\\\\W\\\\Q.*\\\\E*?){0,}}+\\\\d+?(?U)\\u00e9{0,}\" .t -1 | printf \"%q\" }}", 4),
    ("{{ regexReplaceAll \"[\\\\p{Lu}]?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 0),
    ("{{ regexFindAll \"[a-c]{1,2}(?P<g98>(?:\\\\B??\\\\b*|\\\\$*?){0,}\\\\z*?)*\\\\PL+a{,2}\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFind \"\\\\d*[a-]{0,}\\\\w*\" .t | printf \"%q\" }}", 0),
    ("{{ regexMatch \"(?i)$[a-c]{1,2}[\\\\D]*?}{0,}.\" .t | printf \"%q\" }}", 3),
    ("{{ regexMatch \"(?:(?U)\\\\{*?\\\\Q.*\\\\E*?\\\\{*??|\\\\b+{??)??.+([^\\\\s]??^+?)?\" .t | printf \"%q\" }}", 6),
    ("{{ regexMatch \"K*(?U)x{2}+\\\\pL?{0,}\" .t | printf \"%q\" }}", 3),
    ("{{ regexMatch \"\\\\$[]a][^]a]\" .t | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"\\\\w{2}\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexFindAll \"(?m:$)\\\\A\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexFind \"\\\\z??\" .t | printf \"%q\" }}", 5),
    ("{{ regexReplaceAll \"[^]a]{2}\\\\101+\\\\n?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 0),
    ("{{ regexSplit \"\\\\B+\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexFindAll \"\\\\S??\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexFindAll \"(?i:k){0,}\" .t -1 | printf \"%q\" }}", 4),
    ("{{ regexFind \"[^\\\\s]?\\\\pL*\\u017f*\\\\$\" .t | printf \"%q\" }}", 2),
    ("{{ regexFindAll \"\\u017f+\" .t -1 | printf \"%q\" }}", 4),
    ("{{ regexFindAll \"[]a]*\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexMatch \"(?m:$)\" .t | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"(?s:.)*\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexFind \"\\\\pN\\\\D?a\" .t | printf \"%q\" }}", 4),
    ("{{ regexSplit \"[\\\\D]\\\\PL+\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexSplit \"[\\\\d-]?\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFindAll \"(?:([[:alpha:]]{2})+?|\\\\w(?U)\\u00e9+?)??\\\\PL\" .t -1 | printf \"%q\" }}", 4),
    ("{{ regexSplit \"\\\\pL{1,2}\" .t -1 | printf \"%q\" }}", 4),
    ("{{ regexFindAll \"(?i:s)*\\\\x{e9}b\\\\A+?\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFindAll \"((?U)[^\\\\p{Ll}a]{2}[]a]+a{,2}??\\\\b+)?\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFindAll \"([^]a]*?([^]a]*(?i:k)+?\\\\PL{0,}(?m:$)*){2})*?\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexSplit \"(\\\\A{2})+\\\\w{2}(?i:s)[\\\\p{Lu}]??\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexFind \"\\\\PL\" .t | printf \"%q\" }}", 1),
    ("{{ regexFind \"((?:\\\\pL{2}|\\\\d{2}\\\\s[^a][\\\\d-]+)+)\" .t | printf \"%q\" }}", 6),
    ("{{ regexSplit \"\\\\S*?\\\\z{0,}(?:([\\\\p{Lu}]??}{0,}.[^a]{1,2})(?m:^)([^\\\\p{Ll}a]{2}.?\\\\d*?)|\\\\PL*?((?m:$){2}))??\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexMatch \"[[:digit:]_]{0,}\" .t | printf \"%q\" }}", 1),
    ("{{ regexSplit \"(?s:.){2}\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexMatch \"([[:digit:]_]?)+?[^\\\\s]{2}\" .t | printf \"%q\" }}", 1),
    ("{{ regexMatch \"\\\\z{2}(?s:.)*?[\\\\D]?\" .t | printf \"%q\" }}", 3),
    ("{{ regexReplaceAll \"\\\\101\\\\pN\" .t \"<$0|${1}>\" | printf \"%q\" }}", 1),
    ("{{ regexMatch \"[[:alpha:]]+\\\\pN\" .t | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"a\\\\$\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexMatch \"\\\\D{1,2}(?i)\\\\S+?^{0,}\" .t | printf \"%q\" }}", 2),
    ("{{ regexFindAll \"[\\\\D]{1,2}\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexReplaceAll \"(?s:.){2}\\\\n??\\\\x41??(\\\\b(?i)(?s:.)*?\\\\p{^L}+\\\\s??(?i)(?i:k){2}\\\\p{^L}*?([^a]*){1,2})?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 2),
    ("{{ regexMatch \"\\\\p{Greek}*\" .t | printf \"%q\" }}", 6),
    ("{{ regexReplaceAll \"[[:alpha:]]\" .t \"<$0|${1}>\" | printf \"%q\" }}", 6),
    ("{{ regexMatch \"[^\\\\p{Ll}a]+?[a-c]??[]a](?P<g24>((?m:^)??[\\\\d-]{1,2}\\\\w+)*(?:\\\\p{^L}[[:alpha:]]|b{1,2}\\\\b*\\\\B\\\\D*?){0,})+?\" .t | printf \"%q\" }}", 0),
    ("{{ regexSplit \"[a-c]{0,}\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexSplit \"\\\\pL+\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexReplaceAll \"\\\\W{0,}\\\\D+?[\\\\d-][^\\\\p{Ll}a]{0,}\" .t \"<$0|${1}>\" | printf \"%q\" }}", 3),
    ("{{ regexReplaceAll \"(?m:^){2}\\\\pN^+\" .t \"<$0|${1}>\" | printf \"%q\" }}", 2),
    ("{{ regexReplaceAll \"(?s:.)*\\\\101?}*\" .t \"<$0|${1}>\" | printf \"%q\" }}", 6),
    ("{{ regexFind \"[\\\\D]??\" .t | printf \"%q\" }}", 0),
    ("{{ regexReplaceAll \"\\\\.??[[:digit:]_]*?[\\\\p{Lu}]?\\\\x41+\" .t \"<$0|${1}>\" | printf \"%q\" }}", 2),
    ("{{ regexSplit \"([^a])\\\\x{e9}[]a]*?[\\\\d-]+\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexMatch \"\\u00e9\" .t | printf \"%q\" }}", 5),
    ("{{ regexSplit \"(\\\\b{0,}K{1,2}[\\\\D]{1,2}\\u017f)+\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexMatch \"\\\\Q.*\\\\E{0,}\" .t | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"}*?K+?\" .t -1 | printf \"%q\" }}", 4),
    ("{{ regexReplaceAll \"\\\\.*?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 1),
    ("{{ regexFind \"(\\\\Q.*\\\\E)\\u00e9*([^\\\\s]+?(?:[[:alpha:]]+?|.+)\\\\x{e9}+?)*\" .t | printf \"%q\" }}", 6),
    ("{{ regexReplaceAll \"(?m:$){2}{\" .t \"<$0|${1}>\" | printf \"%q\" }}", 3),
    ("{{ regexMatch \"(?U)[^\\\\s](?i)[a-]{2}?\\\\pL{0,}[^\\\\s]{1,2}*(?U)\\\\B{2}{0,}\" .t | printf \"%q\" }}", 2),
    ("{{ regexSplit \"\\\\n\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexFind \"\\\\D*K\" .t | printf \"%q\" }}", 5),
    ("{{ regexFindAll \"[-a]{0,}[a-c]??((\\\\pL[-a]?[a-c]{2}){0,}(.{1,2}){2}[\\\\d-]{2}[a-])+({??\\\\Q.*\\\\E{0,}(\\\\pN{0,}[a-]*b{1,2}){2})*\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexReplaceAll \"[\\\\p{Lu}]{1,2}a\" .t \"<$0|${1}>\" | printf \"%q\" }}", 6),
    ("{{ regexReplaceAll \"(?m:^)*(?:[a-c]*\\\\PL*?|\\\\b+?[]a])+(\\\\.*?[[:digit:]_]*)\\u00e9{0,}\" .t \"<$0|${1}>\" | printf \"%q\" }}", 4),
    ("{{ regexReplaceAll \"b??\" .t \"<$0|${1}>\" | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"[a-]{2}a{,2}\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexReplaceAll \"\\\\s{1,2}[^]a]+\" .t \"<$0|${1}>\" | printf \"%q\" }}", 0),
    ("{{ regexMatch \"([-a]b+\\\\d)+\\\\PL??a{,2}(?i)\\\\n\" .t | printf \"%q\" }}", 6),
    ("{{ regexReplaceAll \"(?m:^){2}\\\\b{0,}\" .t \"<$0|${1}>\" | printf \"%q\" }}", 5),
    ("{{ regexReplaceAll \"\\\\pN*\" .t \"<$0|${1}>\" | printf \"%q\" }}", 4),
    ("{{ regexFindAll \"(((?m:$)(?m:^){0,}(?m:$){2}){0,})+?(?U)[\\\\D]??[[:digit:]_]??\\\\101\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFind \"}{2}\" .t | printf \"%q\" }}", 3),
    ("{{ regexSplit \"[\\\\D]\\u00e9?\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFindAll \"\\\\n[\\\\d-]+(?:\\\\.[\\\\D]\\\\p{^L}|\\\\sK+?)+?\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexSplit \"\\\\x{e9}\\\\w??\\\\PL{1,2}a*\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFind \"}{0,}\\\\A?\" .t | printf \"%q\" }}", 6),
    ("{{ regexReplaceAll \"a\" .t \"<$0|${1}>\" | printf \"%q\" }}", 4),
    ("{{ regexMatch \"[a-c]??\" .t | printf \"%q\" }}", 4),
    ("{{ regexReplaceAll \"\\\\p{^L}??\" .t \"<$0|${1}>\" | printf \"%q\" }}", 4),
    ("{{ regexFind \"[^\\\\p{Ll}a]\" .t | printf \"%q\" }}", 1),
    ("{{ regexReplaceAll \"[[:alpha:]]+?\\\\x41*(?m:$)\" .t \"<$0|${1}>\" | printf \"%q\" }}", 5),
    ("{{ regexReplaceAll \"\\\\pL{0,}(?:\\\\d*\\\\z??|\\\\B?\\\\pN\\\\Q.*\\\\E\\\\Q.*\\\\E*)*(?m:$)\" .t \"<$0|${1}>\" | printf \"%q\" }}", 3),
    ("{{ regexSplit \"[^\\\\s]+?((\\u00e9){1,2}\\\\b(?:(?m:$)\\\\x{e9}??(?i:s)^|a\\\\x{e9}{1,2}}*?)*?{)?[-a]\\\\s*\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexFindAll \"(?i:s)(?i)(\\\\W*?[^\\\\s]{+){0,}(${0,}\\\\W{0,})*?\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexSplit \"[a-c]*(?P<g84>\\\\n.?).*(?:^{1,2}|([-a]\\\\x{e9}+?){2}\\\\d*\\\\s)+\" .t -1 | printf \"%q\" }}", 5),
    ("{{ regexFind \"([\\\\p{Lu}]{+?\\\\$*)a*\\\\x{e9}\" .t | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"[^]a]{2}(?U)\\\\{+\\u017f{0,}\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexMatch \"(?P<g12>\\\\Q.*\\\\E{0,}[\\\\D]{0,}[-a]?[\\\\p{Lu}]+)??\" .t | printf \"%q\" }}", 3),
    ("{{ regexMatch \"(((?i:s){0,}\\\\x41+?.??(?m:$)*?)+?\\\\.*?).\\\\s{1,2}\" .t | printf \"%q\" }}", 6),
    ("{{ regexSplit \"(?i:k)[\\\\p{Lu}][[:alpha:]]?\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexMatch \"(?s:.)(?:\\\\Q.*\\\\E\\\\S?}{2}|[^]a]+?)\" .t | printf \"%q\" }}", 0),
    ("{{ regexFindAll \"\\\\x41{0,}a{,2}{1,2}$*?\" .t -1 | printf \"%q\" }}", 5),
    ("{{ regexMatch \"(x{2}\\\\W+(?s:.)(\\\\s+?K?)*)*\" .t | printf \"%q\" }}", 3),
    ("{{ regexFind \"}??\\\\x41\\\\x{e9}{0,}\\\\Q.*\\\\E+\" .t | printf \"%q\" }}", 3),
    ("{{ regexSplit \"\\\\{?\\\\B*?\\\\x{e9}{0,}\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexMatch \"(?m:$)\" .t | printf \"%q\" }}", 3),
    ("{{ regexReplaceAll \"\\\\na{,2}*}+?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 2),
    ("{{ regexSplit \"\\\\x41\\\\z+?(?:\\\\x{e9}*?|[\\\\D][-a](?U)\\\\W{0,})\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexMatch \"\\\\{+?\\\\pL{0,}}{0,}\" .t | printf \"%q\" }}", 0),
    ("{{ regexMatch \"((?m:^)*(?i)[\\\\d-]??\\\\Q.*\\\\E*?$*)+(?:\\\\101?\\\\x41\\\\d+|\\u017f(?U)\\u017f*.{2}\\\\z{2})\" .t | printf \"%q\" }}", 5),
    ("{{ regexFindAll \"\\\\pN+?\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexFind \"\\\\z+?\" .t | printf \"%q\" }}", 5),
    ("{{ regexMatch \"(a{,2}{0,}(?:[\\\\p{Lu}]|\\\\x41{2}(?i:s)+}+?)?\\\\{?)+\" .t | printf \"%q\" }}", 3),
    ("{{ regexFind \"\\\\B{2}\" .t | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"[\\\\D]{2}[]a]{1,2}\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexMatch \"(?m:$)+\" .t | printf \"%q\" }}", 4),
    ("{{ regexFindAll \"\\\\n{2}\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFind \"(\\\\S*?(b*?(?m:^)??\\\\b*?)+?\\\\$?\\\\d*?)??(?U)(?:K+\\\\p{Greek}(?s:.){1,2}.|\\\\$){2}x{2}\" .t | printf \"%q\" }}", 0),
    ("{{ regexFindAll \"(\\\\s)??\\\\pL{2}[^\\\\p{Ll}a]{0,}\" .t -1 | printf \"%q\" }}", 4),
    ("{{ regexMatch \"\\\\{{1,2}\" .t | printf \"%q\" }}", 3),
    ("{{ regexSplit \"[a-c]+?\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexMatch \"\\\\PL?\\\\.(\\\\d{2}){0,}\" .t | printf \"%q\" }}", 5),
    ("{{ regexFind \"[^\\\\s]?\\\\n{0,}b*?\" .t | printf \"%q\" }}", 0),
    ("{{ regexFindAll \"(?P<g56>${2}(\\\\PL{1,2}[\\\\d-]{0,}(?i:s)a{,2}??)+)??$+((?P<g5>}\\\\pL)+?)??\" .t -1 | printf \"%q\" }}", 5),
    ("{{ regexFindAll \"(?P<g71>\\\\z??){0,}\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexFind \"[]a]{2}{\\\\A+(\\\\Q.*\\\\E\\\\B{1,2}(?:[-a]+[a-c]*?\\u00e9{1,2}|[\\\\D]+?){1,2}){0,}\" .t | printf \"%q\" }}", 5),
    ("{{ regexFind \"b{0,}K+\\\\B{2}\" .t | printf \"%q\" }}", 4),
    ("{{ regexFindAll \"\\\\d*\\\\W*?\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexMatch \"((\\\\n+?\\\\W+\\\\W+){0,}\\\\{?[^\\\\p{Ll}a]{0,})+?\\\\A??\" .t | printf \"%q\" }}", 5),
    ("{{ regexSplit \"(\\\\x{e9}+?(?m:$)*?(?s:.){2})*\\u017f\" .t -1 | printf \"%q\" }}", 5),
    ("{{ regexMatch \"\\\\W\" .t | printf \"%q\" }}", 6),
    ("{{ regexFind \"b\\\\p{^L}\\u017f*\" .t | printf \"%q\" }}", 2),
    ("{{ regexReplaceAll \"\\\\pL+?[^\\\\p{Ll}a]??\\u00e9??\" .t \"<$0|${1}>\" | printf \"%q\" }}", 6),
    ("{{ regexSplit \"((?m:$)+(x{2}(?i:k)){2}){2}(?i)$?(\\\\W+)*?\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"(?i)\\\\b*\\\\S{2}\\u017f+?\\\\z??\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexFind \"(?P<g83>(?i)(?s:.){1,2}\\\\pL+?\\\\pN[\\\\p{Lu}]+?\\u00e9*?[a-c]?)\" .t | printf \"%q\" }}", 1),
    ("{{ regexMatch \"\\\\s{2}\\\\p{Greek}{1,2}(?U)[\\\\p{Lu}]{1,2}[^\\\\s]??\" .t | printf \"%q\" }}", 1),
    ("{{ regexReplaceAll \"\\\\101?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 0),
    ("{{ regexSplit \"\\\\W+?\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexFind \"\\\\pL*\" .t | printf \"%q\" }}", 3),
    ("{{ regexMatch \"(?U)[\\\\p{Lu}]{2}+?[^]a]*?\\\\n*?[\\\\D]\" .t | printf \"%q\" }}", 5),
    ("{{ regexFindAll \"\\\\S?\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexReplaceAll \"(\\\\p{^L}{1,2}[\\\\d-]?(?i:s)+[\\\\D]??)[\\\\d-]\\\\d{0,}(?m:$){1,2}\" .t \"<$0|${1}>\" | printf \"%q\" }}", 4),
    ("{{ regexMatch \"(?i)\\\\b([^\\\\s]{0,})\\\\p{^L}a+?\" .t | printf \"%q\" }}", 1),
    ("{{ regexSplit \"[\\\\D]{0,}(?s:.)*\\\\pN?\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexMatch \"[\\\\p{Lu}]*?(?s:.)(?i)\\\\S{2}([\\\\D]{1,2}(?i:k){2}b+)\\\\x41??(?:\\\\n??aa{2}|[-a]+?\\\\w{1,2}\\\\p{Greek}*?){0,}\" .t | printf \"%q\" }}", 6),
    ("{{ regexSplit \"\\\\pL[^\\\\p{Ll}a]{1,2}\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexFindAll \"\\\\x41+?\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexReplaceAll \"\\\\B[\\\\p{Lu}]{0,}[\\\\d-]{1,2}^\" .t \"<$0|${1}>\" | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"}??\\u017f{1,2}\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexFind \"[^\\\\s]{2}\" .t | printf \"%q\" }}", 5),
    ("{{ regexFindAll \"[]a]+?\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexFind \"\\\\101{2}(\\\\S*?(?P<g93>}+)??[a-])+?\\\\x{e9}?[[:alpha:]]??\" .t | printf \"%q\" }}", 3),
    ("{{ regexFind \"[]a]{2}[]a]*?[^a]\" .t | printf \"%q\" }}", 0),
    ("{{ regexMatch \"\\\\pL{0,}\" .t | printf \"%q\" }}", 0),
    ("{{ regexMatch \"\\\\p{Greek}*[a-]+\\\\S?a\" .t | printf \"%q\" }}", 3),
    ("{{ regexMatch \"[^]a]*\" .t | printf \"%q\" }}", 1),
    ("{{ regexFind \"\\\\pN\" .t | printf \"%q\" }}", 5),
    ("{{ regexSplit \"(?U)((?s:.)*${2})+\\\\101(\\\\S+?b{0,}){2}\\\\s{*?\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexSplit \"(?i:k)+\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexReplaceAll \"\\\\x41*[^\\\\s]{2}\" .t \"<$0|${1}>\" | printf \"%q\" }}", 2),
    ("{{ regexSplit \"\\\\pL\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexReplaceAll \"[^\\\\s]??\" .t \"<$0|${1}>\" | printf \"%q\" }}", 1),
    ("{{ regexSplit \"[^a]\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexSplit \"[-a]*?\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexReplaceAll \"(?m:$)\\\\PL(\\\\Q.*\\\\E?[^\\\\s]{1,2})\" .t \"<$0|${1}>\" | printf \"%q\" }}", 1),
    ("{{ regexMatch \"(?i)(?i:s)\\\\p{^L}\" .t | printf \"%q\" }}", 5),
    ("{{ regexMatch \"\\\\s?(?i)(?s:.){1,2}(?:$??|\\\\z[]a]\\\\z{1,2}^)*?\\\\p{Greek}*?\" .t | printf \"%q\" }}", 4),
    ("{{ regexReplaceAll \"\\\\W?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 4),
    ("{{ regexMatch \"\\\\101+?\\\\d{1,2}\\\\d{2}\" .t | printf \"%q\" }}", 6),
    ("{{ regexFind \"(\\\\101{2}(?i:k)+?){1,2}\" .t | printf \"%q\" }}", 3),
    ("{{ regexFind \"[a-]*?\" .t | printf \"%q\" }}", 3),
    ("{{ regexMatch \"$+\" .t | printf \"%q\" }}", 3),
    ("{{ regexMatch \"[a-c]\\\\b{2}\\u00e9{0,}(?s:.){1,2}\" .t | printf \"%q\" }}", 0),
    ("{{ regexMatch \"\\\\W+((?s:.)*?)*\\\\PL?${1,2}\" .t | printf \"%q\" }}", 3),
    ("{{ regexSplit \"\\\\s??^\" .t -1 | printf \"%q\" }}", 5),
    ("{{ regexReplaceAll \"\\\\W+?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 0),
    ("{{ regexReplaceAll \"([[:digit:]_]+)*\\\\p{^L}??\\\\B^+\" .t \"<$0|${1}>\" | printf \"%q\" }}", 6),
    ("{{ regexMatch \"(\\\\s\\\\A{1,2}(\\\\p{^L}\\\\s??)+K)[-a]+?\" .t | printf \"%q\" }}", 0),
    ("{{ regexFind \"(\\\\x41??\\\\Q.*\\\\E+?\\\\B*(?:\\\\pN??[[:digit:]_][^a]+?|[^a]??\\\\pN{1,2}){0,})\" .t | printf \"%q\" }}", 0),
    ("{{ regexReplaceAll \"(?P<g73>\\\\pN?(?i:s))?\\\\sb{1,2}\\\\PL\" .t \"<$0|${1}>\" | printf \"%q\" }}", 4),
    ("{{ regexSplit \"\\\\{*\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFind \"\\\\{??\\\\S\\\\x{e9}{1,2}\" .t | printf \"%q\" }}", 2),
    ("{{ regexFind \"\\\\D[a-]*?[[:digit:]_]+?(?s:.)+?\" .t | printf \"%q\" }}", 3),
    ("{{ regexFind \"\\\\101[a-c]\" .t | printf \"%q\" }}", 5),
    ("{{ regexSplit \"K??.+\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexFind \"[[:digit:]_]+[^\\\\s]{2}^{1,2}[-a]??\" .t | printf \"%q\" }}", 4),
    ("{{ regexFindAll \"[^\\\\s]{1,2}\\\\$+?\\\\b\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexFindAll \"\\\\Q.*\\\\E?\\\\d\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexMatch \"\\\\pN{1,2}\" .t | printf \"%q\" }}", 5),
    ("{{ regexSplit \"$+\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexFindAll \"\\\\Q.*\\\\E((?m:^)+?)?(?:(\\\\p{Greek}?K{0,})+?\\\\x{e9}{2}|[^a]??(b?\\\\101+)(a{,2}[^]a]{1,2}^??){1,2}){0,}a\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexMatch \"(?i)[-a]{1,2}(?P<g46>\\\\D*){2}?\" .t | printf \"%q\" }}", 3),
    ("{{ regexSplit \"b+?\\\\b([a-c]??\\\\pN?(\\\\W{1,2}[^\\\\s]{2}[\\\\d-]*)){0,}\\\\n{1,2}\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexMatch \"[a-]+\\\\x{e9}+\\\\S{1,2}[[:alpha:]]{0,}\" .t | printf \"%q\" }}", 5),
    ("{{ regexFind \"\\\\p{Greek}{1,2}[^a]??\" .t | printf \"%q\" }}", 1),
    ("{{ regexSplit \"[\\\\D]{0,}[]a]*?\\\\p{^L}*?\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexReplaceAll \"\\\\x{e9}??\" .t \"<$0|${1}>\" | printf \"%q\" }}", 2),
    ("{{ regexSplit \"\\\\b\\\\A?(.{2}\\\\.{1,2})(?P<g52>(\\\\.{0,}[]a]{2}\\\\W?)){1,2}\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFind \"K{1,2}\\\\n{1,2}\" .t | printf \"%q\" }}", 3),
    ("{{ regexFind \"\\\\p{^L}[^\\\\s]+?\\\\{{0,}\" .t | printf \"%q\" }}", 2),
    ("{{ regexSplit \"\\\\p{^L}*?\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexFindAll \"(?m:^){0,}\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFindAll \"(?i)\\\\101\\\\S??[\\\\D]*.*}\\\\A{2}\" .t -1 | printf \"%q\" }}", 5),
    ("{{ regexReplaceAll \"[^\\\\s]\\\\Q.*\\\\E{0,}\" .t \"<$0|${1}>\" | printf \"%q\" }}", 6),
    ("{{ regexMatch \"\\\\W{0,}\\\\n\" .t | printf \"%q\" }}", 1),
    ("{{ regexFindAll \"(\\\\Q.*\\\\E(?i)(?m:^)[^a]{2}}*)?\\u00e9??\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexReplaceAll \"[\\\\d-]+(\\\\Q.*\\\\E)+?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 3),
    ("{{ regexFindAll \"\\\\{(\\\\.*)??^(?s:.)\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexSplit \"\\\\S??\" .t -1 | printf \"%q\" }}", 4),
    ("{{ regexFind \"(?:\\\\pL^+?\\\\S??\\u00e9{0,}|\\\\z*?)*?\" .t | printf \"%q\" }}", 4),
    ("{{ regexReplaceAll \".+?K[[:alpha:]]??\" .t \"<$0|${1}>\" | printf \"%q\" }}", 3),
    ("{{ regexSplit \"((?i)\\\\.*)\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexFindAll \"((?:\\\\PL*?\\\\101*[[:digit:]_]?|\\\\x41*\\\\p{Greek}+){2}([^\\\\s]{0,}\\\\101+\\\\x{e9}*?){1,2}${2}\\\\101)\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexSplit \"}[a-c]??\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexReplaceAll \".*?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 6),
    ("{{ regexSplit \"[a-c]\" .t -1 | printf \"%q\" }}", 4),
    ("{{ regexReplaceAll \"\\\\PL[a-c]+?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 0),
    ("{{ regexSplit \"(?P<g40>(\\\\Q.*\\\\E*){1,2})+[-a]?\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexMatch \"(?m:$){0,}\" .t | printf \"%q\" }}", 4),
    ("{{ regexMatch \"(\\\\n?[a-c])*\" .t | printf \"%q\" }}", 2),
    ("{{ regexFindAll \"a{,2}+?{[-a]{1,2}\\\\z+\" .t -1 | printf \"%q\" }}", 3),
    ("{{ regexFindAll \"\\\\S*[\\\\D]\\\\w?((?U)x{2}K+?\\\\{+\\\\b{1,2}^([^\\\\s]+}(?i:k){2})\\\\.{0,})\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexReplaceAll \"(\\\\.*\\\\pL\\\\s{1,2})\\\\B??\" .t \"<$0|${1}>\" | printf \"%q\" }}", 1),
    ("{{ regexFind \"[]a]+?\\\\b+?(\\\\x41?\\\\x41K?(K.*K[^\\\\s]*?))?\" .t | printf \"%q\" }}", 1),
    ("{{ regexReplaceAll \"[^a]+?((?U)\\\\x{e9}+?)*?\" .t \"<$0|${1}>\" | printf \"%q\" }}", 4),
    ("{{ regexReplaceAll \"(?:(\\\\B[^]a]?\\\\101??)|(?P<g35>\\\\b??){1,2}[^\\\\p{Ll}a]{2}((?m:^))){0,}\" .t \"<$0|${1}>\" | printf \"%q\" }}", 0),
    ("{{ regexMatch \"[a-c]+?\\\\p{Greek}??(?:[a-c][^a]{2}|\\\\d{0,}.*([^a]{2}\\\\A*)+?\\u00e9*?){0,}\" .t | printf \"%q\" }}", 6),
    ("{{ regexFindAll \"${2}[-a]?\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexSplit \"(?:\\u017f*\\\\{+\\u017f{0,}|\\\\$+)+\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexSplit \"(?U)(\\\\B\\\\x{e9}+?)+?\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexSplit \"(?m:^){1,2}\\\\z{1,2}(?s:.)*\" .t -1 | printf \"%q\" }}", 0),
    ("{{ regexSplit \"\\\\d{0,}\" .t -1 | printf \"%q\" }}", 2),
    ("{{ regexSplit \"(\\\\z*?)?\" .t -1 | printf \"%q\" }}", 5),
    ("{{ regexFindAll \"\\\\.+\\\\W\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexReplaceAll \"\\\\Q.*\\\\E??(?m:$){0,}\" .t \"<$0|${1}>\" | printf \"%q\" }}", 1),
    ("{{ regexMatch \"(?i:k){2}\" .t | printf \"%q\" }}", 1),
    ("{{ regexFindAll \"\\\\${0,}\" .t -1 | printf \"%q\" }}", 6),
    ("{{ regexSplit \"\\\\pN*?((\\\\w*){0,}\\\\.{2})+(?:((?i:k)*\\\\W{1,2}[a-c])?\\\\x{e9}+[\\\\p{Lu}]{2}|(\\\\p{Greek}*(?s:.)(?m:^){1,2})*[^\\\\s])${0,}\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexMatch \"((\\\\Q.*\\\\E?[-a]+[^\\\\p{Ll}a]??){1,2}(?:[a-]{1,2}[\\\\p{Lu}]+?\\\\p{^L}{0,}[\\\\d-]?|}{0,}[^]a]??)+)(a{2}[[:digit:]_]{1,2}(?i:s))\\\\101{2}\\\\D*\" .t | printf \"%q\" }}", 0),
    ("{{ regexFind \".\" .t | printf \"%q\" }}", 4),
    ("{{ regexFindAll \"[\\\\D]{1,2}\" .t -1 | printf \"%q\" }}", 1),
    ("{{ regexMatch \"a{,2}{0,}\" .t | printf \"%q\" }}", 5),
    ("{{ regexReplaceAll \"\\\\${2}\\\\$??\" .t \"<$0|${1}>\" | printf \"%q\" }}", 4),
    ("{{ regexFind \"^{1,2}[^\\\\p{Ll}a]+?((?s:.)??({*\\u00e9\\\\p{^L}??\\u00e9{2}){1,2}){0,}[\\\\p{Lu}]\" .t | printf \"%q\" }}", 0),
    ("{{ regexMatch \"[^\\\\s]*[\\\\p{Lu}]\" .t | printf \"%q\" }}", 3),
]:
    add(tpl, data={"t": REGEX_TEXTS[text]})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.jsonl")
with open(out, "w") as f:
    for c in cases:
        f.write(json.dumps(c, ensure_ascii=False) + "\n")
print(f"{len(cases)} cases -> {out}")
