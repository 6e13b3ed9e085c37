"""What grpcurl does, done with Debian's python3-grpcio: the fallback for a
machine without grpcurl (see grpcurl_cli.find_grpcurl).

  grpcurl -plaintext ADDRESS list
      lists the services through server reflection;
  grpcurl -plaintext ADDRESS describe SYMBOL
      resolves SYMBOL through reflection (file_containing_symbol, then
      file_by_filename for any import the server did not send) and builds
      the files into a descriptor pool, as grpcurl must before it can print
      them;
  grpcurl -plaintext -d 'JSON' ADDRESS pkg.Service/Method
      parses JSON into the method's request with the proto3 JSON mapping
      and calls the method. A server stream, which grpcurl prints until
      Ctrl-C, is read until it falls silent and then cancelled.

Where grpcurl's JSON differs from python's, the replay follows grpcurl: a
FieldMask is written as an object, {"paths":["a_b"]} (grpcurl v1.9.1
refuses the string form "aB" that python's json_format expects).
"""

import importlib
import json
import pathlib
import queue
import threading

import grpc
from google.protobuf import descriptor_pb2
from google.protobuf import descriptor_pool
from google.protobuf import json_format
from google.protobuf import message_factory
from google.protobuf import symbol_database
from grpc_std import reflection_pb2
from grpc_std import reflection_pb2_grpc

import harness
from grpcurl_cli import RpcFailed
from harness import RPC_TIMEOUT

# A stream that sends nothing for this long has sent what there is; it is
# then cancelled, as a grpcurl user presses Ctrl-C.
STREAM_IDLE = 1.0


class UnknownMethod(AssertionError):
    """The command names a method the generated stubs do not have."""


def import_generated_modules():
    """Imports every *_pb2 module next to the salesmeet stubs (build/py), so
    that the default descriptor pool knows every message a command uses."""
    import salesmeet.participant.v1.participant_service_pb2 as anchor
    root = pathlib.Path(anchor.__file__).resolve().parents[3]
    for path in sorted(root.rglob("*_pb2.py")):
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        importlib.import_module(module)


def reflection_files(channel, **request):
    """The FileDescriptorProtos one reflection request returns."""
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = stub.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(**request)]),
        timeout=RPC_TIMEOUT)
    files = []
    for response in responses:
        if response.HasField("error_response"):
            raise AssertionError(f"reflection error for {request}: "
                                 f"{response.error_response.error_message}")
        raw = response.file_descriptor_response.file_descriptor_proto
        files.extend(descriptor_pb2.FileDescriptorProto.FromString(r)
                     for r in raw)
    return files


def describe(channel, symbol):
    """The file defining symbol and every file it imports, from reflection,
    built into a descriptor pool. Returns the defining file's name; raises
    AssertionError when reflection cannot provide it."""
    files = {f.name: f
             for f in harness.file_descriptors_containing(channel, symbol)}
    if not files:
        raise AssertionError(f"reflection returned no file for {symbol}")
    missing = [d for f in files.values() for d in f.dependency
               if d not in files]
    while missing:
        name = missing.pop()
        if name in files:
            continue
        fetched = reflection_files(channel, file_by_filename=name)
        if not any(f.name == name for f in fetched):
            raise AssertionError(f"reflection does not serve {name}, "
                                 f"imported by the files defining {symbol}")
        for f in fetched:
            files.setdefault(f.name, f)
            missing.extend(d for d in f.dependency if d not in files)
    pool, added = descriptor_pool.DescriptorPool(), set()

    def add(name):  # Imports first, as a pool requires.
        if name not in added:
            added.add(name)
            for dependency in files[name].dependency:
                add(dependency)
            pool.Add(files[name])

    for name in files:
        add(name)
    try:
        return pool.FindFileContainingSymbol(symbol).name
    except KeyError:
        raise AssertionError(
            f"reflection's files do not define {symbol}") from None


def message_class(descriptor):
    """The generated class for a message descriptor of the default pool."""
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(descriptor)
    return symbol_database.Default().GetPrototype(descriptor)


def method_descriptor(target):
    """The MethodDescriptor for "pkg.Service/Method" from the stubs."""
    service_name, method_name = target.rsplit("/", 1)
    try:
        service = descriptor_pool.Default().FindServiceByName(service_name)
    except KeyError:
        raise UnknownMethod(f"no service {service_name} in the generated "
                            "stubs") from None
    method = service.methods_by_name.get(method_name)
    if method is None:
        raise UnknownMethod(f"{service_name} has no method {method_name}")
    if method.client_streaming:
        raise UnknownMethod(f"{target} takes a stream; one request per call "
                            "is sent")
    return method


def _lower_camel(path):
    head, *rest = path.split("_")
    return head + "".join(part.capitalize() for part in rest)


def field_masks_as_strings(value, descriptor):
    """value (parsed JSON for a message of `descriptor`) with every FieldMask
    written as grpcurl takes it, {"paths": [...]}, rewritten to the string
    python's json_format takes."""
    if not isinstance(value, dict):
        return value
    if descriptor.full_name == "google.protobuf.FieldMask":
        paths = value.get("paths", [])
        return ",".join(".".join(_lower_camel(p) for p in path.split("."))
                        for path in paths)
    fields = {f.json_name: f for f in descriptor.fields}
    fields.update({f.name: f for f in descriptor.fields})
    out = {}
    for key, item in value.items():
        field = fields.get(key)
        if field is None or field.message_type is None:
            out[key] = item
        elif isinstance(item, list):
            out[key] = [field_masks_as_strings(i, field.message_type)
                        for i in item]
        else:
            out[key] = field_masks_as_strings(item, field.message_type)
    return out


def read_stream(call):
    """The messages a server stream sends until it falls silent (the first
    may take up to RPC_TIMEOUT), after which the call is cancelled. Raises
    the call's error if it fails first."""
    arrivals = queue.Queue()

    def pump():
        try:
            for message in call:
                arrivals.put(message)
        except grpc.RpcError as error:
            arrivals.put(error)
        arrivals.put(None)

    threading.Thread(target=pump, daemon=True).start()
    messages = []
    while True:
        try:
            item = arrivals.get(
                timeout=STREAM_IDLE if messages else RPC_TIMEOUT)
        except queue.Empty:
            call.cancel()
            return messages
        if item is None:
            return messages
        if isinstance(item, grpc.RpcError):
            raise item
        messages.append(item)


def invoke(channel, target, data):
    """Calls target ("pkg.Service/Method") with the JSON request `data`.
    Returns the response as proto3 JSON (for a server stream, its first
    message), or raises RpcFailed."""
    method = method_descriptor(target)
    request_type = message_class(method.input_type)
    response_type = message_class(method.output_type)
    request = json_format.ParseDict(
        field_masks_as_strings(json.loads(data), method.input_type),
        request_type())
    make_call = (channel.unary_stream if method.server_streaming
                 else channel.unary_unary)
    call = make_call(f"/{target}",
                     request_serializer=request_type.SerializeToString,
                     response_deserializer=response_type.FromString)
    try:
        if not method.server_streaming:
            return json_format.MessageToDict(call(request, timeout=RPC_TIMEOUT))
        messages = read_stream(call(request))
    except grpc.RpcError as error:
        raise RpcFailed(harness.rich_error(error)) from None
    if not messages:
        raise AssertionError(f"{target} sent nothing within "
                             f"{RPC_TIMEOUT:.0f}s")
    return json_format.MessageToDict(messages[0])
