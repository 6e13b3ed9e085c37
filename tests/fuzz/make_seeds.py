#!/usr/bin/env python3
"""Writes the fuzz targets' hand-made seeds into tests/fuzz/corpus/<target>/.

Each seed is a meaningful input, named for what it is: a real filter, an
RRULE with the header recurrence_fuzz.cc reads, a request in the protobuf
text format (encoded by protoc) behind the byte that picks its method. Run
it after changing a seed here or a target's input format, and commit what
it writes; it never deletes, so crash inputs kept as regression cases (named
crash-<sha1> by libFuzzer) stay.

    tests/fuzz/make_seeds.py

Needs protoc and the google/rpc and google/type protos (DESIGN.md §10).
The page tokens are sealed with the targets' key (kPageTokenSecret).
"""

import base64
import datetime
import hashlib
import hmac
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")
PROTO_PATH = [
    os.path.join(REPO, "proto"),
    "/usr/share/gocode/src/github.com/gogo/googleapis",
    "/usr/include",
]

# fuzz_support.h: kPageTokenSecret and FuzzNow().
PAGE_TOKEN_SECRET = b"fuzz-page-token-secret"
NOW = int(datetime.datetime(2026, 3, 2, 7, tzinfo=datetime.timezone.utc).timestamp())

# The methods in the order each request target's Methods() lists them.
PARTICIPANT_METHODS = [
    "CreateParticipant", "GetParticipant", "BatchGetParticipants",
    "ListParticipants", "UpdateParticipant", "DeleteParticipant",
    "CreateTeam", "GetTeam", "ListTeams", "UpdateTeam", "DeleteTeam",
]
SCHEDULING_METHODS = [
    "CreateMeeting", "GetMeeting", "ListMeetings", "UpdateMeeting",
    "CancelMeeting", "CompleteMeeting", "RespondToMeeting",
    "ListOccurrences", "MoveOccurrence", "CancelOccurrence",
    "RestoreOccurrence", "TruncateSeries", "GetCalendar", "QueryFreeBusy",
    "FindMeetingSlots", "GetSchedulingPolicy", "UpdateSchedulingPolicy",
]
ANALYTICS_METHODS = [
    "GetCostReport", "GetMeetingLoadReport", "GetMeetingMixReport",
    "GetContactCadenceReport", "GetTopPerformers", "GetFeedStatus",
]

# recurrence_fuzz.cc's kZones.
ZONES = [
    "UTC", "Europe/Rome", "America/New_York", "Australia/Lord_Howe",
    "Asia/Kathmandu", "Pacific/Apia", "America/Santiago", "Europe/London",
    "Pacific/Chatham", "America/St_Johns", "Africa/Casablanca",
    "Antarctica/Troll", "Asia/Tokyo", "Not/A_Zone",
]


def ts(year, month, day, hour=0, minute=0):
    """Seconds since the epoch of a UTC time."""
    return int(datetime.datetime(year, month, day, hour, minute,
                                 tzinfo=datetime.timezone.utc).timestamp())


def encode(message, proto_file, text):
    """The binary encoding of `text`, a `message` in the text format."""
    args = ["protoc", f"--encode={message}"]
    for path in PROTO_PATH:
        args.append(f"-I{path}")
    args.append(proto_file)
    return subprocess.run(args, input=text.encode(), stdout=subprocess.PIPE,
                          check=True).stdout


