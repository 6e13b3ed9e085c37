"""End-to-end test that README.md is true: every `grpcurl` example in it
works against the real participant, scheduling and analytics services, in the
README's order, after the demo seed; and its flag tables agree with the flags
the binaries define.

Each README line runs through the real grpcurl when one is found
($SALESMEET_GRPCURL, the PATH, then ../shared/tools/bin/grpcurl), exactly as
written but for the address: the README's ports (README_ADDRESSES) are
replaced by the test servers'. Without grpcurl the lines are replayed with
python3-grpcio instead (grpcurl_replay), and the test says so. A
server-streaming call (WatchMeetingChanges), which grpcurl prints until
Ctrl-C, is read until it falls silent and then interrupted.

"Now" is pinned: the services and the seed run on the harness's clock
(--testing_now; $SALESMEET_TESTING_NOW or a Thursday morning in June 2027,
the day of the week and hour this test once failed on), so the outcome
never depends on the day the test runs. CMake runs the examples again at a sweep of pinned dates
(weekdays, both ends of a day, daylight saving Sundays, the turn of the
year, a leap day).

Every command must succeed unless EXPECTED_OUTCOMES says otherwise, and
commands in the README's "### Errors" section must fail with
INVALID_ARGUMENT and a BadRequest. A grpcurl line this test cannot execute,
and an EXPECTED_OUTCOMES entry that matches no README command, fail the
test: it cannot pass silently once the README changes.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \
      /usr/bin/python3 -m unittest -v readme_examples_e2e_test
"""

import dataclasses
import json
import os
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile
import unittest

import grpc
from google.protobuf import json_format

import grpcurl_cli
import grpcurl_replay
import harness
from harness import DOMAIN, RPC_TIMEOUT

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
README = pathlib.Path(__file__).resolve().parent / ".." / ".." / "README.md"
SEED_SCRIPT = REPO_ROOT / "scripts" / "seed_demo.py"

# Where the README's commands send their calls, and the service there; each
# is replaced by that service's test server.
README_ADDRESSES = {
    "localhost:50051": "participant",
    "localhost:50052": "scheduling",
    "localhost:50053": "analytics",
}
ERRORS_SECTION = "Errors"
# With SALESMEET_README_LIVE=1 the examples run against servers already
# listening on the README's own addresses, as a reader runs them (the
# compose suite, freshly seeded: scripts/deploy_check.sh); nothing is
# started.
LIVE = os.environ.get("SALESMEET_README_LIVE") == "1"

OK = grpc.StatusCode.OK
INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT
FAILED_PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION

