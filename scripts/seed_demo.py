#!/usr/bin/python3
"""Seeds a demo sales organisation into a running salesmeet, through its
public gRPC API only.

The company is Meridian Instruments, a (fictional) maker of industrial
sensors: three regional sales teams, an executive, solutions engineering,
operations, a partner, and customer contacts at six accounts across their
lifecycle, spread over eight time zones.

Run by scripts/up.sh. By hand, against a running participant service:

    PYTHONPATH=build/py /usr/bin/python3 scripts/seed_demo.py \\
        --participant=localhost:50051

Each section seeds only when its service holds no data yet, so a second run
changes nothing. Ids are readable and chosen here (participants/maria-rossi,
teams/emea-sales), and every create carries a request_id, so an interrupted
run can simply be run again.
"""

import argparse
import collections
import datetime
import sys
import zoneinfo

import grpc
from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2
from google.type import dayofweek_pb2, money_pb2, timeofday_pb2
from salesmeet.participant.v1 import participant_pb2 as pp
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc as ps_grpc
from salesmeet.type.v1 import people_pb2, time_pb2

RPC_TIMEOUT_S = 10
CURRENCY = "EUR"
COMPANY_DOMAIN = "meridian.example"  # RFC 2606: never a real mailbox.

# Role and lifecycle names, short enough to keep the tables below readable.
SALES_REP = people_pb2.SALES_REP
SALES_MANAGER = people_pb2.SALES_MANAGER
EXECUTIVE = people_pb2.EXECUTIVE
DEVELOPER = people_pb2.DEVELOPER
TECHNICAL_EXPERT = people_pb2.TECHNICAL_EXPERT
MANUFACTURING = people_pb2.MANUFACTURING
MARKETING = people_pb2.MARKETING
FINANCIAL_PLANNER = people_pb2.FINANCIAL_PLANNER
PROSPECT = people_pb2.PROSPECT
NEW_CUSTOMER = people_pb2.NEW_CUSTOMER
EXISTING_CUSTOMER = people_pb2.EXISTING_CUSTOMER

# ---------------------------------------------------------------------------
# The organisation
# ---------------------------------------------------------------------------

Team = collections.namedtuple("Team", "id name manager description")
Employee = collections.namedtuple(
    "Employee", "id name role team time_zone hours eur_per_hour budget_hours")
Partner = collections.namedtuple("Partner", "id name company_domain time_zone")
Account = collections.namedtuple("Account", "organisation email_domain lifecycle")
Contact = collections.namedtuple(
    "Contact", "id name account owner cadence_days time_zone")
Absence = collections.namedtuple("Absence", "who first_day days reason")

TEAMS = [
    #    id                display name             manager
    Team("emea-sales",     "EMEA Sales",            "maria-rossi",
         "Field sales for Europe, the Middle East and Africa."),
    Team("americas-sales", "Americas Sales",        "james-carter",
         "Field sales for North and South America."),
    Team("apac-sales",     "APAC Sales",            "mei-lin-tan",
         "Field sales for Asia-Pacific."),
    Team("solutions",      "Solutions Engineering", "priya-sharma",
         "Technical experts and developers who join pitches and onboarding."),
    Team("operations",     "Operations",            "hannah-schmidt",
         "Manufacturing, marketing and financial planning."),
]

# Weekly working hours in each person's own time zone: "days hh:mm-hh:mm ...",
# several groups separated by ";".
HOURS = {
    "italy":     "Mon-Fri 09:00-13:00 14:00-18:00",
    "uk":        "Mon-Thu 09:00-17:30; Fri 09:00-15:00",
    "germany":   "Mon-Fri 08:30-12:30 13:15-17:15",
    "france":    "Mon-Fri 09:30-12:30 14:00-18:30",
    "us":        "Mon-Fri 08:30-12:00 13:00-17:00",
    "singapore": "Mon-Fri 09:00-12:30 13:30-18:00",
    "factory":   "Mon-Fri 07:00-15:00",
    "part_time": "Mon-Wed 09:00-15:00",
}

