// proxyload: a small closed-loop HTTP load generator that can go through an HTTP proxy, including CONNECT for
// https targets (wrk cannot use a proxy). Go's net/http keeps one tunnel per connection alive, as kubectl does.
// Usage: proxyload -url https://127.0.0.1:8443/ -proxy http://user:pass@127.0.0.1:8080 -ca ca.crt -c 16 -d 10s
// Prints: requests/s, p50, p99, errors (one line each).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"time"
)

func main() {
	target := flag.String("url", "", "target URL")
	proxy := flag.String("proxy", "", "proxy URL (userinfo becomes Proxy-Authorization)")
	caFile := flag.String("ca", "", "PEM file of CAs trusted for the target (or the intercepting proxy)")
	conns := flag.Int("c", 16, "concurrent connections")
	duration := flag.Duration("d", 10*time.Second, "duration")
	flag.Parse()

	tlsConfig := &tls.Config{}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tlsConfig.RootCAs = pool
	}
	transport := &http.Transport{TLSClientConfig: tlsConfig, MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns}
	if *proxy != "" {
		proxyURL, err := url.Parse(*proxy)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		transport.Proxy = http.ProxyURL(proxyURL)
	}
	client := &http.Client{Transport: transport}

	deadline := time.Now().Add(*duration)
	var mu sync.Mutex
	var latencies []time.Duration
	errors := 0
	var wg sync.WaitGroup
	for i := 0; i < *conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 100000)
			failed := 0
			for time.Now().Before(deadline) {
				start := time.Now()
				resp, err := client.Get(*target)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						failed++
					}
				}
				if err != nil {
					failed++
					continue
				}
				local = append(local, time.Since(start))
			}
			mu.Lock()
			latencies = append(latencies, local...)
			errors += failed
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	pick := func(q float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[int(q*float64(len(latencies)-1))]
	}
	fmt.Printf("requests/s %.0f\np50 %v\np99 %v\nerrors %d\n", float64(len(latencies))/duration.Seconds(), pick(0.50), pick(0.99), errors)
}
