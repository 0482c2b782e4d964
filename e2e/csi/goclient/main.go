// Command csigo calls every method of a CSI driver over its unix socket with grpc-go (Debian
// golang-google-grpc-dev), the gRPC implementation kubelet and the CSI sidecars use, dialing as kubelet >= 1.26
// does (the bare socket path with a unix dialer and :authority "localhost"). Requests are encoded with
// protowire, so no generated code is needed; the field numbers are the CSI specification's.
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o csigo e2e/csi/goclient/main.go
//	csigo -sock /tmp/csi.sock -target /tmp/pods/p/mount -connectors gitlab -ns quickstart -sa builder [-authority localhost]
//	csigo -sock /tmp/csi.sock -authority /tmp/csi.sock -info-only     # what older clients send
//
// Prints one line per call and exits 1 when any call did not answer as expected.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
)

// bytesCodec sends and receives already encoded protobuf messages.
type bytesCodec struct{}

func (bytesCodec) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (bytesCodec) Unmarshal(data []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (bytesCodec) Name() string { return "proto" }

func str(b []byte, field protowire.Number, value string) []byte {
	b = protowire.AppendTag(b, field, protowire.BytesType)
	return protowire.AppendString(b, value)
}

func msg(b []byte, field protowire.Number, inner []byte) []byte {
	b = protowire.AppendTag(b, field, protowire.BytesType)
	return protowire.AppendBytes(b, inner)
}

// fields decodes the top level of a message: field number -> raw bytes (length-delimited) or varint.
func fields(b []byte) (map[protowire.Number][]byte, map[protowire.Number]uint64) {
	bytesFields, varints := map[protowire.Number][]byte{}, map[protowire.Number]uint64{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return bytesFields, varints
		}
		b = b[n:]
		switch typ {
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			bytesFields[num], b = v, b[m:]
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			varints[num], b = v, b[m:]
		default:
			m := protowire.ConsumeFieldValue(num, typ, b)
			b = b[m:]
		}
	}
	return bytesFields, varints
}

func publishRequest(volumeID, target string, context map[string]string) []byte {
	var b []byte
	b = str(b, 1, volumeID)
	b = str(b, 4, target)
	var accessMode []byte
	accessMode = protowire.AppendTag(accessMode, 1, protowire.VarintType)
	accessMode = protowire.AppendVarint(accessMode, 1) // SINGLE_NODE_WRITER, as kubelet sends for inline volumes
	var capability []byte
	capability = msg(capability, 2, nil) // mount {}
	capability = msg(capability, 3, accessMode)
	b = msg(b, 5, capability)
	b = protowire.AppendTag(b, 6, protowire.VarintType)
	b = protowire.AppendVarint(b, 1) // readonly
	for k, v := range context {
		b = msg(b, 8, str(str(nil, 1, k), 2, v))
	}
	return b
}

func main() {
	sock := flag.String("sock", "", "unix socket path")
	authority := flag.String("authority", "localhost", ":authority to send")
	target := flag.String("target", "", "target directory to publish into")
	connectors := flag.String("connectors", "", "connectors volume attribute")
	ns := flag.String("ns", "default", "pod namespace")
	sa := flag.String("sa", "default", "pod ServiceAccount")
	configs := flag.String("configs", "", "configuration.names volume attribute")
	infoOnly := flag.Bool("info-only", false, "only call GetPluginInfo")
	flag.Parse()

	dialer := func(ctx context.Context, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", *sock)
	}
	conn, err := grpc.Dial(*sock, grpc.WithInsecure(), grpc.WithContextDialer(dialer), grpc.WithAuthority(*authority),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(bytesCodec{})))
	if err != nil {
		fmt.Println("dial:", err)
		os.Exit(1)
	}
	defer conn.Close()

	failed := false
	call := func(method string, request []byte, want codes.Code) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var reply []byte
		err := conn.Invoke(ctx, method, &request, &reply)
		code := status.Code(err)
		if code != want {
			failed = true
			fmt.Printf("FAIL %s: want %s, got %v\n", method, want, err)
			return nil
		}
		fmt.Printf("ok   %s -> %s %s\n", method, code, status.Convert(err).Message())
		return reply
	}

	info := call("/csi.v1.Identity/GetPluginInfo", nil, codes.OK)
	if b, _ := fields(info); string(b[1]) != "connectors-csi" {
		failed = true
		fmt.Printf("FAIL GetPluginInfo name %q\n", b[1])
	} else {
		fmt.Printf("     name=%s version=%s\n", b[1], b[2])
	}
	if *infoOnly {
		if failed {
			os.Exit(1)
		}
		return
	}
	call("/csi.v1.Identity/GetPluginCapabilities", nil, codes.OK)
	probe := call("/csi.v1.Identity/Probe", nil, codes.OK)
	if b, _ := fields(probe); true {
		_, ready := fields(b[1])
		if ready[1] != 1 {
			failed = true
			fmt.Println("FAIL Probe: not ready")
		}
	}
	call("/csi.v1.Node/NodeGetCapabilities", nil, codes.OK)
	node := call("/csi.v1.Node/NodeGetInfo", nil, codes.OK)
	if b, _ := fields(node); len(b[1]) == 0 {
		failed = true
		fmt.Println("FAIL NodeGetInfo: no node id")
	} else {
		fmt.Printf("     node_id=%s\n", b[1])
	}
	volumeContext := map[string]string{
		"csi.storage.k8s.io/ephemeral":           "true",
		"csi.storage.k8s.io/pod.name":            "go-client",
		"csi.storage.k8s.io/pod.namespace":       *ns,
		"csi.storage.k8s.io/pod.uid":             "00000000-0000-0000-0000-00000000g0",
		"csi.storage.k8s.io/serviceAccount.name": *sa,
		"connectors":                             *connectors,
		"configuration.names":                    *configs,
	}
	call("/csi.v1.Node/NodePublishVolume", publishRequest("csi-go", *target, volumeContext), codes.OK)
	if _, err := os.Stat(*target + "/context.token"); err != nil {
		failed = true
		fmt.Println("FAIL NodePublishVolume wrote no context.token:", err)
	}
	missing := map[string]string{"csi.storage.k8s.io/pod.namespace": *ns, "csi.storage.k8s.io/serviceAccount.name": *sa}
	call("/csi.v1.Node/NodePublishVolume", publishRequest("csi-go-bad", *target+"-bad", missing), codes.InvalidArgument)
	unpublish := str(str(nil, 1, "csi-go"), 2, *target)
	call("/csi.v1.Node/NodeUnpublishVolume", unpublish, codes.OK)
	call("/csi.v1.Node/NodeUnpublishVolume", unpublish, codes.OK)
	call("/csi.v1.Controller/CreateVolume", nil, codes.Unimplemented)
	if failed {
		os.Exit(1)
	}
}