EMPLOYEES = [
    #        id                display name      role               team              time zone           hours        EUR/h  meeting h/week
    Employee("elena-conti",    "Elena Conti",    EXECUTIVE,         "",               "Europe/Rome",      "italy",      180,  10),
    Employee("maria-rossi",    "Maria Rossi",    SALES_MANAGER,     "emea-sales",     "Europe/Rome",      "italy",       95,  12),
    Employee("luca-bianchi",   "Luca Bianchi",   SALES_REP,         "emea-sales",     "Europe/Rome",      "italy",       62,   8),
    Employee("sophie-turner",  "Sophie Turner",  SALES_REP,         "emea-sales",     "Europe/London",    "uk",          65,   8),
    Employee("jonas-weber",    "Jonas Weber",    SALES_REP,         "emea-sales",     "Europe/Berlin",    "germany",     64,   8),
    Employee("james-carter",   "James Carter",   SALES_MANAGER,     "americas-sales", "America/New_York", "us",          98,  12),
    Employee("emily-chen",     "Emily Chen",     SALES_REP,         "americas-sales", "America/New_York", "us",          66,   8),
    Employee("diego-alvarez",  "Diego Alvarez",  SALES_REP,         "americas-sales", "America/Chicago",  "us",          60,   8),
    Employee("mei-lin-tan",    "Mei Lin Tan",    SALES_MANAGER,     "apac-sales",     "Asia/Singapore",   "singapore",   90,  12),
    Employee("arjun-nair",     "Arjun Nair",     SALES_REP,         "apac-sales",     "Asia/Singapore",   "singapore",   58,   8),
    Employee("priya-sharma",   "Priya Sharma",   TECHNICAL_EXPERT,  "solutions",      "Europe/London",    "uk",          85,  10),
    Employee("tom-nguyen",     "Tom Nguyen",     DEVELOPER,         "solutions",      "America/New_York", "us",          78,   4),
    Employee("marco-ferrari",  "Marco Ferrari",  MANUFACTURING,     "operations",     "Europe/Rome",      "factory",     58,   3),
    Employee("chloe-martin",   "Chloé Martin",   MARKETING,         "operations",     "Europe/Paris",     "france",      68,   6),
    Employee("hannah-schmidt", "Hannah Schmidt", FINANCIAL_PLANNER, "operations",     "Europe/Berlin",    "part_time",   82,   4),
]

PARTNERS = [
    #       id                display name      email domain          time zone
    Partner("kenji-watanabe", "Kenji Watanabe", "pacific-si.example", "Asia/Tokyo"),
]

ACCOUNTS = {
    # key          organisation                     email domain             lifecycle
    "acme":      Account("Acme Robotics GmbH",        "acme-robotics.example", EXISTING_CUSTOMER),
    "thames":    Account("Thames Water Systems plc",  "thames-ws.example",     EXISTING_CUSTOMER),
    "bellini":   Account("Bellini Foods S.p.A.",      "bellini-foods.example", NEW_CUSTOMER),
    "harbor":    Account("Harbor Health Partners",    "harborhealth.example",  NEW_CUSTOMER),
    "northwind": Account("Northwind Logistics Inc.",  "northwind.example",     PROSPECT),
    "lioncity":  Account("Lion City Electronics Pte", "lioncity.example",      PROSPECT),
}

# Prospects are met weekly, new customers every two weeks, established ones
# monthly. The owner is always someone in sales.
CUSTOMER_CONTACTS = [
    #       id                display name       account      account owner    cadence (days)  time zone
    Contact("anna-schulz",    "Anna Schulz",     "acme",      "jonas-weber",   30,  "Europe/Berlin"),
    Contact("felix-braun",    "Felix Braun",     "acme",      "jonas-weber",   30,  "Europe/Berlin"),
    Contact("oliver-hughes",  "Oliver Hughes",   "thames",    "sophie-turner", 30,  "Europe/London"),
    Contact("giulia-bellini", "Giulia Bellini",  "bellini",   "luca-bianchi",  14,  "Europe/Rome"),
    Contact("laura-mitchell", "Laura Mitchell",  "harbor",    "diego-alvarez", 14,  "America/Chicago"),
    Contact("michael-obrien", "Michael O'Brien", "northwind", "emily-chen",     7,  "America/New_York"),
    Contact("sarah-kim",      "Sarah Kim",       "northwind", "james-carter",   7,  "America/New_York"),
    Contact("david-lim",      "David Lim",       "lioncity",  "arjun-nair",     7,  "Asia/Singapore"),
    Contact("siti-rahman",    "Siti Rahman",     "lioncity",  "mei-lin-tan",    7,  "Asia/Singapore"),
]

