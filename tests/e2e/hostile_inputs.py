"""Hostile requests for the end-to-end hostile-input battery
(hostile_inputs_e2e_test.py), generated from protobuf descriptors so that a
new RPC or a new field is attacked without anyone listing it here.

  * services() finds every salesmeet service in the generated Python
    modules (build/py/salesmeet), with each method's request class.
  * field_mutations() walks a valid request of a method (or an empty one)
    and returns every way of making one of its fields hostile: huge and
    NUL-laden strings, invalid names, extreme integers, unknown enum
    numbers, non-finite doubles, 10k and 100k element lists, out-of-range
    Timestamp, Duration and Money values, many or huge map keys. mutated()
    applies one to a copy of a baseline request.
  * raw_probes() yields payloads that are not, or barely, a request at all:
    random bytes, truncations, bad lengths, invalid UTF-8, nesting bombs.
  * output_only_fields() reads "Output only." off the .proto comments, as
    the generated code keeps no comments; a server may ignore such a field,
    so a hostile value in it is not expected to be refused.

Nothing here talks to a server; the test does.
"""

import dataclasses
import importlib
import math
import os
import random
import re
import zlib

from google.protobuf import descriptor
from google.protobuf import symbol_database

INT32_MIN, INT32_MAX = -2**31, 2**31 - 1
INT64_MIN, INT64_MAX = -2**63, 2**63 - 1
UINT32_MAX, UINT64_MAX = 2**32 - 1, 2**64 - 1

# Deeper than any request of ours nests (CreateMeetingRequest.meeting.
# attendees[0].snapshot.hourly_cost is depth 3), shallow enough to end.
MAX_DEPTH = 4

# gRPC's default limit on a received message is 4 MiB. A probe must stay
# under it, or the server's transport refuses it before the service sees it.
MAX_PAYLOAD = 4 * 1024 * 1024 - 64 * 1024

# The valid ranges of the well-known types (google/protobuf/timestamp.proto,
# duration.proto, google/type/money.proto).
TIMESTAMP_MIN_SECONDS = -62135596800   # 0001-01-01T00:00:00Z
TIMESTAMP_MAX_SECONDS = 253402300799   # 9999-12-31T23:59:59Z
DURATION_MAX_SECONDS = 315576000000    # 10,000 years
NANOS_PER_SECOND = 10**9

# Random bytes come from a fixed seed (mixed with the method's name), so
# every run sends the same requests and a finding can be replayed.
SEED = 20270610

FD = descriptor.FieldDescriptor


@dataclasses.dataclass(frozen=True)
class Method:
    """One RPC: "/package.Service/Method", its message classes and shape."""
    service: str
    name: str
    request_class: type
    response_class: type
    server_streaming: bool = False
    client_streaming: bool = False

    @property
    def path(self):
        return f"/{self.service}/{self.name}"

    @property
    def short(self):
        """"Service/Method" without the package, for reports."""
        return f"{self.service.rsplit('.', 1)[-1]}/{self.name}"


@dataclasses.dataclass(frozen=True)
class Mutation:
    """One hostile change to a request. label says what it does
    ("meeting.title=NUL inside"); apply(request) makes it on a copy of a
    baseline. must_reject is set when the value is invalid by any reading
    (a NUL, a string or a list longer than any field of ours allows, a
    Timestamp outside the years 1 to 9999 ...) and sits in a field the server
    must read, so a server that accepts it has a defect."""
    label: str
    apply: object
    must_reject: bool = False


@dataclasses.dataclass(frozen=True)
class RawProbe:
    """A payload sent as is, undecodable or barely decodable."""
    label: str
    payload: bytes


# -- finding the services -----------------------------------------------------

def import_salesmeet_modules():
    """Imports every generated salesmeet *_pb2 module, so that their
    services and messages are in the default descriptor pool."""
    import salesmeet
    modules = []
    # The generated packages have no __init__.py, which pkgutil cannot walk.
    for root in salesmeet.__path__:
        for directory, _, files in sorted(os.walk(root)):
            package = os.path.relpath(directory, os.path.dirname(root))
            for file_name in sorted(files):
                if file_name.endswith("_pb2.py"):
                    name = package.replace(os.sep, ".") + "." + file_name[:-3]
                    modules.append(importlib.import_module(name))
    return modules