# In Outcome.returns: the response field must be present and non-empty.
NONEMPTY = object()


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What the nth README call (counting from 1) of a method whose -d JSON
    contains json_contains must do. method is "Service/Method" with or without
    the package."""

    method: str
    json_contains: str
    nth: int
    code: grpc.StatusCode
    why: str
    # Errors: fields the BadRequest must name; the ErrorInfo reason; subjects
    # the PreconditionFailure must list.
    bad_fields: tuple = ()
    reason: str = ""
    violation_subjects: tuple = ()
    # Success: the response, as proto3 JSON (for a stream, its first
    # message), must contain returns: these fields with these values, where
    # NONEMPTY is any non-empty value, a dict need only contain the fields it
    # lists and a list only its first elements. Each of returns_somewhere
    # must be contained that way by some object at any depth.
    returns: dict = dataclasses.field(default_factory=dict)
    returns_somewhere: tuple = ()
    # Like returns, but only while "now" is pinned (not LIVE): figures the
    # README prints that hold for the demo month, which a live run in the
    # weeks around the README's own September 2028 bookings would change.
    returns_when_pinned: dict = dataclasses.field(default_factory=dict)

    def matches(self, command):
        return (command.verb == "invoke"
                and (command.target == self.method
                     or command.target.endswith("." + self.method))
                and self.json_contains in command.data)


# What the README's calls must do where that is more than "it works", and
# what the README's prose promises about them. Keyed by method, a piece of the
# request and which occurrence, not by README line, so the README can be
# reworded around them; each entry must match a README command.
EXPECTED_OUTCOMES = [
    Outcome("grpc.health.v1.Health/Check",
            '"salesmeet.participant.v1.ParticipantService"', 1, OK,
            "the service is healthy",
            returns={"status": "SERVING"}),
    Outcome("ParticipantService/GetParticipant",
            '"participants/maria-rossi"', 1, OK,
            "the demo seed created Maria",
            returns={"name": "participants/maria-rossi",
                     "displayName": "Maria Rossi"}),
    Outcome("ParticipantService/BatchGetParticipants",
            '"participants/contact-acme-1"', 1, OK,
            "the demo seed created Luca and Anna",
            returns={"participants": NONEMPTY}),
    Outcome("ParticipantService/ListParticipants",
            "role = SALES_REP", 1, OK,
            "the seeded EMEA team has sales reps",
            returns={"participants": NONEMPTY}),
    Outcome("ParticipantService/ListParticipants",
            "customer.lifecycle = PROSPECT", 1, OK,
            "the seeded accounts include prospects",
            returns={"participants": NONEMPTY}),
    Outcome("ParticipantService/ListParticipants",
            "customer.account_owner", 1, OK,
            "Jonas owns the seeded Acme contacts",
            returns={"participants": NONEMPTY}),
    Outcome("ParticipantService/ListTeams", '"pageSize":3', 1, OK,
            "six teams are seeded, so a page of three says more follows",
            returns={"teams": NONEMPTY, "nextPageToken": NONEMPTY}),
    Outcome("ParticipantService/UpdateParticipant",
            '"participants/noah-fischer"', 1, OK,
            "the masked fields change",
            returns={"weeklyMeetingBudget": "21600s",
                     "timeZone": "Europe/Vienna"}),
    Outcome("ParticipantService/DeleteParticipant",
            '"participants/noah-fischer"', 1, FAILED_PRECONDITION,
            "Noah still owns Lena's account",
            reason="PARTICIPANT_IN_USE",
            violation_subjects=("participants/contact-acme-3",)),
    Outcome("ParticipantService/DeleteParticipant",
            '"participants/contact-acme-3"', 1, OK,
            "nothing refers to Lena"),
    Outcome("ParticipantService/DeleteParticipant",
            '"participants/noah-fischer"', 2, OK,
            "with Lena gone, Noah owns nothing"),
    Outcome("ParticipantService/CreateParticipant", '"not-an-email"', 1,
            INVALID_ARGUMENT,
            "the README's error example: bad email, time zone and cost",
            reason="INVALID_ARGUMENT",
            bad_fields=("participant.email", "participant.time_zone",
                        "participant.hourly_cost.currency_code",
                        "participant.hourly_cost")),
    # Scheduling.
    Outcome("grpc.health.v1.Health/Check",
            '"salesmeet.scheduling.v1.SchedulingService"', 1, OK,
            "the scheduling service is healthy",
            returns={"status": "SERVING"}),
    Outcome("SchedulingService/GetMeeting", '"meetings/emea-weekly-sales"', 1,
            OK, "the demo seed books the weekly sales team meeting",
            returns={"name": "meetings/emea-weekly-sales",
                     "purpose": "MOTIVATION_RECOGNITION",
                     "audience": "INTERNAL", "timeZone": "Europe/Rome",
                     "recurrence": {"rrule": NONEMPTY}}),
    Outcome("SchedulingService/ListOccurrences",
            '"meetings/emea-weekly-sales"', 1, OK,
            "the weekly meeting has occurrences from four weeks ago on",
            returns={"occurrences": NONEMPTY, "nextPageToken": NONEMPTY}),
    Outcome("SchedulingService/ListOccurrences",
            '"meetings/one-on-one-maria-luca"', 1, OK,
            "Luca's one-to-one is cancelled in the week of his leave",
            returns_somewhere=({"cancelled": True},)),
    Outcome("SchedulingService/RespondToMeeting",
            '"participants/luca-bianchi"', 1, OK,
            "Luca is invited to the weekly meeting",
            returns_somewhere=({"participant": "participants/luca-bianchi",
                                "response": "ACCEPTED"},)),
    Outcome("SchedulingService/GetCalendar", '"participants/priya-sharma"', 1,
            OK, "Priya's week holds the Northwind pitch and her one-to-one "
            "with Tom",
            returns={"participant": "participants/priya-sharma",
                     "timeZone": "Europe/London"},
            returns_somewhere=(
                {"meeting": "meetings/northwind-deep-dive",
                 "startTime": "2028-09-11T14:00:00Z",
                 "response": "NEEDS_ACTION"},
                {"meeting": "meetings/one-on-one-priya-tom",
                 "recurring": True, "response": "ACCEPTED"})),
    Outcome("SchedulingService/ExportCalendar", '"participants/priya-sharma"',
            1, OK, "Priya's September as an iCalendar file",
            returns={"contentType": "text/calendar; charset=utf-8",
                     "data": NONEMPTY, "eventCount": NONEMPTY}),
    Outcome("SchedulingService/ExportMeeting",
            '"meetings/northwind-deep-dive"', 1, OK,
            "the Northwind pitch as an iCalendar file",
            returns={"data": NONEMPTY, "eventCount": 1}),
    Outcome("SchedulingService/FindMeetingSlots",
            '"participants/sophie-turner"', 1, OK,
            "slots for Sophie and Jonas, each with Priya's availability and "
            "its cost",
            returns={"slots": [{"interval": NONEMPTY, "cost": NONEMPTY}],
                     "timeZone": NONEMPTY}),
    Outcome("SchedulingService/QueryFreeBusy", '"participants/no-such-person"',
            1, OK, "Priya and Tom are answered; the unknown name gets its "
            "own NOT_FOUND",
            returns={"freeBusy": [
                {"participant": "participants/priya-sharma",
                 "timeZone": "Europe/London",
                 "busy": [{"startTime": "2028-09-11T14:00:00Z",
                           "endTime": "2028-09-11T15:00:00Z"},
                          {"startTime": "2028-09-11T15:30:00Z",
                           "endTime": "2028-09-11T16:00:00Z"}],
                 "unavailable": [{"kind": "OUTSIDE_WORKING_HOURS"}]},
                {"participant": "participants/tom-nguyen",
                 "timeZone": "America/New_York"},
                {"participant": "participants/no-such-person",
                 "error": {"code": 5}}]}),
    Outcome("SchedulingService/ListMeetings", "purpose = PROSPECT_PITCH", 1,
            OK, "Priya joins the seeded prospect pitches",
            returns={"meetings": NONEMPTY}),
    Outcome("SchedulingService/ListMeetings", "format = ONE_ON_ONE", 1, OK,
            "Maria has a one-to-one with each of her reps",
            returns={"meetings": NONEMPTY}),
    Outcome("SchedulingService/ListMeetings", "state = COMPLETED", 1, OK,
            "past customer meetings are completed with outcomes",
            returns={"meetings": NONEMPTY},
            returns_somewhere=({"outcome": "WON"},)),
    Outcome("SchedulingService/CreateMeeting", '"validateOnly":true', 1, OK,
            "the preview shows the cost of one occurrence",
            returns={"verdict": {"costPerOccurrence": NONEMPTY,
                                 "horizonOccurrenceCount": 1}}),
    Outcome("SchedulingService/CreateMeeting", '"northwind-deep-dive"', 1, OK,
            "the pitch is booked under its id, customer-facing",
            returns={"meeting": {"name": "meetings/northwind-deep-dive",
                                 "audience": "CUSTOMER_FACING"}}),
    Outcome("SchedulingService/CreateMeeting", '"one-on-one-priya-tom"', 1,
            OK, "the one-to-one series is booked, six times",
            returns={"meeting": {"name": "meetings/one-on-one-priya-tom"},
                     "verdict": {"horizonOccurrenceCount": 6}}),
    Outcome("SchedulingService/CreateMeeting", "Thames Water: telemetry demo",
            1, FAILED_PRECONDITION,
            "Priya is already in the Northwind pitch then",
            reason="SCHEDULING_CONFLICT",
            violation_subjects=("participants/priya-sharma",)),
    Outcome("SchedulingService/CreateMeeting",
            "Thames Water: sensor questions", 1, FAILED_PRECONDITION,
            "no one from sales, and a video call without a link",
            reason="POLICY_REJECTED",
            violation_subjects=("meeting.attendees",
                                "meeting.video_conference.join_uri")),
    Outcome("SchedulingService/UpdateMeeting", '"meetings/acme-fleet-expansion"',
            1, OK, "the masked fields change",
            returns={"meeting": {"startTime": "2028-09-13T08:00:00Z",
                                 "agenda": "Second plant\nVolume pricing\n"
                                           "Delivery dates"}}),
    Outcome("SchedulingService/MoveOccurrence", '"meetings/one-on-one-priya-tom"',
            1, OK, "the second occurrence moves to Tuesday",
            returns={"occurrence": {"moved": True,
                                    "startTime": "2028-09-19T15:30:00Z"}}),
    Outcome("SchedulingService/CancelOccurrence",
            '"meetings/one-on-one-priya-tom"', 1, OK,
            "the third occurrence is cancelled",
            returns_somewhere=({"originalStartTime": "2028-09-25T15:30:00Z",
                                "cancelled": True},)),
    Outcome("SchedulingService/ListOccurrences",
            '"meetings/one-on-one-priya-tom"', 1, OK,
            "six occurrences, one moved and one cancelled",
            returns_somewhere=({"moved": True}, {"cancelled": True})),
    Outcome("SchedulingService/CompleteMeeting", '"meetings/acme-renewal-review"',
            1, OK, "the seed leaves the renewal review to be completed",
            returns={"state": "COMPLETED", "outcome": "WON",
                     "dealValue": {"currencyCode": "EUR", "units": "95000"}}),
    Outcome("SchedulingService/ListMeetings", '"interval"', 1, OK,
            "Priya's week of 11 September 2028: the pitch and the one-to-one",
            returns_somewhere=({"name": "meetings/northwind-deep-dive"},
                               {"name": "meetings/one-on-one-priya-tom"})),
    Outcome("SchedulingService/UpdateSchedulingPolicy", '"maxAttendees":8', 1,
            OK, "the masked rules change",
            returns={"rules": {"maxAttendees": 8}},
            returns_somewhere=({"team": "teams/apac-sales",
                                "rules": {"outsideWorkingHours": "REJECT"}},)),
    Outcome("SchedulingService/WatchMeetingChanges", '"afterSequence":"0"', 1,
            OK, "the feed starts at sequence 1 with the seed's first booking",
            returns={"changes": [{"sequence": "1", "type": "MEETING_CREATED",
                                  "meeting": {
                                      "name": "meetings/emea-weekly-sales"}}]}),
    Outcome("SchedulingService/WatchMeetingChanges", '"afterSequence":"30"', 1,
            OK, "a resumed feed starts right after the sequence given",
            returns={"changes": [{"sequence": "31"}]}),
    Outcome("AnalyticsService/GetCostReport", '"groupBy":"TEAM"', 1, OK,
            "the demo month costs something in every sales team; with the "
            "seed's currency table every cost is in EUR, and costByCurrency "
            "keeps the Americas team's USD and the UK team's GBP",
            returns={"groups": NONEMPTY,
                     "totals": {"cost": {"currencyCode": "EUR"},
                                "costByCurrency": [{"currencyCode": "EUR"},
                                                   {"currencyCode": "GBP"},
                                                   {"currencyCode": "USD"}]}},
            returns_somewhere=(
                {"team": "teams/americas-sales",
                 "cost": {"currencyCode": "EUR"},
                 "costByCurrency": [{"currencyCode": "USD"}]},
                {"team": "teams/uk-public-sector",
                 "cost": {"currencyCode": "EUR"},
                 "costByCurrency": [{"currencyCode": "GBP"}]}),
            # The README's trimmed output, figure for figure.
            returns_when_pinned={
                "groups": [
                    {"team": "teams/emea-sales",
                     "cost": {"currencyCode": "EUR", "units": "5893"},
                     "costByCurrency": [{"currencyCode": "EUR",
                                         "units": "5893"}]},
                    {"team": "teams/americas-sales",
                     "cost": {"currencyCode": "EUR", "units": "3188",
                              "nanos": 720000000},
                     "costByCurrency": [{"currencyCode": "USD",
                                         "units": "3466"}]},
                    {"team": "teams/uk-public-sector",
                     "cost": {"currencyCode": "EUR", "units": "2735",
                              "nanos": 460000000},
                     "costByCurrency": [{"currencyCode": "GBP",
                                         "units": "2338"}]}],
                "totals": {
                    "cost": {"currencyCode": "EUR", "units": "14481",
                             "nanos": 180000000},
                    "costByCurrency": [
                        {"currencyCode": "EUR", "units": "8557"},
                        {"currencyCode": "GBP", "units": "2338"},
                        {"currencyCode": "USD", "units": "3466"}]}}),
    Outcome("SchedulingService/UpdateSchedulingPolicy", '"currencyRates"', 1,
            OK, "the demo's currency table, set again: the masked fields "
            "change, the rest of the policy stays",
            returns={"reportingCurrency": "EUR",
                     "currencyRates": [{"currencyCode": "USD", "rate": 0.92},
                                       {"currencyCode": "GBP", "rate": 1.17}],
                     "rules": {"maxAttendees": 8}}),
    Outcome("AnalyticsService/GetMeetingLoadReport", '{"scope":{}}', 1, OK,
            "the demo employees have meetings; Maria is over her 4 h budget "
            "in the week after this one",
            returns={"participants": NONEMPTY},
            returns_somewhere=({"participant": "participants/maria-rossi",
                                "weeksOverBudget": NONEMPTY},)),
    Outcome("AnalyticsService/GetMeetingMixReport", '{"scope":{}}', 1, OK,
            "every purpose is listed",
            returns={"byPurpose": NONEMPTY, "totals": NONEMPTY}),
    Outcome("AnalyticsService/GetContactCadenceReport", "{}", 1, OK,
            "the demo customers are listed with a status",
            returns={"contacts": NONEMPTY, "summary": NONEMPTY}),
    Outcome("AnalyticsService/GetTopPerformers", '"WON_DEAL_VALUE"', 1, OK,
            "the CompleteMeeting above won Acme's renewal (95,000) for Jonas "
            "and Maria; tied, Maria has more meetings and ranks first, and "
            "Luca's 48,000 from Bellini comes third; William's 36,000 GBP "
            "from Harrowgate counts as 42,120 EUR and comes fourth",
            returns={"entries": [
                {"rank": 1, "participant": "participants/maria-rossi"},
                {"rank": 2, "participant": "participants/jonas-weber"},
                {"rank": 3, "participant": "participants/luca-bianchi"},
                {"rank": 4, "participant": "participants/william-davies",
                 "wonDealValue": {"currencyCode": "EUR", "units": "42120"},
                 "wonDealValueByCurrency": [{"currencyCode": "GBP",
                                             "units": "36000"}]}]}),
]


# -- reading the README -----------------------------------------------------

class ReadmeError(AssertionError):
    """The README has something this test does not understand."""


@dataclasses.dataclass(frozen=True)
class Command:
    """One grpcurl line of the README."""

    line: int      # 1-based line number in README.md, for messages
    section: str   # the heading it is under, e.g. "Errors"
    text: str      # the line as written
    service: str   # whose README address it calls, e.g. "participant"
    verb: str      # "list", "describe" or "invoke"
    target: str    # describe: the symbol; invoke: "pkg.Service/Method"
    data: str = ""  # invoke: the -d JSON

    def __str__(self):
        shown = self.text if len(self.text) <= 160 else self.text[:157] + "..."
        return f"README.md:{self.line} ({self.section}): {shown}"


def readme_commands(path=README):
    """Every grpcurl line in the README's ```sh blocks, in order. Raises
    ReadmeError for a grpcurl line elsewhere in a code block, one continued
    on the next line, or one whose form this test cannot execute."""
    commands = []
    section, fence = "", None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("```"):
            fence = None if fence is not None else stripped[3:].strip()
            continue
        if fence is None:
            if raw.startswith("#"):
                section = raw.lstrip("#").strip()
            continue
        if not stripped.startswith("grpcurl"):
            continue
        where = f"README.md:{number}"
        if fence != "sh":
            raise ReadmeError(
                f"{where}: grpcurl example in a ```{fence} block; only ```sh "
                "blocks are executed by this test, so put it in one")
        if stripped.endswith("\\"):
            raise ReadmeError(f"{where}: grpcurl command continued on the "
                              "next line; this test runs one-line commands")
        commands.append(parse_grpcurl(stripped, number, section))
    return commands


def parse_grpcurl(text, line, section):
    where = f"README.md:{line}"
    try:
        argv = shlex.split(text, comments=True)
    except ValueError as e:
        raise ReadmeError(f"{where}: not valid shell: {e}: {text}") from None
    if argv[0] != "grpcurl":
        raise ReadmeError(f"{where}: not a grpcurl command: {text}")
    args, plaintext, data = argv[1:], False, None
    while args and args[0].startswith("-"):
        option = args.pop(0)
        if option == "-plaintext":
            plaintext = True
        elif option == "-d" and args:
            data = args.pop(0)
        else:
            raise ReadmeError(
                f"{where}: grpcurl option {option!r} is not understood by "
                f"this test; teach it or change the README: {text}")
    if not plaintext:
        raise ReadmeError(f"{where}: without -plaintext grpcurl speaks TLS, "
                          f"which the services do not serve: {text}")
    if not args or args[0] not in README_ADDRESSES:
        raise ReadmeError(
            f"{where}: expected one of the services' addresses "
            f"{sorted(README_ADDRESSES)} after the options: {text}")
    service, rest = README_ADDRESSES[args[0]], args[1:]
    if rest == ["list"] and data is None:
        return Command(line, section, text, service, "list", "")
    if len(rest) == 2 and rest[0] == "describe" and data is None:
        return Command(line, section, text, service, "describe", rest[1])
    if len(rest) == 1 and re.fullmatch(r"[A-Za-z_][\w.]*\.\w+/\w+", rest[0]):
        # Without -d grpcurl sends an empty request.
        return Command(line, section, text, service, "invoke", rest[0],
                       "{}" if data is None else data)
    raise ReadmeError(
        f"{where}: this form of grpcurl is not understood by this test "
        f"(known: list, describe SYMBOL, [-d JSON] pkg.Service/Method): {text}")


def expected_outcome(command, commands):
    """The EXPECTED_OUTCOMES entry for command, or the default: OK, or
    INVALID_ARGUMENT in the Errors section."""
    for outcome in EXPECTED_OUTCOMES:
        matching = [c for c in commands if outcome.matches(c)]
        if len(matching) >= outcome.nth and matching[outcome.nth - 1] is command:
            return outcome
    if command.section == ERRORS_SECTION:
        return Outcome(command.target, "", 1, INVALID_ARGUMENT,
                       "an example in the Errors section")
    return Outcome(command.target, "", 1, OK, "a README example")


def unmatched_outcomes(commands):
    """EXPECTED_OUTCOMES entries that match no README command."""
    return [o for o in EXPECTED_OUTCOMES
            if len([c for c in commands if o.matches(c)]) < o.nth]


# -- running a README line ----------------------------------------------------

class GrpcurlRunner:
    """Runs each README line through the real grpcurl, exactly as written
    but for the address."""

    def __init__(self, path, addresses):
        self.path = path
        self.addresses = addresses  # service -> "host:port"
        self.name = f"real grpcurl ({grpcurl_cli.version(path)}, {path})"

    def argv(self, command):
        argv = shlex.split(command.text, comments=True)
        return [self.path] + [
            self.addresses[README_ADDRESSES[a]] if a in README_ADDRESSES else a
            for a in argv[1:]]

    def list(self, command):
        return grpcurl_cli.run(self.argv(command), RPC_TIMEOUT).split()

    def describe(self, command):
        printed = grpcurl_cli.run(self.argv(command), RPC_TIMEOUT)
        if command.target not in printed:
            raise AssertionError(f"grpcurl described something else:\n"
                                 f"{printed}")

    def invoke(self, command):
        """The response as proto3 JSON (a stream's first message); raises
        grpcurl_cli.RpcFailed. grpcurl prints proto field names
        (start_time); they are read into the response message and written
        out again with JSON names (startTime), as the outcomes are."""
        method = grpcurl_replay.method_descriptor(command.target)
        if method.server_streaming:
            messages = grpcurl_cli.run_stream(
                self.argv(command), RPC_TIMEOUT, grpcurl_replay.STREAM_IDLE)
        else:
            messages = grpcurl_cli.json_messages(
                grpcurl_cli.run(self.argv(command), RPC_TIMEOUT))
        if not messages:
            raise AssertionError(f"{command.target} printed nothing within "
                                 f"{RPC_TIMEOUT:.0f}s")
        response = grpcurl_replay.message_class(method.output_type)()
        return json_format.MessageToDict(
            json_format.ParseDict(messages[0], response))


class ReplayRunner:
    """Replays each README line with python3-grpcio, where no grpcurl is
    found."""

    name = ("python3-grpcio replay: no grpcurl found ($SALESMEET_GRPCURL, "
            "PATH, ../shared/tools/bin/grpcurl), so grpcurl's own JSON and "
            "reflection handling are not checked")

    def __init__(self, channels):
        self.channels = channels  # service -> grpc.Channel

    def list(self, command):
        return harness.list_services(self.channels[command.service])

    def describe(self, command):
        grpcurl_replay.describe(self.channels[command.service], command.target)

    def invoke(self, command):
        return grpcurl_replay.invoke(self.channels[command.service],
                                     command.target, command.data)


def contains(got, wanted):
    """Whether got (proto3 JSON) has wanted: NONEMPTY is any non-empty
    value, a dict need only have the fields it lists, and a list only its
    first elements."""
    if wanted is NONEMPTY:
        return bool(got)
    if isinstance(wanted, dict):
        return isinstance(got, dict) and all(
            key in got and contains(got[key], value)
            for key, value in wanted.items())
    if isinstance(wanted, list):
        return (isinstance(got, list) and len(got) >= len(wanted)
                and all(contains(g, w) for g, w in zip(got, wanted)))
    return got == wanted


def contained_somewhere(got, wanted):
    """Whether got, or an object at any depth in it, contains wanted."""
    if contains(got, wanted):
        return True
    children = (got.values() if isinstance(got, dict)
                else got if isinstance(got, list) else ())
    return any(contained_somewhere(child, wanted) for child in children)


# -- the binary's flags --------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Flag:
    name: str
    source: str   # the defining file, relative to the repository
    default: str  # as --helpfull prints it, quotes included


def binary_flags(help_text):
    """Flags that --helpfull lists under this repository's own sources
    (common/ and services/), by name. absl groups them under "Flags from
    PATH:" headers and prints each as "    --name (help...); default: X;"
    with continuation lines indented further."""
    flags, source, current = {}, None, None

    def finish():
        if current and source:
            name, text = current
            default = re.search(r"default: (.*);$", text)
            flags[name] = Flag(name, source, default.group(1) if default else "")

    for line in help_text.splitlines():
        header = re.match(r"^  Flags from (.+):$", line)
        flag = re.match(r"^    --(\w+) (.*)$", line)
        if header:
            finish()
            current = None
            source = our_source(header.group(1))
        elif flag:
            finish()
            current = (flag.group(1), flag.group(2))
        elif current and line.startswith("      "):
            current = (current[0], current[1] + " " + line.strip())
        else:
            finish()
            current = None
    finish()
    return flags


def our_source(path):
    """path relative to the repository if it is one of our files under
    common/ or services/ (absl prints paths as the compiler saw them, e.g.
    "work/main/common/server_runner.cc"), else None."""
    parts = path.split("/")
    for i in range(len(parts)):
        candidate = "/".join(parts[i:])
        if (candidate.startswith(("common/", "services/"))
                and (REPO_ROOT / candidate).is_file()):
            return candidate
    return None


@dataclasses.dataclass(frozen=True)
class DocumentedFlag:
    name: str
    table: str    # the line introducing the table, e.g. "participant:"
    default: str  # the README's default cell
    line: int


def readme_flags(path=README):
    """Every README table row whose first cell is a `--flag`."""
    flags, caption = [], ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line.startswith("|"):
            if line:
                caption = line
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        flag = re.fullmatch(r"`--(\w+)`", cells[0])
        if flag:
            flags.append(DocumentedFlag(flag.group(1), caption,
                                        cells[1] if len(cells) > 1 else "",
                                        number))
    return flags


def same_default(readme_cell, binary_default):
    """Whether a README default cell states the binary's default. Only a
    single `literal` or the word "empty" is compared; prose (e.g. "the
    service's (50051, ...)") is taken as it stands."""
    actual = binary_default
    if len(actual) >= 2 and actual[0] == actual[-1] == '"':
        actual = actual[1:-1]
    if readme_cell == "empty":
        return actual == ""
    literal = re.fullmatch(r"`([^`]*)`", readme_cell)
    if not literal:
        return True
    stated = literal.group(1)
    if stated == actual:
        return True
    # absl prints a zero duration as "0"; the README writes "0s".
    return re.fullmatch(r"0+(\.0*)?[a-z]*", stated) is not None and actual == "0"


# Which README table documents the flags of which source directory.
# Which README table documents the flags of which source directory, and the
# binaries that define those flags.
FLAG_TABLES = {
    "common/": ("Shared by every service:",
                ("participant", "scheduling", "analytics")),
    "services/participant/": ("participant:", ("participant",)),
    "services/scheduling/": ("scheduling:", ("scheduling",)),
    "services/analytics/": ("analytics:", ("analytics",)),
}
FLAG_BINARIES = sorted({b for _, binaries in FLAG_TABLES.values()
                        for b in binaries})


def binary_help(service):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALESMEET_")}
    result = subprocess.run([harness.binary_path(service), "--helpfull"],
                            stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, env=env, timeout=30)
    text = result.stdout + result.stderr
    if "Flags from" not in text:
        raise AssertionError(f"{service} --helpfull printed no flags "
                             f"(exit {result.returncode}):\n{text}")
    return text


# -- the tests -------------------------------------------------------------------

class ReadmeGrpcurlExamplesTest(harness.ServiceTestCase):
    """Runs the README's grpcurl examples in order against participant,
    scheduling and analytics servers seeded with the demo organisation and
    its meetings, as scripts/up.sh leaves them, at a pinned "now"."""

    # The currency table analytics was last seen converting with.
    table_seen = None

    @classmethod
    def setUpServices(cls):
        grpcurl_replay.import_generated_modules()
        if LIVE:
            addresses = {s: a for a, s in README_ADDRESSES.items()}
            cls.channels = {}
            for address, service in README_ADDRESSES.items():
                channel = grpc.insecure_channel(address)
                cls.addClassCleanup(channel.close)
                grpc.channel_ready_future(channel).result(timeout=RPC_TIMEOUT)
                cls.channels[service] = channel
        else:
            addresses = cls.start_seeded_services()
        grpcurl = grpcurl_cli.find_grpcurl()
        cls.runner = (GrpcurlRunner(grpcurl, addresses) if grpcurl
                      else ReplayRunner(cls.channels))
        pinned = ("the real clock" if LIVE
                  else f"now pinned at {harness.PINNED_START}")
        print(f"\nREADME lines run through {cls.runner.name}; {pinned}",
              file=sys.stderr)

    @classmethod
    def start_seeded_services(cls):
        """Starts the three services with "now" pinned and seeds the demo
        around that day. Returns each service's address."""
        cls.tmp = tempfile.TemporaryDirectory(prefix="salesmeet-readme-")
        cls.addClassCleanup(cls.tmp.cleanup)

        def flags(service, **more):
            path = os.path.join(cls.tmp.name, f"{service}.db")
            return {"db": harness.database_url(path), "drain_grace": "0s",
                    **more}

        participant = cls.start_service("participant", flags("participant"))
        scheduling = cls.start_service(
            "scheduling", flags("scheduling", participant=participant.address))
        # The seed sets scheduling's currency table after analytics has
        # read the policy; a short --policy_refresh lets analytics see it
        # in seconds rather than a minute (wait_for_analytics waits).
        analytics = cls.start_service(
            "analytics", flags("analytics", scheduling=scheduling.address,
                               participant=participant.address,
                               feed_heartbeat="1s", policy_refresh="1s"))
        servers = {"participant": participant, "scheduling": scheduling,
                   "analytics": analytics}
        cls.channels = {name: s.channel() for name, s in servers.items()}
        seed = subprocess.run(
            [sys.executable, str(SEED_SCRIPT),
             f"--participant={participant.address}",
             f"--scheduling={scheduling.address}", "--connect_timeout=10",
             f"--now={harness.now_rfc3339()}"],
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120)
        if (seed.returncode != 0
                or "demo seed: directory: created" not in seed.stdout
                or "meetings: booked" not in seed.stdout):
            raise AssertionError(
                f"scripts/seed_demo.py failed (exit {seed.returncode}):\n"
                f"{seed.stdout}{seed.stderr}")
        return {name: s.address for name, s in servers.items()}

    def test_readme_grpcurl_examples_do_what_the_readme_says_in_order(self):
        commands = readme_commands()
        self.assertTrue(commands, "README.md has no grpcurl examples")
        passed = 0
        for command in commands:
            with self.subTest(command=str(command)):
                if command.verb == "list":
                    self.check_list(command, {
                        c.target.split("/")[0] for c in commands
                        if c.verb == "invoke" and c.service == command.service})
                elif command.verb == "describe":
                    self.runner.describe(command)
                else:
                    if command.service == "analytics":
                        self.wait_for_analytics()
                    self.check_invoke(command,
                                      expected_outcome(command, commands))
                passed += 1
        print(f"{passed} of {len(commands)} README grpcurl lines did what the "
              f"README says through {self.runner.name}", file=sys.stderr)

    def wait_for_analytics(self):
        """Analytics follows scheduling's feed a moment behind, and reads
        its policy (the currency table) on connecting and then every
        --policy_refresh; a report example reads it once it has applied
        every change and converts with scheduling's current table."""
        from salesmeet.analytics.v1 import analytics_service_pb2 as asv
        from salesmeet.analytics.v1 import analytics_service_pb2_grpc
        from salesmeet.analytics.v1 import reports_pb2
        from salesmeet.scheduling.v1 import policy_pb2
        from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc
        stub = analytics_service_pb2_grpc.AnalyticsServiceStub(
            self.channels["analytics"])

        def caught_up():
            status = stub.GetFeedStatus(asv.GetFeedStatusRequest(),
                                        timeout=RPC_TIMEOUT)
            return status.connected and status.pending_changes == 0
        harness.wait_for(caught_up, 20, what="analytics to catch up")

        policy = scheduling_service_pb2_grpc.SchedulingServiceStub(
            self.channels["scheduling"]).GetSchedulingPolicy(
                policy_pb2.GetSchedulingPolicyRequest(), timeout=RPC_TIMEOUT)
        table = (policy.reporting_currency,
                 tuple((r.currency_code, r.rate) for r in policy.currency_rates))
        if not policy.currency_rates or table == self.__class__.table_seen:
            return

        def converts_with_the_table():
            # Nothing says which policy analytics last read; a report on
            # the demo's several currencies shows it: its total is in the
            # reporting currency only once analytics has the table.
            report = stub.GetCostReport(
                asv.GetCostReportRequest(scope=asv.ReportScope(),
                                         group_by=reports_pb2.TEAM),
                timeout=RPC_TIMEOUT)
            return report.totals.cost.currency_code == policy.reporting_currency
        # The refresh is a minute by default (LIVE), a second here.
        harness.wait_for(converts_with_the_table, 75, interval=0.25,
                         what="analytics to read scheduling's currency table")
        self.__class__.table_seen = table

    def check_list(self, command, invoked_services):
        listed = self.runner.list(command)
        missing = invoked_services - set(listed)
        self.assertFalse(missing, f"`list` would not show {sorted(missing)}, "
                                  f"which the README calls; it shows {listed}")

    def check_invoke(self, command, outcome):
        try:
            got = self.runner.invoke(command)
        except grpcurl_cli.RpcFailed as failed:
            self.check_error(failed.error, outcome)
            return
        self.assertEqual(outcome.code, OK,
                         f"expected {outcome.code.name} ({outcome.why}), but "
                         f"the call succeeded: {got}")
        for field, value in outcome.returns.items():
            self.assertIn(field, got, f"{outcome.why}: no {field} in {got}")
            self.assertTrue(contains(got[field], value),
                            f"{outcome.why}: {field} is not {value}: {got}")
        for wanted in outcome.returns_somewhere:
            self.assertTrue(contained_somewhere(got, wanted),
                            f"{outcome.why}: nothing like {wanted} in {got}")
        if not LIVE:
            for field, value in outcome.returns_when_pinned.items():
                self.assertIn(field, got, f"{outcome.why}: no {field} in {got}")
                self.assertTrue(contains(got[field], value),
                                f"{outcome.why}: {field} is not {value}: {got}")
        if "requestId" in json.loads(command.data):
            # The README: "repeating the call returns the same participant
            # [meeting] instead of a second one".
            self.assertEqual(self.runner.invoke(command), got,
                             "repeating the call with the same requestId "
                             "returned something else")

    def check_error(self, error, outcome):
        self.assertEqual(error.code, outcome.code,
                         f"expected {outcome.code.name} ({outcome.why}); got "
                         f"{error}")
        # The README: "always an ErrorInfo with domain salesmeet.dev".
        self.assertIsNotNone(error.error_info, f"no ErrorInfo: {error}")
        self.assertEqual(error.error_info.domain, DOMAIN, str(error))
        if outcome.reason:
            self.assertEqual(error.error_info.reason, outcome.reason, str(error))
        if error.code == INVALID_ARGUMENT:
            self.assertTrue(error.fields, f"no BadRequest fields: {error}")
        for field in outcome.bad_fields:
            self.assertIn(field, error.fields, str(error))
        if error.code == FAILED_PRECONDITION:
            self.assertTrue(error.violations,
                            f"no PreconditionFailure violations: {error}")
        subjects = [subject for _, subject in error.violations]
        for subject in outcome.violation_subjects:
            self.assertIn(subject, subjects, str(error))


class ReadmeExamplesAreUnderstoodTest(unittest.TestCase):
    """Guards against the examples test passing because it skipped something."""

    def test_every_grpcurl_line_in_the_readme_is_a_form_the_test_executes(self):
        commands = readme_commands()  # Raises ReadmeError otherwise.
        self.assertEqual({c.verb for c in commands},
                         {"list", "describe", "invoke"})

    def test_readme_errors_section_has_a_grpcurl_example(self):
        self.assertTrue([c for c in readme_commands()
                         if c.section == ERRORS_SECTION])

    def test_every_expected_outcome_matches_a_readme_command(self):
        unmatched = unmatched_outcomes(readme_commands())
        if unmatched:
            self.fail("EXPECTED_OUTCOMES entries that match no README "
                      "command (update the table with the README): " +
                      "; ".join(f"{o.method} with {o.json_contains!r}, call "
                                f"#{o.nth} ({o.why})" for o in unmatched))


class ReadmeFlagTablesTest(unittest.TestCase):
    """The README's flag tables against each binary's `--helpfull`."""

    @classmethod
    def setUpClass(cls):
        cls.help_texts = {b: binary_help(b) for b in FLAG_BINARIES}
        cls.defined = {b: binary_flags(text) for b, text in cls.help_texts.items()}
        cls.documented = readme_flags()

    def table_of(self, documented):
        """(source prefix, binaries) of the README table a row is in."""
        for prefix, (table, binaries) in FLAG_TABLES.items():
            if table == documented.table:
                return prefix, binaries
        self.fail(f"README.md:{documented.line} documents --{documented.name} "
                  f"under {documented.table!r}, which is not a table in "
                  "FLAG_TABLES")

    def test_readme_and_helpfull_both_list_flags_of_every_flag_table(self):
        self.assertTrue(self.documented, "no `--flag` rows in README tables")
        for prefix, (table, binaries) in FLAG_TABLES.items():
            with self.subTest(table=table):
                self.assertTrue([f for f in self.documented if f.table == table],
                                f"README.md has no {table!r} flag table")
            for binary in binaries:
                with self.subTest(source=prefix, binary=binary):
                    self.assertTrue(
                        [f for f in self.defined[binary].values()
                         if f.source.startswith(prefix)],
                        f"{binary} --helpfull shows no flags from {prefix}:\n"
                        f"{self.help_texts[binary]}")

    def test_every_flag_in_the_readme_tables_is_a_flag_of_the_binaries_it_is_for(self):
        for documented in self.documented:
            prefix, binaries = self.table_of(documented)
            for binary in binaries:
                with self.subTest(flag=documented.name, binary=binary):
                    flag = self.defined[binary].get(documented.name)
                    self.assertIsNotNone(
                        flag, f"README.md:{documented.line} documents "
                              f"--{documented.name}, which {binary} does not "
                              "define")
                    self.assertTrue(
                        flag.source.startswith(prefix),
                        f"README.md:{documented.line} documents "
                        f"--{documented.name} under {documented.table!r}, but "
                        f"{binary} defines it in {flag.source}")

    def test_every_flag_defined_in_our_sources_is_in_the_readme_table_for_it(self):
        tables = {(f.name, f.table) for f in self.documented}
        for binary, flags in self.defined.items():
            for flag in flags.values():
                with self.subTest(binary=binary, flag=flag.name,
                                  source=flag.source):
                    wanted = [table for prefix, (table, _) in FLAG_TABLES.items()
                              if flag.source.startswith(prefix)]
                    self.assertTrue(wanted, f"no README table is known for "
                                            f"flags of {flag.source}; add it "
                                            "to FLAG_TABLES")
                    self.assertIn((flag.name, wanted[0]), tables,
                                  f"--{flag.name} (from {flag.source}) is not "
                                  f"documented in README.md under "
                                  f"{wanted[0]!r}")

    def test_readme_flag_defaults_are_the_binarys_defaults(self):
        for documented in self.documented:
            _, binaries = self.table_of(documented)
            for binary in binaries:
                flag = self.defined[binary].get(documented.name)
                if flag is None:
                    continue  # Reported by the tests above.
                with self.subTest(flag=flag.name, binary=binary):
                    self.assertTrue(
                        same_default(documented.default, flag.default),
                        f"README.md:{documented.line} says --{flag.name} "
                        f"defaults to {documented.default}; {binary} says "
                        f"{flag.default}")


if __name__ == "__main__":
    unittest.main()