# Whole local days off, counted from next Monday in the person's time zone.
TIME_OFF = [
    #      who              first day  days  reason
    Absence("luca-bianchi",    0,       5,   "Annual leave"),
    Absence("priya-sharma",    3,       1,   "Training day"),
    Absence("emily-chen",      9,       2,   "Trade show travel"),
    Absence("mei-lin-tan",    14,       5,   "Annual leave"),
]

# ---------------------------------------------------------------------------
# Turning the tables into API messages
# ---------------------------------------------------------------------------

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def working_hours(spec):
    """Parses "Mon-Thu 09:00-17:30; Fri 09:00-15:00" into WorkingPeriods."""
    periods = []
    for group in spec.split(";"):
        days, *spans = group.split()
        first, _, last = days.partition("-")
        for day in range(DAYS.index(first), DAYS.index(last or first) + 1):
            for span in spans:
                start, end = span.split("-")
                periods.append(time_pb2.WorkingPeriod(
                    day=dayofweek_pb2.MONDAY + day,
                    start_time=time_of_day(start),
                    end_time=time_of_day(end)))
    return periods


def time_of_day(hh_mm):
    hours, minutes = hh_mm.split(":")
    return timeofday_pb2.TimeOfDay(hours=int(hours), minutes=int(minutes))


def euros(amount):
    return money_pb2.Money(currency_code=CURRENCY, units=amount)


def hours(amount):
    return duration_pb2.Duration(seconds=int(amount * 3600))


def days(amount):
    return duration_pb2.Duration(seconds=amount * 24 * 3600)


def email(person_id, domain):
    return f"{person_id.replace('-', '.')}@{domain}"


def time_off(absence, time_zone):
    """Local midnight of the first day to local midnight after the last one,
    so the absence follows the person's clock, daylight saving included."""
    zone = zoneinfo.ZoneInfo(time_zone)
    today = datetime.datetime.now(zone).date()
    next_monday = today + datetime.timedelta(days=7 - today.weekday())
    first = next_monday + datetime.timedelta(days=absence.first_day)
    after_last = first + datetime.timedelta(days=absence.days)

    def local_midnight(day):
        moment = datetime.datetime.combine(day, datetime.time(), zone)
        return timestamp_pb2.Timestamp(seconds=int(moment.timestamp()))

    return time_pb2.TimeOff(
        interval=time_pb2.Interval(start_time=local_midnight(first),
                                   end_time=local_midnight(after_last)),
        reason=absence.reason)


def employee_message(e):
    return pp.Participant(
        display_name=e.name,
        email=email(e.id, COMPANY_DOMAIN),
        kind=people_pb2.EMPLOYEE,
        role=e.role,
        team=f"teams/{e.team}" if e.team else "",
        time_zone=e.time_zone,
        working_hours=working_hours(HOURS[e.hours]),
        time_off=[time_off(a, e.time_zone) for a in TIME_OFF if a.who == e.id],
        hourly_cost=euros(e.eur_per_hour),
        weekly_meeting_budget=hours(e.budget_hours))


def partner_message(p):
    return pp.Participant(
        display_name=p.name,
        email=email(p.id, p.company_domain),
        kind=people_pb2.PARTNER,
        time_zone=p.time_zone)


def contact_message(c):
    account = ACCOUNTS[c.account]
    return pp.Participant(
        display_name=c.name,
        email=email(c.id, account.email_domain),
        kind=people_pb2.CUSTOMER_CONTACT,
        time_zone=c.time_zone,  # Working hours: the default Mon-Fri 09-17.
        customer=pp.CustomerProfile(
            account=account.organisation,
            lifecycle=account.lifecycle,
            account_owner=f"participants/{c.owner}",
            contact_cadence=days(c.cadence_days)))


# ---------------------------------------------------------------------------
# Seeding through the API
# ---------------------------------------------------------------------------

# The API clients a section may use. A meetings section will add the
# scheduling service's stub here.
Clients = collections.namedtuple("Clients", "participants")