def services():
    """{service full name: [Method, ...]} for every salesmeet service the
    generated modules declare, methods in declaration order."""
    database = symbol_database.Default()
    found = {}
    for module in import_salesmeet_modules():
        for service in module.DESCRIPTOR.services_by_name.values():
            found[service.full_name] = [
                Method(service=service.full_name, name=m.name,
                       request_class=database.GetPrototype(m.input_type),
                       response_class=database.GetPrototype(m.output_type),
                       server_streaming=m.server_streaming,
                       client_streaming=m.client_streaming)
                for m in service.methods]
    return dict(sorted(found.items()))


# -- output-only fields, from the .proto comments -----------------------------

_FIELD_LINE = re.compile(
    r"^(?:repeated\s+|optional\s+)?(?:map<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*\d+")
_BLOCK_OPEN = re.compile(r"^(message|enum|oneof|service)\s+(\w+)\s*\{")


def output_only_fields(proto_root):
    """{(message full name, field name)} of every field whose leading
    comment starts with "Output only", in the .proto files under proto_root."""
    found = set()
    for directory, _, files in os.walk(proto_root):
        for file_name in files:
            if file_name.endswith(".proto"):
                with open(os.path.join(directory, file_name)) as f:
                    found |= _output_only_in(f.read())
    if not found:
        raise RuntimeError(f"no 'Output only' field found under {proto_root}")
    return found


def _output_only_in(text):
    package = re.search(r"^package\s+([\w.]+)\s*;", text, re.M)
    prefix = package.group(1) + "." if package else ""
    found, blocks, comment = set(), [], []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            comment.append(stripped[2:].strip())
            continue
        opened = _BLOCK_OPEN.match(stripped)
        field = _FIELD_LINE.match(stripped)
        if opened:
            blocks.append(opened.groups())
        elif stripped.startswith("}"):
            if blocks:
                blocks.pop()
        elif field and blocks and blocks[-1][0] in ("message", "oneof"):
            messages = [name for kind, name in blocks if kind == "message"]
            if " ".join(comment).startswith("Output only"):
                found.add((prefix + ".".join(messages), field.group(1)))
        comment = []
    return found


# -- hostile values, by field type --------------------------------------------
#
# Each generator yields (variant label, value, must_reject). A value is
# derived from the baseline's own value where that keeps the rest of it
# valid (a NUL appended to a real name, a list of copies of a real element),
# so the hostile part is what the server has to judge.

def string_values(current):
    stem = current or "x"
    yield "10k chars", "x" * 10_000, False
    # No string field of ours allows more than 10,000 characters.
    yield "100k chars", "y" * 100_000, True
    yield "NUL inside", stem + "\x00tail", True
    yield "control chars", stem + "\x01\x07\x1b[2J\r\n\t\x7f", False
    yield ("unicode", stem + " \u00fcn\u00efc\u00f8d\u00e9 \u2713 \U0001f600 "
           "\u202eRTL", False)
    if current:
        yield "empty", "", False
    # Names: a resource name of the field's own collection, or of
    # participants when the baseline leaves the field empty.
    if "/" in current or not current:
        collection = current.split("/")[0] if current else "participants"
        yield "path traversal", f"{collection}/../x", False
        yield "huge id", f"{collection}/" + "a" * 10_000, False


def integer_values(field, current):
    if field.cpp_type == FD.CPPTYPE_INT32:
        extremes = [("-1", -1), ("int32 min", INT32_MIN), ("int32 max", INT32_MAX)]
    elif field.cpp_type == FD.CPPTYPE_INT64:
        extremes = [("-1", -1), ("int64 min", INT64_MIN), ("int64 max", INT64_MAX)]
    elif field.cpp_type == FD.CPPTYPE_UINT32:
        extremes = [("uint32 max", UINT32_MAX)]
    else:
        extremes = [("uint64 max", UINT64_MAX)]
    for label, value in extremes:
        if value != current:
            yield label, value, False