def write(target, name, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as out:
        out.write(data if isinstance(data, bytes) else data.encode())


def page_token(scope, query, cursor, issued):
    """A token as PageTokenCodec::Encode seals it."""
    payload = b"\x01" + struct.pack(">q", issued) + cursor.encode()
    message = b""
    for part in (scope.encode(), query.encode(), payload):
        message += struct.pack(">q", len(part)) + part
    mac = hmac.new(PAGE_TOKEN_SECRET, message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(payload + mac).rstrip(b"=").decode()


def requests(target, methods, package, proto_file, seeds):
    """Seeds for a request target: (name, method, text) each."""
    for name, method, text in seeds:
        body = encode(f"{package}.{method}Request", proto_file, text)
        write(target, name, bytes([methods.index(method)]) + body)


def list_filter():
    seeds = {
        "participants_kind_team": 'kind = EMPLOYEE AND team = "teams/emea-sales"',
        "participants_role_bare": "role=SALES_REP",
        "participants_customers": "customer.lifecycle = PROSPECT AND "
                                  "customer.account_owner = participants/ada",
        "teams_manager": 'manager = "participants/bob"',
        "meetings_four_terms": 'participant = "participants/ada" AND '
                               "state = SCHEDULED AND purpose = PROSPECT_PITCH "
                               "AND audience = CUSTOMER_FACING",
        "meetings_format": "organizer = participants/bob AND\tformat = VIDEO_CONFERENCE",
        "quoted_escapes": r'team = "teams/a \"quoted\" name \\ end"',
        "empty": "",
        "refused_or": "kind = EMPLOYEE OR role = SALES_REP",
        "refused_not_equal": "kind != EMPLOYEE",
        "refused_unterminated": 'team = "teams/emea',
        "refused_twice": "kind = EMPLOYEE AND kind = PARTNER",
        "refused_unknown_field": "colour = red",
        "refused_trailing_and": "kind = EMPLOYEE AND",
    }
    for name, text in seeds.items():
        write("list_filter", name, text)


def page_tokens():
    decode, roundtrip = b"\x00", b"\x01"
    seeds = {
        "valid_after_ada": decode + page_token("ListParticipants", "", "ada", NOW - 3600).encode(),
        "expired": decode + page_token("ListParticipants", "", "ada", NOW - 2 * 86400).encode(),
        "from_the_future": decode + page_token("ListParticipants", "", "ada", NOW + 3600).encode(),
        "other_query": decode + page_token("ListParticipants", "4:kind=8:EMPLOYEE;", "ada", NOW).encode(),
        "not_base64": decode + b"not a token!",
        "too_short": decode + b"AQID",
        "cursor_name": roundtrip + b"participants/ada",
        "cursor_empty": roundtrip,
        "cursor_binary": roundtrip + bytes(range(0, 256, 7)),
    }
    for name, data in seeds.items():
        write("page_token", name, data)


def update_masks():
    participant = "salesmeet/participant/v1/participant_service.proto"
    policy = "salesmeet/scheduling/v1/scheduling_service.proto"
    seeds = [
        ("participant_nested_path", 0, participant,
         "salesmeet.participant.v1.UpdateParticipantRequest",
         'participant { display_name: "Cleo B" customer { lifecycle: EXISTING_CUSTOMER } } '
         'update_mask { paths: "display_name" paths: "customer.lifecycle" }'),
        ("participant_whole_customer", 0, participant,
         "salesmeet.participant.v1.UpdateParticipantRequest",
         'participant { customer { account: "Acme EU" } } '
         'update_mask { paths: "customer" paths: "customer.account" }'),
        ("participant_star", 0, participant,
         "salesmeet.participant.v1.UpdateParticipantRequest",
         'participant { email: "c@acme.example" time_zone: "Europe/Paris" } '
         'update_mask { paths: "*" }'),
        ("participant_no_mask", 0, participant,
         "salesmeet.participant.v1.UpdateParticipantRequest",
         'participant { working_hours { day: FRIDAY start_time { hours: 10 } end_time { hours: 12 } } }'),
        ("participant_clear_time_off", 0, participant,
         "salesmeet.participant.v1.UpdateParticipantRequest",
         'update_mask { paths: "time_off" paths: "customer.contact_cadence" }'),
        ("participant_refused_immutable", 0, participant,
         "salesmeet.participant.v1.UpdateParticipantRequest",
         'participant { kind: EMPLOYEE } update_mask { paths: "kind" paths: "etag" paths: "bogus" }'),
        ("policy_one_rule", 1, policy,
         "salesmeet.scheduling.v1.UpdateSchedulingPolicyRequest",
         'policy { rules { over_weekly_budget: WARN } } '
         'update_mask { paths: "rules.over_weekly_budget" }'),
        ("policy_rates_replaced", 1, policy,
         "salesmeet.scheduling.v1.UpdateSchedulingPolicyRequest",
         'policy { reporting_currency: "USD" currency_rates { currency_code: "EUR" rate: 1.08 } } '
         'update_mask { paths: "reporting_currency" paths: "currency_rates" }'),
        ("policy_refused_nested_rate", 1, policy,
         "salesmeet.scheduling.v1.UpdateSchedulingPolicyRequest",
         'update_mask { paths: "currency_rates.rate" paths: "*" }'),
    ]
    for name, selector, proto_file, message, text in seeds:
        write("update_mask", name, bytes([selector]) + encode(message, proto_file, text))


def recurrence():
    def seed(name, zone, start_hours, minute, five_minutes, rrule,
             exdates=0, exceptions=0, shift=0):
        header = bytes([ZONES.index(zone)]) + struct.pack("<H", start_hours)
        header += bytes([minute, five_minutes, exdates, exceptions, shift & 0xFF])
        write("recurrence", name, header + rrule.encode())

    def hours(month, day, hour):
        """Hours from 2026-01-01 00:00 to that local time in 2026."""
        return (datetime.date(2026, month, day) - datetime.date(2026, 1, 1)).days * 24 + hour

    seed("weekly_tuesday_count", "Europe/Rome", hours(3, 3, 10), 0, 12,
         "FREQ=WEEKLY;BYDAY=TU;COUNT=20")
    seed("weekdays_endless_new_york_dst", "America/New_York", hours(3, 2, 9), 0, 3,
         "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR")
    seed("last_friday_until", "Australia/Lord_Howe", hours(1, 30, 15), 30, 18,
         "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231T235959Z")
    seed("monthly_31st", "Asia/Kathmandu", hours(1, 31, 9), 45, 6,
         "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=12")
    seed("leap_day_yearly", "UTC", (datetime.date(2028, 2, 29) - datetime.date(2026, 1, 1)).days * 24 + 12,
         0, 12, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
    seed("biweekly_exdates_exceptions", "Europe/London", hours(3, 2, 14), 0, 6,
         "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=SU;COUNT=30",
         exdates=(3 << 2) | 2, exceptions=(2 << 3) | 2, shift=8)
    seed("last_weekday_setpos", "America/Santiago", hours(1, 30, 11), 0, 9,
         "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")
    seed("daily_in_spring_gap", "Europe/Rome", hours(3, 28, 2), 30, 6,
         "FREQ=DAILY;COUNT=4")
    seed("daily_in_autumn_overlap", "America/New_York", hours(10, 31, 1), 30, 6,
         "FREQ=DAILY;COUNT=4", exceptions=3, shift=-4)
    seed("troll_two_hour_dst", "Antarctica/Troll", hours(3, 27, 1), 0, 12,
         "FREQ=WEEKLY;BYDAY=SU;UNTIL=20270101T000000Z")
    seed("yearly_week_53", "Pacific/Chatham", hours(12, 28, 9), 0, 12,
         "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO")
    seed("single_meeting", "Asia/Tokyo", hours(3, 4, 9), 0, 12, "")
    seed("not_a_zone", "Not/A_Zone", hours(3, 3, 10), 0, 12, "FREQ=WEEKLY")
    seed("not_an_occurrence_exdate", "Europe/Rome", hours(3, 3, 10), 0, 12,
         "FREQ=WEEKLY;COUNT=5", exceptions=4)
    seed("overlapping_occurrences", "UTC", hours(3, 3, 10), 0, 255,
         "FREQ=DAILY;COUNT=3")
    for name, rule in {
        "refused_hourly": "FREQ=HOURLY",
        "refused_byhour": "FREQ=DAILY;BYHOUR=9",
        "refused_count_and_until": "FREQ=WEEKLY;COUNT=3;UNTIL=20270101T000000Z",
        "refused_bad_day": "FREQ=WEEKLY;BYDAY=XX",
        "refused_feb_30_until": "FREQ=DAILY;UNTIL=20260230T000000Z",
        "refused_part_twice": "FREQ=DAILY;FREQ=WEEKLY",
        "refused_huge_interval": "FREQ=DAILY;INTERVAL=100000",
        # Rules that can never occur, which libical once searched to the
        # year 2582 for (seconds per request); now refused at once.
        "refused_never_sixth_friday": "FREQ=MONTHLY;BYDAY=-6FR",
        "refused_never_seventh_monday": "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=7",
        "refused_never_last_sunday_early": "FREQ=MONTHLY;BYDAY=-1SU;BYMONTHDAY=1,2,3,4,5,6",
        "refused_never_february_30": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    }.items():
        seed(name, "Europe/Rome", hours(3, 3, 10), 0, 12, rule)


def participant_requests():
    employee = ('display_name: "Fay" email: "fay@example.com" kind: EMPLOYEE '
                'role: MARKETING team: "teams/product" time_zone: "Europe/Berlin" '
                'hourly_cost { currency_code: "EUR" units: 55 } '
                'weekly_meeting_budget { seconds: 28800 }')
    query = ""  # CanonicalFilter of no terms.
    token = page_token("ListParticipants", query, "ada", NOW - 600)
    requests("participant_requests", PARTICIPANT_METHODS, "salesmeet.participant.v1",
             "salesmeet/participant/v1/participant_service.proto", [
        ("create_employee", "CreateParticipant",
         f'participant_id: "fay" request_id: "r-1" participant {{ {employee} '
         'working_hours { day: MONDAY start_time { hours: 9 } end_time { hours: 12 } } '
         'working_hours { day: MONDAY start_time { hours: 13 } end_time { hours: 17 minutes: 30 } } }'),
        ("create_customer", "CreateParticipant",
         'participant { display_name: "Gus" email: "gus@globex.example" kind: CUSTOMER_CONTACT '
         'time_zone: "Asia/Tokyo" customer { account: "Globex" lifecycle: NEW_CUSTOMER '
         'account_owner: "participants/bob" contact_cadence { seconds: 604800 } } }'),
        ("create_refused_fields", "CreateParticipant",
         'participant_id: "Not-An-Id-" participant { display_name: " " email: "a@@b" '
         'kind: EMPLOYEE time_zone: "Mars/Olympus" hourly_cost { currency_code: "EUR" units: -1 } '
         'working_hours { day: MONDAY start_time { hours: 18 } end_time { hours: 9 } } }'),
        ("create_duplicate_email", "CreateParticipant",
         'participant { display_name: "Ada 2" email: "ada@example.com" kind: PARTNER '
         'time_zone: "UTC" }'),
        ("get_ada", "GetParticipant", 'name: "participants/ada"'),
        ("get_refused_name", "GetParticipant", 'name: "teams/emea"'),
        ("batch_get", "BatchGetParticipants",
         'names: "participants/ada" names: "participants/cleo" names: "participants/ada"'),
        ("batch_get_missing", "BatchGetParticipants", 'names: "participants/nobody" names: "x"'),
        ("list_filtered", "ListParticipants",
         'filter: "kind = EMPLOYEE AND team = teams/emea" page_size: 1'),
        ("list_second_page", "ListParticipants", f'page_size: 2 page_token: "{token}"'),
        ("list_refused_filter", "ListParticipants", 'filter: "role = WIZARD" page_size: -1'),
        ("update_display_name", "UpdateParticipant",
         'participant { name: "participants/ada" display_name: "Ada Lovelace" } '
         'update_mask { paths: "display_name" }'),
        ("update_owner_loses_sales_role", "UpdateParticipant",
         'participant { name: "participants/ada" role: DEVELOPER } update_mask { paths: "role" }'),
        ("update_customer_lifecycle", "UpdateParticipant",
         'participant { name: "participants/cleo" customer { lifecycle: EXISTING_CUSTOMER } } '
         'update_mask { paths: "customer.lifecycle" }'),
        ("update_stale_etag", "UpdateParticipant",
         'participant { name: "participants/bob" etag: "W/\\"0\\"" email: "b@example.com" }'),
        ("delete_customer", "DeleteParticipant", 'name: "participants/cleo"'),
        ("delete_manager_refused", "DeleteParticipant", 'name: "participants/bob"'),
        ("delete_manager_forced", "DeleteParticipant", 'name: "participants/bob" force: true'),
        ("create_team", "CreateTeam",
         'team_id: "apac" request_id: "t-1" team { display_name: "APAC" description: "Asia" '
         'manager: "participants/ada" }'),
        ("create_team_customer_manager", "CreateTeam",
         'team { display_name: "Odd" manager: "participants/cleo" }'),
        ("get_team", "GetTeam", 'name: "teams/emea"'),
        ("list_teams", "ListTeams", 'filter: "manager = participants/bob" page_size: 1'),
        ("update_team", "UpdateTeam",
         'team { name: "teams/product" description: "Builds it" manager: "participants/dev" } '
         'update_mask { paths: "description" paths: "manager" }'),
        ("delete_team_with_members", "DeleteTeam", 'name: "teams/product"'),
        ("delete_team_forced", "DeleteTeam", 'name: "teams/emea" force: true'),
    ])


def scheduling_requests():
    meeting = ('title: "Demo prep" agenda: "Slides" purpose: PRODUCT_UPDATE format: IN_PERSON '
               'organizer: "participants/ada" attendees { participant: "participants/ada" } '
               'attendees { participant: "participants/dev" } '
               f'start_time {{ seconds: {ts(2026, 3, 11, 13)} }} end_time {{ seconds: {ts(2026, 3, 11, 14)} }}')
    march = f'start_time {{ seconds: {ts(2026, 3, 1)} }} end_time {{ seconds: {ts(2026, 4, 1)} }}'
    next_week = f'start_time {{ seconds: {ts(2026, 3, 9)} }} end_time {{ seconds: {ts(2026, 3, 16)} }}'
    weekly_10th = f'{{ seconds: {ts(2026, 3, 10, 9)} }}'
    weekly_17th = f'{{ seconds: {ts(2026, 3, 17, 9)} }}'
    requests("scheduling_requests", SCHEDULING_METHODS, "salesmeet.scheduling.v1",
             "salesmeet/scheduling/v1/scheduling_service.proto", [
        ("create_single", "CreateMeeting", f'meeting_id: "prep" request_id: "c-1" meeting {{ {meeting} }}'),
        ("create_series_validate_only", "CreateMeeting",
         f'validate_only: true meeting {{ {meeting} time_zone: "Europe/Rome" '
         'recurrence { rrule: "FREQ=WEEKLY;BYDAY=WE;COUNT=8" '
         f'exdates {{ seconds: {ts(2026, 3, 18, 13)} }} }} }}'),
        ("create_refused_by_policy", "CreateMeeting",
         'meeting { title: "Acme follow-up" purpose: CUSTOMER_PRESENTATION format: VIDEO_CONFERENCE '
         'video_conference { provider: TEAMS } organizer: "participants/dev" '
         'attendees { participant: "participants/dev" } attendees { participant: "participants/cleo" } '
         f'start_time {{ seconds: {ts(2026, 3, 12, 15)} }} end_time {{ seconds: {ts(2026, 3, 12, 16)} }} }}'),
        ("create_conflict_with_weekly", "CreateMeeting",
         'meeting { title: "Clash" purpose: STRATEGY format: ONE_ON_ONE organizer: "participants/ada" '
         'attendees { participant: "participants/ada" } attendees { participant: "participants/bob" } '
         f'start_time {{ seconds: {ts(2026, 3, 10, 9, 30)} }} end_time {{ seconds: {ts(2026, 3, 10, 10)} }} }}'),
        ("create_refused_fields", "CreateMeeting",
         'meeting_id: "X" meeting { title: "" organizer: "participants/nobody" '
         f'start_time {{ seconds: {ts(2026, 3, 11, 14)} }} end_time {{ seconds: {ts(2026, 3, 11, 13)} }} '
         'recurrence { rrule: "FREQ=SECONDLY" } }'),
        ("get_weekly", "GetMeeting", 'name: "meetings/weekly"'),
        ("list_for_ada", "ListMeetings",
         f'filter: "participant = participants/ada AND state = SCHEDULED" page_size: 2 interval {{ {march} }}'),
        ("update_title", "UpdateMeeting",
         'meeting { name: "meetings/pitch" title: "Acme pitch (final)" } update_mask { paths: "title" }'),
        ("update_move_series", "UpdateMeeting",
         'validate_only: true meeting { name: "meetings/weekly" '
         f'start_time {{ seconds: {ts(2026, 3, 3, 13)} }} end_time {{ seconds: {ts(2026, 3, 3, 14)} }} }} '
         'update_mask { paths: "start_time" paths: "end_time" }'),
        ("cancel_pitch", "CancelMeeting", 'name: "meetings/pitch" reason: "Customer postponed"'),
        ("complete_review_won", "CompleteMeeting",
         'name: "meetings/review" outcome: WON deal_value { currency_code: "EUR" units: 12000 } '
         'notes: "Signed"'),
        ("complete_refused_held_with_value", "CompleteMeeting",
         'name: "meetings/review" outcome: HELD deal_value { currency_code: "EUR" units: 1 }'),
        ("respond_declined", "RespondToMeeting",
         'name: "meetings/weekly" attendee: "participants/ada" response: DECLINED'),
        ("respond_one_occurrence", "RespondToMeeting",
         f'name: "meetings/weekly" attendee: "participants/eve" response: TENTATIVE '
         f'original_start_time {weekly_10th}'),
        ("list_occurrences", "ListOccurrences",
         f'name: "meetings/standup" interval {{ {march} }} page_size: 5 show_cancelled: true'),
        ("move_occurrence", "MoveOccurrence",
         f'name: "meetings/weekly" original_start_time {weekly_10th} '
         f'start_time {{ seconds: {ts(2026, 3, 10, 13)} }} end_time {{ seconds: {ts(2026, 3, 10, 14)} }}'),
        ("cancel_occurrence", "CancelOccurrence",
         f'name: "meetings/weekly" original_start_time {weekly_17th} reason: "Holiday"'),
        ("restore_occurrence", "RestoreOccurrence",
         f'name: "meetings/weekly" original_start_time {weekly_17th} validate_only: true'),
        ("truncate_series", "TruncateSeries",
         f'name: "meetings/weekly" original_start_time {{ seconds: {ts(2026, 4, 7, 8)} }}'),
        ("calendar_ada", "GetCalendar", f'participant: "participants/ada" interval {{ {next_week} }}'),
        ("free_busy", "QueryFreeBusy",
         'participants: "participants/ada" participants: "participants/dev" '
         f'participants: "participants/cleo" interval {{ {next_week} }} include_unavailable: true'),
        ("find_slots", "FindMeetingSlots",
         'required_attendees: "participants/ada" required_attendees: "participants/bob" '
         'optional_attendees: "participants/eve" organizer: "participants/ada" '
         f'duration {{ seconds: 3600 }} window {{ {next_week} }} granularity {{ seconds: 1800 }} '
         'buffer_before { seconds: 600 } minimum_notice { seconds: 86400 } '
         'earliest_local_time { hours: 9 } latest_local_time { hours: 17 } max_results: 3 '
         'check_weekly_budget: true'),
        ("get_policy", "GetSchedulingPolicy", 'name: "schedulingPolicy"'),
        ("update_policy", "UpdateSchedulingPolicy",
         'policy { rules { max_attendees: 6 too_many_attendees: REJECT } '
         'team_overrides { team: "teams/emea" rules { outside_working_hours: REJECT } } } '
         'update_mask { paths: "rules.max_attendees" paths: "rules.too_many_attendees" '
         'paths: "team_overrides" }'),
    ])


def analytics_requests():
    scope = (f'scope {{ interval {{ start_time {{ seconds: {ts(2026, 2, 23)} }} '
             f'end_time {{ seconds: {ts(2026, 4, 6)} }} }} time_zone: "Europe/Rome" }}')
    requests("analytics_requests", ANALYTICS_METHODS, "salesmeet.analytics.v1",
             "salesmeet/analytics/v1/analytics_service.proto", [
        ("cost_by_week", "GetCostReport", scope + " group_by: ISO_WEEK"),
        ("cost_by_team_filtered", "GetCostReport",
         'scope { team: "teams/emea" organizer: "participants/bob" } group_by: TEAM'),
        ("cost_refused_scope", "GetCostReport",
         f'scope {{ interval {{ start_time {{ seconds: {ts(2026, 4, 1)} }} '
         f'end_time {{ seconds: {ts(2026, 3, 1)} }} }} team: "people/x" time_zone: "Nowhere" }}'),
        ("load_paged", "GetMeetingLoadReport",
         scope + ' page_size: 1 focus_block_minimum { seconds: 7200 }'),
        ("load_bad_token", "GetMeetingLoadReport", 'page_token: "AQAAAAA" page_size: -3'),
        ("mix_for_ada", "GetMeetingMixReport", 'scope { participant: "participants/ada" }'),
        ("cadence_overdue", "GetContactCadenceReport",
         'account_owner: "participants/ada" statuses: OVERDUE statuses: NEVER_CONTACTED page_size: 10'),
        ("top_win_rate", "GetTopPerformers", scope + " metric: WIN_RATE min_meetings: 1 max_results: 3"),
        ("feed_status", "GetFeedStatus", ""),
    ])


def calendar_buckets():
    def entry(meeting, start, end, original=None, **extra):
        text = (f'meeting: "meetings/{meeting}" title: "{meeting}" purpose: STRATEGY '
                f'format: IN_PERSON audience: INTERNAL state: SCHEDULED organizer: "participants/ada" '
                f'original_start_time {{ seconds: {original or start} }} '
                f'start_time {{ seconds: {start} }} end_time {{ seconds: {end} }} response: ACCEPTED')
        for key, value in extra.items():
            text += f" {key}: {value}"
        return f"entries {{ {text} }}"

    monday = ts(2026, 3, 9, 9)
    buckets = {
        "week_of_meetings": entry("a", monday, monday + 3600) +
                            entry("b", monday + 86400, monday + 86400 + 1800, optional="true") +
                            entry("c", monday + 2 * 86400, monday + 2 * 86400 + 3600,
                                  recurring="true", moved="true", original=monday + 86400 * 2 - 3600),
        "crosses_week_boundary": entry("late", ts(2026, 3, 15, 23), ts(2026, 3, 16, 1)),
        "same_occurrence_twice": entry("dup", monday, monday + 3600) * 2,
        "end_before_start": entry("backwards", monday + 3600, monday),
        "extreme_times": entry("far", 253402300799, -62135596800) +
                         entry("nanos", monday, monday + 60).replace(
                             "start_time {", "start_time { nanos: 999999999 "),
        "empty": "",
    }
    for name, text in buckets.items():
        write("calendar_bucket", name,
              encode("salesmeet.scheduling.v1.GetCalendarResponse",
                     "salesmeet/scheduling/v1/calendar.proto", text))
    write("calendar_bucket", "not_a_proto", b"\xff\xff\xff\xff garbage")


def feed_changes():
    proto = "salesmeet/scheduling/v1/scheduling_service.proto"

    def attendee(who, kind="EMPLOYEE", role="SALES_REP", team="emea", cost=None, response="ACCEPTED"):
        snapshot = f"kind: {kind}"
        if kind == "EMPLOYEE":
            snapshot += f' role: {role} team: "teams/{team}"'
        if cost:
            snapshot += f" hourly_cost {{ {cost} }}"
        return (f'attendees {{ participant: "participants/{who}" response: {response} '
                f"snapshot {{ {snapshot} }} }}")

    def change(sequence, kind, body):
        return (f"changes {{ sequence: {sequence} type: {kind} "
                f"commit_time {{ seconds: {NOW - 86400 + sequence * 60} }} meeting {{ {body} }} }}")

    eur60 = 'currency_code: "EUR" units: 60'
    series = ('name: "meetings/weekly" title: "Pipeline" purpose: SALES_DATA_REVIEW format: IN_PERSON '
              'audience: INTERNAL state: SCHEDULED organizer: "participants/ada" '
              + attendee("ada", cost=eur60) + attendee("bob", role="SALES_MANAGER", cost=eur60) +
              f' start_time {{ seconds: {ts(2026, 3, 3, 9)} }} end_time {{ seconds: {ts(2026, 3, 3, 10)} }} '
              'time_zone: "Europe/Rome"')
    messages = {
        "weekly_series": change(1, "MEETING_CREATED",
                                series + ' recurrence { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=12" }'),
        "endless_series_moved_occurrence": change(
            1, "MEETING_CREATED", series + ' recurrence { rrule: "FREQ=WEEKLY;BYDAY=TU" '
            f'exdates {{ seconds: {ts(2026, 3, 17, 9)} }} }} occurrence_exceptions {{ '
            f'original_start_time {{ seconds: {ts(2026, 3, 10, 9)} }} '
            f'start_time {{ seconds: {ts(2026, 3, 11, 9)} }} end_time {{ seconds: {ts(2026, 3, 11, 10)} }} '
            'responses { attendee: "participants/bob" response: DECLINED } }'),
        "won_deal_in_dollars": change(
            1, "MEETING_COMPLETED",
            'name: "meetings/deal" purpose: PROSPECT_PITCH format: VIDEO_CONFERENCE '
            'audience: CUSTOMER_FACING state: COMPLETED outcome: WON '
            'deal_value { currency_code: "USD" units: 250000 nanos: 500000000 } '
            'organizer: "participants/ada" ' + attendee("ada", cost='currency_code: "USD" units: 80') +
            attendee("cleo", kind="CUSTOMER_CONTACT") +
            f' start_time {{ seconds: {ts(2026, 2, 26, 15)} }} end_time {{ seconds: {ts(2026, 2, 26, 16)} }} '
            'time_zone: "America/New_York"'),
        "series_then_cancelled": change(1, "MEETING_CREATED", series) +
                                 change(2, "MEETING_CANCELLED", series.replace("SCHEDULED", "CANCELLED")),
        "gap_in_sequence": change(1, "MEETING_CREATED", series) + change(3, "MEETING_UPDATED", series),
        "unreadable_timing": change(1, "MEETING_CREATED",
                                    series.replace("Europe/Rome", "Nowhere/Zone") +
                                    ' recurrence { rrule: "FREQ=WEEKLY;BYDAY=TU" }'),
        "heartbeat_only": "",
    }
    for name, text in messages.items():
        text += f" head_sequence: 2 send_time {{ seconds: {NOW} }}"
        write("feed_changes", name,
              b"\x00" + encode("salesmeet.scheduling.v1.WatchMeetingChangesResponse", proto, text))
    policies = {
        "policy_rates": 'reporting_currency: "EUR" currency_rates { currency_code: "USD" rate: 0.92 } '
                        'currency_rates { currency_code: "GBP" rate: 1.17 }',
        "policy_refused_reporting_rate": 'reporting_currency: "EUR" '
                                         'currency_rates { currency_code: "EUR" rate: 1 }',
        "policy_zero_and_huge_rates": 'reporting_currency: "USD" currency_rates { currency_code: "EUR" rate: 0 } '
                                      'currency_rates { currency_code: "USD" rate: 1e300 }',
        "policy_without_table": 'reporting_currency: "GBP"',
    }
    for name, text in policies.items():
        write("feed_changes", name,
              b"\x01" + encode("salesmeet.scheduling.v1.SchedulingPolicy", proto, text))


def main():
    list_filter()
    page_tokens()
    update_masks()
    recurrence()
    participant_requests()
    scheduling_requests()
    analytics_requests()
    calendar_buckets()
    feed_changes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
