// Command gotmpl is the reference renderer of the template conformance suite: real Go text/template with
// sprig's TxtFuncMap, fed JSON lines and answering JSON lines, so the C# engine can be compared byte for byte.
//
// Build (GOPATH mode, Debian packages golang-go and golang-github-masterminds-sprig-dev):
//
//	mkdir -p "$TMP/gopath/src" && ln -s "$PWD/e2e/oracle/gotmpl/types" "$TMP/gopath/src/connectorsoracle"
//	GO111MODULE=off GOPATH="$TMP/gopath:/usr/share/gocode" go build -o "$TMP/gotmpl" e2e/oracle/gotmpl/main.go
//
// The probe data types live in packages v1alpha1 and v1 (types/) so that Go names them as the controller's
// real types are named in error messages (v1alpha1.ConnectorSpec, *v1.Secret).
//
// Modes:
//
//	gotmpl -funcs                      print the sorted names of sprig.TxtFuncMap(), one per line
//	gotmpl -batch < cases.jsonl        one result line per case: {"id","output","error"}
//	gotmpl -bench N < cases.jsonl      parse every case once, render the corpus N times, print the timing
//
// A case is {"id":"x","name":"tpl","template":"...","data":{...},"options":["missingkey=error"],"probe":false}.
// With "probe":true the data {"connector":{...},"secret":{...}|null} is decoded into Go structs shaped like the
// controller's probe data (.Connector.Spec.Auth.Params[].Value.StringVal, .Secret.StringData.key, nil .Secret).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"syscall"
	"text/template"
	"time"

	"connectorsoracle/v1"
	"connectorsoracle/v1alpha1"

	"github.com/Masterminds/sprig"
)

type testCase struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Template string          `json:"template"`
	Data     json.RawMessage `json:"data"`
	Options  []string        `json:"options"`
	Probe    bool            `json:"probe"`
}

type result struct {
	ID     string `json:"id"`
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

type probeData struct {
	Connector *v1alpha1.Connector
	Secret    *v1.Secret
}

type prepared struct {
	c    testCase
	tmpl *template.Template
	data interface{}
	err  error
}

var funcs = sprig.TxtFuncMap()

func decodeData(c testCase) (interface{}, error) {
	if c.Probe {
		var raw struct {
			Connector *v1alpha1.Connector `json:"connector"`
			Secret    map[string]string   `json:"secret"`
		}
		if err := json.Unmarshal(c.Data, &raw); err != nil {
			return nil, err
		}
		d := probeData{Connector: raw.Connector}
		if raw.Secret != nil {
			d.Secret = &v1.Secret{Type: "Opaque", StringData: raw.Secret}
		}
		return d, nil
	}
	var data interface{}
	if len(c.Data) == 0 {
		return nil, nil
	}
	err := json.Unmarshal(c.Data, &data)
	return data, err
}

func prepare(c testCase) (p prepared) {
	p.c = c
	name := c.Name
	if name == "" {
		name = "tpl"
	}
	data, err := decodeData(c)
	if err != nil {
		p.err = fmt.Errorf("bad data: %v", err)
		return
	}
	p.data = data
	defer func() {
		if r := recover(); r != nil {
			p.err = fmt.Errorf("panic: %v", r)
		}
	}()
	t := template.New(name).Funcs(funcs)
	if len(c.Options) > 0 {
		t = t.Option(c.Options...)
	}
	p.tmpl, p.err = t.Parse(c.Template)
	return
}

func render(p prepared, sb *strings.Builder) (out string, err error) {
	if p.err != nil {
		return "", p.err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	sb.Reset()
	err = p.tmpl.Execute(sb, p.data)
	return sb.String(), err
}

func readCases(r io.Reader) ([]testCase, error) {
	var cases []testCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c testCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("bad case line %q: %v", line, err)
		}
		cases = append(cases, c)
	}
	return cases, sc.Err()
}

// cpuSeconds is the user+system CPU time of the process, so a benchmark on a shared machine measures work, not waiting.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func main() {
	listFuncs := flag.Bool("funcs", false, "print the sprig function names")
	batch := flag.Bool("batch", false, "render JSON-lines cases from stdin")
	bench := flag.Int("bench", 0, "render the corpus from stdin this many times and print the timing")
	flag.Parse()
	switch {
	case *listFuncs:
		names := make([]string, 0, len(funcs))
		for n := range funcs {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Println(strings.Join(names, "\n"))
	case *batch:
		cases, err := readCases(os.Stdin)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		w := bufio.NewWriter(os.Stdout)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		var sb strings.Builder
		for _, c := range cases {
			out, err := render(prepare(c), &sb)
			r := result{ID: c.ID, Output: out}
			if err != nil {
				r.Output, r.Error = "", err.Error()
			}
			_ = enc.Encode(r)
		}
		_ = w.Flush()
	case *bench > 0:
		cases, err := readCases(os.Stdin)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ps := make([]prepared, len(cases))
		for i, c := range cases {
			ps[i] = prepare(c)
		}
		var sb strings.Builder
		renders, bytes := 0, 0
		cpuStart := cpuSeconds()
		start := time.Now()
		for n := 0; n < *bench; n++ {
			for _, p := range ps {
				out, _ := render(p, &sb)
				renders++
				bytes += len(out)
			}
		}
		elapsed := time.Since(start)
		cpu := cpuSeconds() - cpuStart
		fmt.Printf("{\"engine\":\"go\",\"renders\":%d,\"bytes\":%d,\"seconds\":%.6f,\"rendersPerSecond\":%.0f,\"cpuSeconds\":%.6f,\"rendersPerCpuSecond\":%.0f}\n",
			renders, bytes, elapsed.Seconds(), float64(renders)/elapsed.Seconds(), cpu, float64(renders)/cpu)
	default:
		fmt.Fprintln(os.Stderr, "usage: gotmpl -funcs | -batch | -bench N  (cases as JSON lines on stdin)")
		os.Exit(2)
	}
}