def float_values(field, current):
    biggest = 1e308 if field.cpp_type == FD.CPPTYPE_DOUBLE else 3.4e38
    # A NaN or an infinity is never a meaningful input.
    yield "NaN", math.nan, True
    yield "+inf", math.inf, True
    yield "-inf", -math.inf, True
    yield "-1", -1.0, False
    yield "huge", biggest, False


def enum_values(field, current):
    # Proto3 enums are open: a number the server does not know arrives as is.
    for label, value in (("unknown 999", 999), ("unknown -1", -1),
                         ("unknown int32 max", INT32_MAX)):
        yield label, value, True


def bytes_values(rng):
    yield "100k random bytes", rng.randbytes(100_000), False


# Whole-message values of the well-known types, with must_reject where the
# type's own definition rules the value out.

def timestamp_values(current):
    seconds = current.seconds
    yield "year 10000", dict(seconds=TIMESTAMP_MAX_SECONDS + 1), True
    yield "year 0", dict(seconds=TIMESTAMP_MIN_SECONDS - 1), True
    yield "seconds 1e12", dict(seconds=10**12), True
    yield "seconds -1e12", dict(seconds=-10**12), True
    yield "seconds int64 max", dict(seconds=INT64_MAX), True
    yield "seconds int64 min", dict(seconds=INT64_MIN), True
    yield "nanos 2e9", dict(seconds=seconds, nanos=2 * NANOS_PER_SECOND), True
    yield "nanos -1", dict(seconds=seconds, nanos=-1), True


def duration_values(current):
    yield "10,000 years + 1s", dict(seconds=DURATION_MAX_SECONDS + 1), True
    yield "seconds 1e12", dict(seconds=10**12), True
    yield "seconds -1e12", dict(seconds=-10**12), True
    yield "seconds int64 max", dict(seconds=INT64_MAX), True
    yield "nanos 2e9", dict(seconds=0, nanos=2 * NANOS_PER_SECOND), True
    yield "seconds 1 nanos -1", dict(seconds=1, nanos=-1), True
    yield "seconds -1", dict(seconds=-1), False


def money_values(current):
    code = current.currency_code or "EUR"
    yield "units int64 max", dict(currency_code=code, units=INT64_MAX), False
    yield "units int64 min", dict(currency_code=code, units=INT64_MIN), False
    yield "units -1", dict(currency_code=code, units=-1), False
    yield "nanos 2e9", dict(currency_code=code, units=1,
                            nanos=2 * NANOS_PER_SECOND), True
    yield "nanos -2e9", dict(currency_code=code, units=-1,
                             nanos=-2 * NANOS_PER_SECOND), True
    yield "units 1 nanos -1", dict(currency_code=code, units=1, nanos=-1), True
    yield "currency NUL", dict(currency_code=code + "\x00", units=1), True
    yield "currency 10k chars", dict(currency_code="E" * 10_000, units=1), True
    yield "currency unicode", dict(currency_code="\u20ac\u20ac\u20ac", units=1), False


WELL_KNOWN = {
    "google.protobuf.Timestamp": timestamp_values,
    "google.protobuf.Duration": duration_values,
    "google.type.Money": money_values,
}


# -- walking a request --------------------------------------------------------

def _child(message, field, index):
    """The submessage at field (element index of a repeated field), created
    when missing."""
    if index is None:
        return getattr(message, field.name)
    elements = getattr(message, field.name)
    while len(elements) <= index:
        elements.add()
    return elements[index]


def _inside(field, index, mutation, prefix_label):
    def apply(root):
        mutation.apply(_child(root, field, index))
    return Mutation(prefix_label + mutation.label, apply, mutation.must_reject)


def _set_scalar(field, value, index=None):
    def apply(message):
        if index is None:
            setattr(message, field.name, value)
            return
        elements = getattr(message, field.name)
        if not elements:
            elements.append(_default_element(field))
        elements[index] = value
    return apply


def _set_message(field, values, index=None):
    def apply(message):
        target = _child(message, field, index)
        target.Clear()
        for key, value in values.items():
            setattr(target, key, value)
        target.SetInParent()
    return apply


