#!/usr/bin/python3
"""A small CSI client on Debian's python3-grpcio: compiles the project's csi.proto at run time (grpc_tools)
and calls the driver over its unix socket as kubelet does.

  csi_client.py --proto Connectors.Modules/Csi/csi.proto --target unix:///tmp/csi.sock \
      --method csi.v1.Node/NodeGetInfo --data '{}'

Prints the response as JSON; on an error status prints "RPC ERROR <CODE> <details>" and exits 1.
"""
import argparse
import importlib
import json
import os
import sys
import tempfile

import grpc
from google.protobuf import json_format

PROTO_INCLUDE = "/usr/lib/python3/dist-packages/grpc_tools/_proto"


def compile_proto(proto, out_dir):
    """Generates csi_pb2 into out_dir with Debian's grpc_tools and imports it."""
    from grpc_tools import protoc
    proto = os.path.abspath(proto)
    args = ["protoc", "-I" + os.path.dirname(proto), "-I" + PROTO_INCLUDE, "--python_out=" + out_dir, proto]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed for " + proto)
    sys.path.insert(0, out_dir)
    return importlib.import_module(os.path.splitext(os.path.basename(proto))[0] + "_pb2")


class CsiClient:
    """Unary calls by method name ("csi.v1.Node/NodePublishVolume") with JSON-shaped requests."""

    def __init__(self, pb2, target, authority=None, timeout=30):
        self.pb2 = pb2
        self.timeout = timeout
        options = [("grpc.default_authority", authority)] if authority else []
        self.channel = grpc.insecure_channel(target, options=options)

    def call(self, method, request):
        """Returns (ok, response-dict or (code-name, details))."""
        service, name = method.split("/")
        descriptor = self.pb2.DESCRIPTOR.services_by_name[service.split(".")[-1]].methods_by_name[name]
        request_type = getattr(self.pb2, descriptor.input_type.name)
        response_type = getattr(self.pb2, descriptor.output_type.name)
        stub = self.channel.unary_unary("/" + method, request_serializer=request_type.SerializeToString,
                                        response_deserializer=response_type.FromString)
        try:
            response = stub(json_format.ParseDict(request, request_type()), timeout=self.timeout)
            return True, json_format.MessageToDict(response)
        except grpc.RpcError as e:
            return False, (e.code().name, e.details())

    def call_raw(self, path, payload=b""):
        """Calls any path with raw bytes (for methods the proto does not have)."""
        stub = self.channel.unary_unary(path, request_serializer=lambda b: b, response_deserializer=lambda b: b)
        try:
            return True, stub(payload, timeout=self.timeout)
        except grpc.RpcError as e:
            return False, (e.code().name, e.details())

    def close(self):
        self.channel.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--proto", required=True)
    parser.add_argument("--target", required=True, help="unix:///path/to/csi.sock")
    parser.add_argument("--method", required=True, help="csi.v1.Service/Method")
    parser.add_argument("--data", default="{}")
    parser.add_argument("--authority")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        client = CsiClient(compile_proto(args.proto, out), args.target, args.authority)
        ok, result = client.call(args.method, json.loads(args.data))
        client.close()
    if not ok:
        print("RPC ERROR %s %s" % result)
        return 1
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