def create_unless_present(get, create, name, request):
    """Creates the resource called `name` unless it is already there, so that
    a run interrupted half-way can be repeated. Returns True if it created."""
    try:
        get(name)
        return False
    except grpc.RpcError as error:
        if error.code() != grpc.StatusCode.NOT_FOUND:
            raise
    create(request, timeout=RPC_TIMEOUT_S)
    return True


def ensure_participant(stub, participant_id, participant):
    return create_unless_present(
        lambda name: stub.GetParticipant(
            ps.GetParticipantRequest(name=name), timeout=RPC_TIMEOUT_S),
        stub.CreateParticipant, f"participants/{participant_id}",
        ps.CreateParticipantRequest(participant=participant,
                                    participant_id=participant_id,
                                    request_id=f"seed-demo-{participant_id}"))


def ensure_team(stub, team):
    # The manager is set once the employees exist (see assign_manager).
    return create_unless_present(
        lambda name: stub.GetTeam(ps.GetTeamRequest(name=name),
                                  timeout=RPC_TIMEOUT_S),
        stub.CreateTeam, f"teams/{team.id}",
        ps.CreateTeamRequest(
            team=pp.Team(display_name=team.name, description=team.description),
            team_id=team.id, request_id=f"seed-demo-team-{team.id}"))


def assign_manager(stub, team):
    current = stub.GetTeam(ps.GetTeamRequest(name=f"teams/{team.id}"),
                           timeout=RPC_TIMEOUT_S)
    manager = f"participants/{team.manager}"
    if current.manager == manager:
        return
    stub.UpdateTeam(ps.UpdateTeamRequest(
        team=pp.Team(name=current.name, manager=manager, etag=current.etag),
        update_mask=field_mask_pb2.FieldMask(paths=["manager"])),
        timeout=RPC_TIMEOUT_S)


def directory_is_empty(clients):
    page = clients.participants.ListParticipants(
        ps.ListParticipantsRequest(page_size=1), timeout=RPC_TIMEOUT_S)
    return not page.participants


def seed_directory(clients):
    """Teams first (participants name their team), then employees, then the
    team managers, then partners and customer contacts (whose account owners
    must exist). Returns what it created, for the summary."""
    stub = clients.participants
    created = collections.Counter()
    for team in TEAMS:
        created["team"] += ensure_team(stub, team)
    for e in EMPLOYEES:
        created["employee"] += ensure_participant(stub, e.id, employee_message(e))
    for team in TEAMS:
        assign_manager(stub, team)
    for p in PARTNERS:
        created["partner"] += ensure_participant(stub, p.id, partner_message(p))
    for c in CUSTOMER_CONTACTS:
        created["customer contact"] += ensure_participant(
            stub, c.id, contact_message(c))
    zones = {p.time_zone for p in EMPLOYEES + PARTNERS + CUSTOMER_CONTACTS}
    counts = ", ".join(f"{n} {what}{'' if n == 1 else 's'}"
                       for what, n in created.items())
    return (f"created {counts}; {len(ACCOUNTS)} accounts, "
            f"{len(zones)} time zones")


# Seeded in this order; each only when its service has no data yet. The
# meetings of a later issue go after the directory they refer to.
Section = collections.namedtuple("Section", "name is_empty seed")
SECTIONS = [
    Section("directory", directory_is_empty, seed_directory),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participant", default="localhost:50051",
                        help="participant service address (default %(default)s)")
    parser.add_argument("--connect_timeout", type=float, default=30,
                        help="seconds to wait for the services to answer")
    args = parser.parse_args()

    with grpc.insecure_channel(args.participant) as participant_channel:
        try:
            grpc.channel_ready_future(participant_channel).result(
                timeout=args.connect_timeout)
        except grpc.FutureTimeoutError:
            sys.exit(f"demo seed: no participant service at {args.participant}")
        clients = Clients(
            participants=ps_grpc.ParticipantServiceStub(participant_channel))
        outcomes = []
        try:
            for section in SECTIONS:
                if section.is_empty(clients):
                    outcomes.append(f"{section.name}: {section.seed(clients)}")
                else:
                    outcomes.append(f"{section.name}: already has data, left as is")
        except grpc.RpcError as error:
            sys.exit(f"demo seed failed: {error.code().name}: {error.details()}")
    print("demo seed: " + "; ".join(outcomes))


if __name__ == "__main__":
    main()