def _default_element(field):
    if field.cpp_type == FD.CPPTYPE_STRING:
        return b"" if field.type == FD.TYPE_BYTES else ""
    if field.cpp_type == FD.CPPTYPE_BOOL:
        return False
    if field.cpp_type in (FD.CPPTYPE_DOUBLE, FD.CPPTYPE_FLOAT):
        return 0.0
    return 0


def _message_class(message_descriptor):
    return symbol_database.Default().GetPrototype(message_descriptor)


def _is_map(field):
    return (field.type == FD.TYPE_MESSAGE and
            field.message_type.GetOptions().map_entry)


def _scalar_values(field, current, rng):
    if field.type == FD.TYPE_BYTES:
        return bytes_values(rng)
    if field.cpp_type == FD.CPPTYPE_STRING:
        return string_values(current or "")
    if field.cpp_type == FD.CPPTYPE_ENUM:
        return enum_values(field, current)
    if field.cpp_type in (FD.CPPTYPE_DOUBLE, FD.CPPTYPE_FLOAT):
        return float_values(field, current)
    if field.cpp_type == FD.CPPTYPE_BOOL:
        return iter([("flipped", not current, False)])
    return integer_values(field, current)


def _mutations(message, output_only, depth, rng, ignored=False):
    """Every single-field mutation of message (a baseline, not changed),
    each with a label relative to it and a function applying it to a copy."""
    for field in message.DESCRIPTOR.fields:
        field_ignored = ignored or (
            (message.DESCRIPTOR.full_name, field.name) in output_only)
        if _is_map(field):
            yield from _map_mutations(field, field_ignored)
        elif field.label == FD.LABEL_REPEATED:
            yield from _repeated_mutations(message, field, output_only, depth,
                                           rng, field_ignored)
        elif field.cpp_type == FD.CPPTYPE_MESSAGE:
            yield from _message_mutations(message, field, output_only, depth,
                                          rng, field_ignored)
        else:
            current = getattr(message, field.name)
            for label, value, reject in _scalar_values(field, current, rng):
                yield Mutation(f"{field.name}={label}", _set_scalar(field, value),
                                reject and not field_ignored)


def _message_mutations(message, field, output_only, depth, rng, ignored,
                       index=None):
    name = field.name if index is None else f"{field.name}[{index}]"
    present = (message.HasField(field.name) if index is None
               else len(getattr(message, field.name)) > index)
    current = (_child(type(message)(), field, index) if not present
               else _child(message, field, index))
    well_known = WELL_KNOWN.get(field.message_type.full_name)
    if well_known:
        for label, values, reject in well_known(current):
            yield Mutation(f"{name}={label}", _set_message(field, values, index),
                            reject and not ignored)
        return
    if present and index is None:
        yield Mutation(f"{name}=unset", lambda m: m.ClearField(field.name), False)
    elif not present:
        yield Mutation(f"{name}=empty message",
                        lambda m: _child(m, field, index).SetInParent(), False)
    if depth + 1 >= MAX_DEPTH:
        return
    for inner in _mutations(current, output_only, depth + 1, rng, ignored):
        yield _inside(field, index, inner, f"{name}.")


def _repeated_mutations(message, field, output_only, depth, rng, ignored):
    elements = getattr(message, field.name)
    for count, reject in ((10_000, False), (100_000, True)):
        label, fill = _many(field, elements, count)
        yield Mutation(f"{field.name}={label}", fill, reject and not ignored)
    if field.cpp_type == FD.CPPTYPE_MESSAGE:
        yield from _message_mutations(message, field, output_only, depth, rng,
                                      ignored, index=0)
        return
    current = elements[0] if elements else _default_element(field)
    for label, value, reject in _scalar_values(field, current, rng):
        yield Mutation(f"{field.name}[0]={label}", _set_scalar(field, value, 0),
                        reject and not ignored)


def _many(field, elements, count):
    """(label, apply) filling field with count elements: copies of its first
    element (distinct strings, so each one has to be judged), or, when
    copies would not fit in one request, empty messages."""
    if field.cpp_type == FD.CPPTYPE_MESSAGE:
        empty = _message_class(field.message_type)()
        template = elements[0] if elements else empty
        if template.ByteSize() * count > MAX_PAYLOAD // 2:
            template, what = empty, "empty elements"
        else:
            what = "elements"
        def fill(message):
            target = getattr(message, field.name)
            del target[:]
            target.extend(template for _ in range(count))
        return f"{count // 1000}k {what}", fill
    if field.cpp_type == FD.CPPTYPE_STRING and field.type != FD.TYPE_BYTES:
        stem = elements[0] if elements else "x"
        values = [f"{stem}-{i}" for i in range(count)]
    else:
        values = [elements[0] if elements else _default_element(field)] * count
    def fill(message):
        target = getattr(message, field.name)
        del target[:]
        target.extend(values)
    return f"{count // 1000}k elements", fill


def _map_mutations(field, ignored):
    key_field = field.message_type.fields_by_name["key"]
    value_field = field.message_type.fields_by_name["value"]
    string_keys = key_field.cpp_type == FD.CPPTYPE_STRING

    def put(target, key):
        if value_field.cpp_type == FD.CPPTYPE_MESSAGE:
            target[key].SetInParent()
        else:
            target[key] = _default_element(value_field)

    def many(message):
        target = getattr(message, field.name)
        for i in range(10_000):
            put(target, f"key-{i}" if string_keys else i)

    def huge_key(message):
        put(getattr(message, field.name), "k" * 10_000 if string_keys else INT64_MAX)

    yield Mutation(f"{field.name}=10k entries", many, False)
    yield Mutation(f"{field.name}=huge key", huge_key, False)


def field_mutations(template, output_only, seed_text):
    """The empty request, then every single-field mutation of template (a
    valid request of the method, or an empty one). seed_text (the method's
    path) seeds the random bytes, so every run sends the same requests."""
    rng = random.Random(SEED ^ zlib.crc32(seed_text.encode()))
    mutations = [Mutation("(empty request)", lambda request: request.Clear())]
    mutations.extend(_mutations(template, output_only, 0, rng))
    return mutations


def mutated(baseline, mutation):
    """The serialized copy of baseline with mutation applied, or None when
    it would not fit in one request."""
    request = type(baseline)()
    request.CopyFrom(baseline)
    mutation.apply(request)
    payload = request.SerializeToString()
    return payload if len(payload) <= MAX_PAYLOAD else None


# -- raw payloads -------------------------------------------------------------

def _varint(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _tag(number, wire_type):
    return _varint(number << 3 | wire_type)


def raw_probes(request_class, baseline_payload, seed_text):
    """Payloads that are not a valid encoding of the request, or only just:
    what a confused or malicious client puts on the wire."""
    rng = random.Random(SEED ^ zlib.crc32(b"raw:" + seed_text.encode()))
    for size in (1, 7, 64, 4096, 100_000):
        yield RawProbe(f"(raw) {size} random bytes", rng.randbytes(size))
    if len(baseline_payload) > 1:
        yield RawProbe("(raw) valid request truncated by one byte",
                       baseline_payload[:-1])
    yield RawProbe("(raw) length prefix of 4 GiB",
                   _tag(1, 2) + _varint(2**32 - 1) + b"abc")
    yield RawProbe("(raw) varint longer than 10 bytes",
                   _tag(1, 0) + b"\xff" * 11 + b"\x01")
    yield RawProbe("(raw) 10k nested groups", _tag(15, 3) * 10_000)
    string_field = next((f for f in request_class.DESCRIPTOR.fields
                         if f.type == FD.TYPE_STRING), None)
    if string_field is not None:
        yield RawProbe(f"(raw) invalid UTF-8 in {string_field.name}",
                       _tag(string_field.number, 2) + _varint(4) +
                       b"\xff\xfe\xc0\x80")
    # Unknown fields must be skipped; the request is otherwise the baseline.
    yield RawProbe("(raw) unknown field 9999 appended",
                   baseline_payload + _tag(9999, 2) + _varint(5) + b"hello")
