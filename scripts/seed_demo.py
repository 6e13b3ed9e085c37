#!/usr/bin/python3
"""Seeds a demo sales organisation into a running salesmeet, through its
public gRPC API only.

The company is Meridian Instruments, a (fictional) maker of industrial
sensors: three regional sales teams, a UK public-sector team, an
executive, solutions engineering, operations, a partner, and customer
contacts at nine accounts across their lifecycle, spread over nine time
zones. Most are paid in euros; the Americas team in US dollars and the UK
team in pounds, so the seed gives scheduling's policy a currency table
(reporting in EUR). Then a month of their meetings around today: weekly
team meetings and one-to-ones, product updates, prospect pitches and
customer presentations, some across teams paid in different currencies,
those of past weeks completed with their outcomes. It all hangs on the
Monday of the current UTC week, so the demo looks the same on every day of
that week.

Run by scripts/up.sh. By hand, against running services (--now, or
SALESMEET_TESTING_NOW, lays it out around another day, for tests):

    PYTHONPATH=build/py /usr/bin/python3 scripts/seed_demo.py \\
        --participant=localhost:50051 --scheduling=localhost:50052

Against services that want mutual TLS and a token (SALESMEET_SECURE=1
scripts/up.sh), name the CA, a client certificate and its key, and a token
that may write everything (scripts/dev_pki.sh makes them all):

    PYTHONPATH=build/py /usr/bin/python3 scripts/seed_demo.py \\
        --participant=localhost:50051 --scheduling=localhost:50052 \\
        --ca=.data/pki/ca.crt --cert=.data/pki/operator.crt \\
        --key=.data/pki/operator.key --token_file=.data/pki/tokens/admin.jwt

Each section seeds only when its service holds no data yet, so a second run
changes nothing. Ids are readable and chosen here (participants/maria-rossi,
teams/emea-sales, meetings/emea-weekly-sales). Every create carries a
request_id, so a call retried after a lost reply never creates twice, and
is skipped when its id already exists.
"""

import argparse
import collections
import contextlib
import datetime
import os
import sys
import unicodedata
import zoneinfo

import grpc
from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2
from google.type import dayofweek_pb2, money_pb2, timeofday_pb2
from salesmeet.participant.v1 import participant_pb2 as pp
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc as ps_grpc
from salesmeet.scheduling.v1 import meeting_pb2 as mp
from salesmeet.scheduling.v1 import policy_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc as ss_grpc
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocabulary
from salesmeet.type.v1 import people_pb2, time_pb2

RPC_TIMEOUT_S = 10
# The services' --testing_now as an environment variable; the seed follows
# it too, so a test pins the whole demo with one setting.
TESTING_NOW_ENV = "SALESMEET_TESTING_NOW"
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

Team = collections.namedtuple("Team", "id name manager currency description")
Employee = collections.namedtuple(
    "Employee", "id name role team time_zone hours cost_per_hour budget_hours")
Partner = collections.namedtuple("Partner", "id name company_domain time_zone")
Account = collections.namedtuple("Account", "organisation email_domain lifecycle")
Contact = collections.namedtuple(
    "Contact", "id name account owner cadence_days time_zone")
Absence = collections.namedtuple("Absence", "who first_day days reason")

# Each team is paid in one currency (its members' hourly_cost); someone
# without a team in COMPANY_CURRENCY.
COMPANY_CURRENCY = "EUR"

TEAMS = [
    #    id                  display name             manager           paid in
    Team("emea-sales",       "EMEA Sales",            "maria-rossi",    "EUR",
         "Field sales for Europe, the Middle East and Africa."),
    Team("americas-sales",   "Americas Sales",        "james-carter",   "USD",
         "Field sales for North and South America, employed by Meridian "
         "Instruments Inc."),
    Team("apac-sales",       "APAC Sales",            "mei-lin-tan",    "EUR",
         "Field sales for Asia-Pacific."),
    Team("uk-public-sector", "UK Public Sector",      "william-davies",  "GBP",
         "Sales to UK councils, NHS trusts and utilities, employed by "
         "Meridian Instruments Ltd."),
    Team("solutions",        "Solutions Engineering", "priya-sharma",   "EUR",
         "Technical experts and developers who join pitches and onboarding."),
    Team("operations",       "Operations",            "hannah-schmidt", "EUR",
         "Manufacturing, marketing and financial planning."),
]

# Scheduling's currency table: costs in USD and GBP are converted to EUR
# for verdicts, policy thresholds and analytics' totals (see
# ensure_policy). A rate is how many euros one unit is worth.
REPORTING_CURRENCY = "EUR"
CURRENCY_RATES = {"USD": 0.92, "GBP": 1.17}

# Weekly working hours in each person's own time zone: "days hh:mm-hh:mm ...",
# several groups separated by ";".
HOURS = {
    "italy":     "Mon-Fri 09:00-13:00 14:00-18:00",
    "uk":        "Mon-Thu 09:00-17:30; Fri 09:00-15:00",
    "germany":   "Mon-Fri 08:30-12:30 13:15-17:15",
    "france":    "Mon-Fri 09:30-12:30 14:00-18:30",
    "us":        "Mon-Fri 08:30-12:00 13:00-17:00",
    "brazil":    "Mon-Fri 09:00-12:00 13:00-18:00",
    "singapore": "Mon-Fri 09:00-12:30 13:30-18:00",
    "factory":   "Mon-Fri 07:00-15:00",
    "part_time": "Mon-Wed 09:00-15:00",
}

EMPLOYEES = [
    # cost/h: the hourly cost, in the team's currency (TEAMS).
    #        id                display name      role               team                time zone            hours       cost/h  meeting h/week
    Employee("elena-conti",    "Elena Conti",    EXECUTIVE,         "",                 "Europe/Rome",       "italy",      180,  10),
    Employee("maria-rossi",    "Maria Rossi",    SALES_MANAGER,     "emea-sales",       "Europe/Rome",       "italy",       95,   4),
    Employee("luca-bianchi",   "Luca Bianchi",   SALES_REP,         "emea-sales",       "Europe/Rome",       "italy",       62,   8),
    Employee("sophie-turner",  "Sophie Turner",  SALES_REP,         "emea-sales",       "Europe/London",     "uk",          65,   8),
    Employee("jonas-weber",    "Jonas Weber",    SALES_REP,         "emea-sales",       "Europe/Berlin",     "germany",     64,   8),
    Employee("james-carter",   "James Carter",   SALES_MANAGER,     "americas-sales",   "America/New_York",  "us",         110,  12),
    Employee("emily-chen",     "Emily Chen",     SALES_REP,         "americas-sales",   "America/New_York",  "us",          72,   8),
    Employee("diego-alvarez",  "Diego Alvarez",  SALES_REP,         "americas-sales",   "America/Chicago",   "us",          66,   8),
    Employee("camila-souza",   "Camila Souza",   SALES_REP,         "americas-sales",   "America/Sao_Paulo", "brazil",      58,   8),
    Employee("mei-lin-tan",    "Mei Lin Tan",    SALES_MANAGER,     "apac-sales",       "Asia/Singapore",    "singapore",   90,  12),
    Employee("arjun-nair",     "Arjun Nair",     SALES_REP,         "apac-sales",       "Asia/Singapore",    "singapore",   58,   8),
    Employee("william-davies", "William Davies", SALES_MANAGER,     "uk-public-sector", "Europe/London",     "uk",          80,  10),
    Employee("amelia-clarke",  "Amelia Clarke",  SALES_REP,         "uk-public-sector", "Europe/London",     "uk",          55,   8),
    Employee("rhys-morgan",    "Rhys Morgan",    SALES_REP,         "uk-public-sector", "Europe/London",     "uk",          52,   8),
    Employee("priya-sharma",   "Priya Sharma",   TECHNICAL_EXPERT,  "solutions",        "Europe/London",     "uk",          85,  10),
    Employee("tom-nguyen",     "Tom Nguyen",     DEVELOPER,         "solutions",        "America/New_York",  "us",          78,   4),
    Employee("marco-ferrari",  "Marco Ferrari",  MANUFACTURING,     "operations",       "Europe/Rome",       "factory",     58,   3),
    Employee("chloe-martin",   "Chloé Martin",   MARKETING,         "operations",       "Europe/Paris",      "france",      68,   6),
    Employee("hannah-schmidt", "Hannah Schmidt", FINANCIAL_PLANNER, "operations",       "Europe/Berlin",     "part_time",   82,   4),
]

PARTNERS = [
    #       id                display name      email domain          time zone
    Partner("partner-pacific-1", "Kenji Watanabe", "pacific-si.example", "Asia/Tokyo"),
]

ACCOUNTS = {
    # key                 organisation                    email domain                lifecycle
    "acme":       Account("Acme Robotics GmbH",           "acme-robotics.example",    EXISTING_CUSTOMER),
    "thames":     Account("Thames Water Systems plc",     "thames-ws.example",        EXISTING_CUSTOMER),
    "bellini":    Account("Bellini Foods S.p.A.",         "bellini-foods.example",    NEW_CUSTOMER),
    "harbor":     Account("Harbor Health Partners",       "harborhealth.example",     NEW_CUSTOMER),
    "northwind":  Account("Northwind Logistics Inc.",     "northwind.example",        PROSPECT),
    "lioncity":   Account("Lion City Electronics Pte",    "lioncity.example",         PROSPECT),
    "paulista":   Account("Paulista Agroindustrial S.A.", "paulista-agro.example",    PROSPECT),
    "severn":     Account("Severn Valley NHS Trust",      "severnvalley-nhs.example", PROSPECT),
    "harrow":     Account("Harrowgate Borough Council",   "harrowgate.example",       NEW_CUSTOMER),
}

# Prospects are met weekly, new customers every two weeks, established ones
# monthly. The owner is always someone in sales.
CUSTOMER_CONTACTS = [
    #       id                display name       account      account owner    cadence (days)  time zone
    Contact("contact-acme-1",    "Anna Schulz",     "acme",      "jonas-weber",   30,  "Europe/Berlin"),
    Contact("contact-acme-2",    "Felix Braun",     "acme",      "jonas-weber",   30,  "Europe/Berlin"),
    Contact("contact-thames-1",  "Oliver Hughes",   "thames",    "sophie-turner", 30,  "Europe/London"),
    Contact("contact-bellini-1", "Giulia Bellini",  "bellini",   "luca-bianchi",  14,  "Europe/Rome"),
    Contact("contact-harbor-1", "Laura Mitchell",  "harbor",    "diego-alvarez", 14,  "America/Chicago"),
    Contact("contact-northwind-1", "Michael O'Brien", "northwind", "emily-chen",     7,  "America/New_York"),
    Contact("contact-northwind-2",      "Sarah Kim",       "northwind", "james-carter",   7,  "America/New_York"),
    Contact("contact-lioncity-1",      "David Lim",       "lioncity",  "arjun-nair",     7,  "Asia/Singapore"),
    Contact("contact-lioncity-2",    "Siti Rahman",     "lioncity",  "mei-lin-tan",    7,  "Asia/Singapore"),
    Contact("contact-paulista-1",    "Rafael Lima",     "paulista",  "camila-souza",   7,  "America/Sao_Paulo"),
    Contact("contact-severn-1",    "Fiona Grant",     "severn",    "amelia-clarke",  7,  "Europe/London"),
    Contact("contact-harrow-1",   "Gareth Price",    "harrow",    "rhys-morgan",   14,  "Europe/London"),
]

# Whole local days off, counted from next week's Monday (week 1), taken as a
# date in the person's time zone.
TIME_OFF = [
    #      who              first day  days  reason
    Absence("luca-bianchi",    0,       5,   "Annual leave"),
    Absence("priya-sharma",    3,       1,   "Training day"),
    Absence("emily-chen",      9,       2,   "Trade show travel"),
    Absence("mei-lin-tan",    14,       5,   "Annual leave"),
]

# ---------------------------------------------------------------------------
# A month of their meetings
# ---------------------------------------------------------------------------

# Purpose and format names, as above.
MOTIVATION_RECOGNITION = vocabulary.MOTIVATION_RECOGNITION
PRODUCT_UPDATE = vocabulary.PRODUCT_UPDATE
CHALLENGE_REVIEW = vocabulary.CHALLENGE_REVIEW
CUSTOMER_PRESENTATION = vocabulary.CUSTOMER_PRESENTATION
PROSPECT_PITCH = vocabulary.PROSPECT_PITCH
SALES_DATA_REVIEW = vocabulary.SALES_DATA_REVIEW
STRATEGY = vocabulary.STRATEGY
VIDEO = vocabulary.VIDEO_CONFERENCE
IN_PERSON = vocabulary.IN_PERSON
PRESENTATION = vocabulary.PRESENTATION
ONE_ON_ONE = vocabulary.ONE_ON_ONE

Series = collections.namedtuple(
    "Series", "id day time minutes time_zone purpose format organizer invitees")
Booking = collections.namedtuple(
    "Booking",
    "id week day time minutes time_zone purpose format organizer invitees")
About = collections.namedtuple("About", "title where agenda")
Result = collections.namedtuple("Result", "meeting outcome deal notes")
Rsvp = collections.namedtuple("Rsvp", "meeting who response")

# Weeks count from the current one (0; Monday to Sunday, UTC), so the month
# is always around today. The weekly series began four weeks ago and never
# end. A time is local to the meeting's time zone, and lies inside every
# invited employee's working hours (HOURS) whatever the daylight saving
# offsets between their zones; nobody is booked twice at once.
SERIES_FIRST_WEEK = -4

WEEKLY_SERIES = [
    #      id                          day    local  min  time zone           purpose                 format      organizer       also invited
    Series("emea-weekly-sales",        "Mon", "10:00", 60, "Europe/Rome",      MOTIVATION_RECOGNITION, VIDEO,      "maria-rossi",  "luca-bianchi sophie-turner jonas-weber"),
    Series("one-on-one-maria-luca",    "Tue", "09:30", 30, "Europe/Rome",      CHALLENGE_REVIEW,       ONE_ON_ONE, "maria-rossi",  "luca-bianchi"),
    Series("one-on-one-maria-sophie",  "Tue", "11:00", 30, "Europe/Rome",      CHALLENGE_REVIEW,       ONE_ON_ONE, "maria-rossi",  "sophie-turner"),
    Series("one-on-one-maria-jonas",   "Tue", "14:30", 30, "Europe/Rome",      CHALLENGE_REVIEW,       ONE_ON_ONE, "maria-rossi",  "jonas-weber"),
    Series("one-on-one-james-emily",   "Wed", "09:30", 30, "America/New_York", CHALLENGE_REVIEW,       ONE_ON_ONE, "james-carter", "emily-chen"),
    Series("one-on-one-james-diego",   "Wed", "11:00", 30, "America/New_York", CHALLENGE_REVIEW,       ONE_ON_ONE, "james-carter", "diego-alvarez"),
    Series("one-on-one-mei-lin-arjun", "Thu", "10:00", 30, "Asia/Singapore",   CHALLENGE_REVIEW,       ONE_ON_ONE, "mei-lin-tan",  "arjun-nair"),
    Series("one-on-one-james-camila",  "Fri", "13:30", 30, "America/New_York", CHALLENGE_REVIEW,       ONE_ON_ONE, "james-carter", "camila-souza"),
    Series("uk-weekly-pipeline",       "Mon", "09:30", 60, "Europe/London",    SALES_DATA_REVIEW,      VIDEO,      "william-davies", "amelia-clarke rhys-morgan"),
]

MEETINGS = [
    #       id                            week  day    local  min  time zone           purpose                format        organizer        also invited
    Booking("northwind-intro-pitch",        -2, "Tue", "10:00", 60, "America/New_York", PROSPECT_PITCH,        VIDEO,        "emily-chen",    "contact-northwind-1 priya-sharma"),
    Booking("severn-valley-intro-pitch",    -2, "Tue", "10:00", 60, "Europe/London",    PROSPECT_PITCH,        VIDEO,        "amelia-clarke", "contact-severn-1 priya-sharma"),
    Booking("bellini-cold-chain-proposal",  -2, "Wed", "11:00", 90, "Europe/Rome",      CUSTOMER_PRESENTATION, IN_PERSON,    "luca-bianchi",  "contact-bellini-1 marco-ferrari"),
    Booking("emea-product-update-s4",       -2, "Thu", "15:00", 60, "Europe/Rome",      PRODUCT_UPDATE,        VIDEO,        "tom-nguyen",    "priya-sharma maria-rossi luca-bianchi sophie-turner jonas-weber"),
    Booking("harbor-onboarding-review",     -2, "Thu", "10:00", 60, "America/Chicago",  CUSTOMER_PRESENTATION, VIDEO,        "diego-alvarez", "contact-harbor-1 james-carter"),
    Booking("lioncity-intro-pitch",         -1, "Tue", "17:00", 60, "Asia/Singapore",   PROSPECT_PITCH,        VIDEO,        "arjun-nair",    "contact-lioncity-1 priya-sharma"),
    Booking("paulista-intro-pitch",         -1, "Tue", "11:00", 60, "America/Sao_Paulo", PROSPECT_PITCH,       VIDEO,        "camila-souza",  "contact-paulista-1 tom-nguyen"),
    Booking("thames-telemetry-roadmap",     -1, "Wed", "11:00", 60, "Europe/London",    CUSTOMER_PRESENTATION, PRESENTATION, "sophie-turner", "contact-thames-1 priya-sharma"),
    Booking("harrowgate-flood-sensors",     -1, "Wed", "10:00", 90, "Europe/London",    CUSTOMER_PRESENTATION, IN_PERSON,    "rhys-morgan",   "contact-harrow-1 william-davies"),
    Booking("sales-leadership-review",      -1, "Wed", "10:00", 60, "America/New_York", STRATEGY,              VIDEO,        "elena-conti",   "maria-rossi james-carter william-davies"),
    Booking("americas-product-update-s4",   -1, "Thu", "11:00", 60, "America/New_York", PRODUCT_UPDATE,        VIDEO,        "tom-nguyen",    "priya-sharma james-carter emily-chen diego-alvarez"),
    Booking("acme-renewal-review",          -1, "Thu", "14:00", 60, "Europe/Berlin",    CUSTOMER_PRESENTATION, PRESENTATION, "jonas-weber",   "contact-acme-1 contact-acme-2 maria-rossi"),
    Booking("bellini-rollout-kickoff",      -1, "Thu", "11:00", 60, "Europe/Rome",      CUSTOMER_PRESENTATION, IN_PERSON,    "luca-bianchi",  "contact-bellini-1 marco-ferrari maria-rossi"),
    Booking("northwind-pilot-pitch",         0, "Tue", "10:00", 60, "America/New_York", PROSPECT_PITCH,        VIDEO,        "james-carter",  "contact-northwind-2 contact-northwind-1 emily-chen priya-sharma"),
    Booking("apac-product-update-s4",        0, "Wed", "17:00", 60, "Asia/Singapore",   PRODUCT_UPDATE,        VIDEO,        "priya-sharma",  "mei-lin-tan arjun-nair"),
    Booking("severn-valley-pilot-scoping",   0, "Thu", "10:00", 60, "Europe/London",    PROSPECT_PITCH,        VIDEO,        "amelia-clarke", "contact-severn-1 priya-sharma william-davies"),
    Booking("lioncity-follow-up-pitch",      1, "Tue", "17:00", 60, "Asia/Singapore",   PROSPECT_PITCH,        VIDEO,        "mei-lin-tan",   "contact-lioncity-2 contact-lioncity-1 arjun-nair priya-sharma"),
    Booking("uk-product-update-fw32",        1, "Tue", "14:00", 60, "Europe/London",    PRODUCT_UPDATE,        VIDEO,        "tom-nguyen",    "william-davies amelia-clarke rhys-morgan"),
    Booking("harbor-quarterly-review",       1, "Wed", "13:00", 60, "America/Chicago",  CUSTOMER_PRESENTATION, VIDEO,        "diego-alvarez", "contact-harbor-1 james-carter"),
    Booking("emea-product-update-fw32",      1, "Wed", "15:00", 60, "Europe/Rome",      PRODUCT_UPDATE,        VIDEO,        "tom-nguyen",    "priya-sharma maria-rossi sophie-turner jonas-weber chloe-martin"),
    Booking("acme-maintenance-roadmap",      1, "Thu", "10:00", 90, "Europe/Berlin",    CUSTOMER_PRESENTATION, PRESENTATION, "jonas-weber",   "contact-acme-1 contact-acme-2 maria-rossi"),
    Booking("paulista-trial-proposal",       1, "Thu", "15:00", 60, "America/Sao_Paulo", PROSPECT_PITCH,       VIDEO,        "camila-souza",  "contact-paulista-1 james-carter"),
]

# Titles, where they meet (a video provider, whose join link is made up
# from the id, or a place) and agendas: every meeting has one, so none
# costs money without saying what for.
ABOUT = {
    "emea-weekly-sales": About(
        "EMEA sales weekly", "MEET",
        "Wins of the week and shout-outs\nPipeline changes\nWho needs help"),
    "one-on-one-maria-luca": About(
        "Maria / Luca one-to-one", "Maria's office, Milan",
        "Open deals and blockers\nCoaching"),
    "one-on-one-maria-sophie": About(
        "Maria / Sophie one-to-one", "Phone", "Open deals and blockers\nCoaching"),
    "one-on-one-maria-jonas": About(
        "Maria / Jonas one-to-one", "Phone", "Open deals and blockers\nCoaching"),
    "one-on-one-james-emily": About(
        "James / Emily one-to-one", "James's office, New York",
        "Open deals and blockers\nCoaching"),
    "one-on-one-james-diego": About(
        "James / Diego one-to-one", "Phone", "Open deals and blockers\nCoaching"),
    "one-on-one-mei-lin-arjun": About(
        "Mei Lin / Arjun one-to-one", "Mei Lin's office, Singapore",
        "Open deals and blockers\nCoaching"),
    "one-on-one-james-camila": About(
        "James / Camila one-to-one", "Phone", "Open deals and blockers\nCoaching"),
    "uk-weekly-pipeline": About(
        "UK public sector pipeline weekly", "TEAMS",
        "Pipeline changes\nTenders and frameworks due\nForecast"),
    "northwind-intro-pitch": About(
        "Northwind: sensor platform introduction", "ZOOM",
        "Northwind's fleet and pain points\nS4 sensor demo\nPilot options"),
    "bellini-cold-chain-proposal": About(
        "Bellini Foods: cold-chain monitoring proposal",
        "Bellini Foods, Parma", "Cold store survey results\nProposal and pricing"),
    "emea-product-update-s4": About(
        "EMEA product update: the S4 sensor family", "TEAMS",
        "What is new in S4\nCompetitive positioning\nQuestions"),
    "harbor-onboarding-review": About(
        "Harbor Health: onboarding review", "TEAMS",
        "First 60 days in numbers\nOpen tickets\nNext sites"),
    "severn-valley-intro-pitch": About(
        "Severn Valley NHS Trust: cold-room monitoring introduction", "TEAMS",
        "Pharmacy and blood-bank cold rooms\nS4 sensor demo\nProcurement route"),
    "lioncity-intro-pitch": About(
        "Lion City Electronics: line monitoring pitch", "ZOOM",
        "Their SMT lines\nLive dashboard demo\nNext steps"),
    "thames-telemetry-roadmap": About(
        "Thames Water: network telemetry roadmap",
        "Thames Water Systems, Reading", "Roadmap 2027\nExpansion offer"),
    "americas-product-update-s4": About(
        "Americas product update: the S4 sensor family", "TEAMS",
        "What is new in S4\nCompetitive positioning\nQuestions"),
    "acme-renewal-review": About(
        "Acme Robotics: renewal review", "Acme Robotics, Munich",
        "Usage over the year\nRenewal terms"),
    "northwind-pilot-pitch": About(
        "Northwind: pilot scope and pricing", "ZOOM",
        "Pilot sites and success criteria\nPricing\nTimeline"),
    "apac-product-update-s4": About(
        "APAC product update: the S4 sensor family", "TEAMS",
        "What is new in S4\nLocal certifications\nQuestions"),
    "severn-valley-pilot-scoping": About(
        "Severn Valley NHS Trust: pilot scoping", "TEAMS",
        "Pilot wards and success criteria\nInformation governance\nTimeline"),
    "bellini-rollout-kickoff": About(
        "Bellini Foods: rollout kick-off", "Bellini Foods, Parma",
        "Installation plan\nTraining dates\nContacts"),
    "paulista-intro-pitch": About(
        "Paulista Agroindustrial: grain silo monitoring", "ZOOM",
        "Their silos and losses\nS4 sensor demo\nTrial options"),
    "harrowgate-flood-sensors": About(
        "Harrowgate Borough Council: flood-level sensors",
        "Harrowgate Civic Centre", "Culvert survey results\nProposal and pricing"),
    "sales-leadership-review": About(
        "Sales leadership: quarter review", "ZOOM",
        "Pipeline by region\nForecast\nHiring"),
    "lioncity-follow-up-pitch": About(
        "Lion City Electronics: line monitoring pitch, second try", "ZOOM",
        "Recap of the first call\nLive dashboard demo\nPilot proposal"),
    "harbor-quarterly-review": About(
        "Harbor Health: quarterly business review", "TEAMS",
        "Quarter in numbers\nSecond hospital rollout\nRenewal outlook"),
    "emea-product-update-fw32": About(
        "EMEA product update: firmware 3.2", "TEAMS",
        "Firmware 3.2 features\nUpgrade plan for customers\nLaunch campaign"),
    "acme-maintenance-roadmap": About(
        "Acme Robotics: predictive maintenance roadmap",
        "Acme Robotics, Munich", "Predictive maintenance module\nPilot proposal"),
    "uk-product-update-fw32": About(
        "UK product update: firmware 3.2", "TEAMS",
        "Firmware 3.2 features\nAssurance for public-sector buyers\nQuestions"),
    "paulista-trial-proposal": About(
        "Paulista Agroindustrial: trial proposal", "ZOOM",
        "Two-silo trial\nPricing in USD\nTimeline"),
}

# Outcomes of the meetings of past weeks (week < 0), whatever the day and
# hour the seed runs, so the demo is the same all week. The meetings of this
# week are left open, and acme-renewal-review for the README's
# CompleteMeeting example. Deals are in the currency the account buys in.
# The README's ranking (Maria and Jonas once Acme's renewal is won, then
# Luca's 48,000 EUR) must hold: no other sales employee wins as much.
RESULTS = [
    #      meeting                        outcome               deal           notes
    Result("northwind-intro-pitch",       vocabulary.ADVANCED,  "USD 120000", "Pilot at the Newark hub requested."),
    Result("bellini-cold-chain-proposal", vocabulary.WON,       "EUR 48000",  "Signed for three cold stores."),
    Result("emea-product-update-s4",      vocabulary.HELD,      "",           ""),
    Result("harbor-onboarding-review",    vocabulary.WON,       "USD 30000",  "Second hospital signed for the same setup."),
    Result("severn-valley-intro-pitch",   vocabulary.ADVANCED,  "GBP 60000",  "Wants a pilot in two hospitals' pharmacies."),
    Result("lioncity-intro-pitch",        vocabulary.NO_SHOW,   "",           "Plant outage; rebooked for next week."),
    Result("thames-telemetry-roadmap",    vocabulary.LOST,      "EUR 75000",  "Chose their SCADA vendor's bundle."),
    Result("americas-product-update-s4",  vocabulary.HELD,      "",           ""),
    Result("bellini-rollout-kickoff",     vocabulary.HELD,      "",           ""),
    Result("paulista-intro-pitch",        vocabulary.ADVANCED,  "USD 40000",  "Trial on two silos before the harvest."),
    Result("harrowgate-flood-sensors",    vocabulary.WON,       "GBP 36000",  "Twelve culverts, installed before winter."),
    Result("sales-leadership-review",     vocabulary.HELD,      "",           ""),
]

RSVPS = [
    #    meeting                      who              answer
    Rsvp("emea-weekly-sales",        "sophie-turner", vocabulary.ACCEPTED),
    Rsvp("emea-weekly-sales",        "jonas-weber",   vocabulary.ACCEPTED),
    Rsvp("northwind-pilot-pitch",    "contact-northwind-2",     vocabulary.ACCEPTED),
    Rsvp("lioncity-follow-up-pitch", "contact-lioncity-2",   vocabulary.ACCEPTED),
    Rsvp("lioncity-follow-up-pitch", "contact-lioncity-1",     vocabulary.TENTATIVE),
    Rsvp("emea-product-update-fw32", "chloe-martin",  vocabulary.TENTATIVE),
    Rsvp("severn-valley-pilot-scoping", "contact-severn-1",  vocabulary.ACCEPTED),
    Rsvp("paulista-trial-proposal",  "contact-paulista-1",   vocabulary.TENTATIVE),
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


def money(amount, currency):
    return money_pb2.Money(currency_code=currency, units=amount)


def deal_value(text):
    """A RESULTS deal, "USD 30000", as Money."""
    currency, amount = text.split()
    return money(int(amount), currency)


def pay_currency(employee):
    """The currency of an employee's hourly cost: their team's."""
    for team in TEAMS:
        if team.id == employee.team:
            return team.currency
    return COMPANY_CURRENCY


def hours(amount):
    return duration_pb2.Duration(seconds=int(amount * 3600))


def days(amount):
    return duration_pb2.Duration(seconds=amount * 24 * 3600)


def email(display_name, domain):
    """first.last@domain, from the person's name: resource ids are
    references and hold no personal data."""
    plain = unicodedata.normalize("NFKD", display_name.lower())
    local = "".join(c for c in plain.replace(" ", ".")
                    if c.isascii() and (c.isalnum() or c == "."))
    return f"{local}@{domain}"


def time_off(absence, time_zone, monday):
    """Local midnight of the first day to local midnight after the last one,
    so the absence follows the person's clock, daylight saving included. The
    days count from the Monday after `monday` (week 1), as dates: the same
    dates in every zone, whatever the hour the seed runs."""
    zone = zoneinfo.ZoneInfo(time_zone)
    next_monday = monday + datetime.timedelta(days=7)
    first = next_monday + datetime.timedelta(days=absence.first_day)
    after_last = first + datetime.timedelta(days=absence.days)

    def local_midnight(day):
        moment = datetime.datetime.combine(day, datetime.time(), zone)
        return timestamp_pb2.Timestamp(seconds=int(moment.timestamp()))

    return time_pb2.TimeOff(
        interval=time_pb2.Interval(start_time=local_midnight(first),
                                   end_time=local_midnight(after_last)),
        reason=absence.reason)


def employee_message(e, monday):
    return pp.Participant(
        display_name=e.name,
        email=email(e.name, COMPANY_DOMAIN),
        kind=people_pb2.EMPLOYEE,
        role=e.role,
        team=f"teams/{e.team}" if e.team else "",
        time_zone=e.time_zone,
        working_hours=working_hours(HOURS[e.hours]),
        time_off=[time_off(a, e.time_zone, monday)
                  for a in TIME_OFF if a.who == e.id],
        hourly_cost=money(e.cost_per_hour, pay_currency(e)),
        weekly_meeting_budget=hours(e.budget_hours))


def partner_message(p):
    return pp.Participant(
        display_name=p.name,
        email=email(p.name, p.company_domain),
        kind=people_pb2.PARTNER,
        time_zone=p.time_zone)


def contact_message(c):
    account = ACCOUNTS[c.account]
    return pp.Participant(
        display_name=c.name,
        email=email(c.name, account.email_domain),
        kind=people_pb2.CUSTOMER_CONTACT,
        time_zone=c.time_zone,  # Working hours: the default Mon-Fri 09-17.
        customer=pp.CustomerProfile(
            account=account.organisation,
            lifecycle=account.lifecycle,
            account_owner=f"participants/{c.owner}",
            contact_cadence=days(c.cadence_days)))


def monday_of(now):
    """Monday of the week of `now`, UTC: week 0 of the tables. Everything
    the seed lays out hangs on this date alone, so the demo is the same
    whatever the weekday and hour it runs."""
    today = now.astimezone(datetime.timezone.utc).date()
    return today - datetime.timedelta(days=today.weekday())


def parse_now(text):
    """--now: an RFC 3339 time (2028-02-29T23:30:00Z), or "" for the real
    clock."""
    if not text:
        return datetime.datetime.now(datetime.timezone.utc)
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"--now needs a UTC offset or Z: {text}")
    return moment


def local_start(monday, week, day, hh_mm, time_zone):
    """The moment a table row starts: its local time on its day."""
    date = monday + datetime.timedelta(days=7 * week + DAYS.index(day))
    return datetime.datetime.combine(date, time_of_day_value(hh_mm),
                                     zoneinfo.ZoneInfo(time_zone))


def time_of_day_value(hh_mm):
    hours, minutes = hh_mm.split(":")
    return datetime.time(int(hours), int(minutes))


def at(moment, plus_minutes=0):
    """A Timestamp, plus_minutes of absolute time after moment."""
    return timestamp_pb2.Timestamp(
        seconds=int(moment.timestamp()) + plus_minutes * 60)


def meeting_message(row, start):
    """A Booking or Series row, starting at start, as a Meeting."""
    about = ABOUT[row.id]
    meeting = mp.Meeting(
        title=about.title,
        agenda=about.agenda,
        purpose=row.purpose,
        format=row.format,
        organizer=f"participants/{row.organizer}",
        attendees=[mp.Attendee(participant=f"participants/{who}")
                   for who in [row.organizer] + row.invitees.split()],
        start_time=at(start),
        end_time=at(start, row.minutes),
        time_zone=row.time_zone)
    if row.format == VIDEO:
        meeting.video_conference.provider = vocabulary.VideoProvider.Value(
            about.where)
        meeting.video_conference.join_uri = (
            f"https://{about.where.lower()}.{COMPANY_DOMAIN}/j/{row.id}")
    else:
        meeting.location = about.where
    return meeting


def series_message(series, monday):
    start = local_start(monday, SERIES_FIRST_WEEK, series.day, series.time,
                        series.time_zone)
    meeting = meeting_message(series, start)
    meeting.recurrence.rrule = f"FREQ=WEEKLY;BYDAY={series.day[:2].upper()}"
    return meeting


# ---------------------------------------------------------------------------
# Seeding through the API
# ---------------------------------------------------------------------------

# The API clients a section may use: one stub per service, None when no
# address was given for it; and the Monday the demo hangs on.
Clients = collections.namedtuple("Clients", "participants meetings monday")

# The demo's policy horizon: the longest the policy allows, so that the
# README's bookings in the week of 11 September 2028 stay inside it from
# September 2026 to September 2030.
DEMO_HORIZON_DAYS = 731


def ensure_policy(stub):
    """Before any booking: sets the policy horizon to DEMO_HORIZON_DAYS, and
    the currency table (REPORTING_CURRENCY, CURRENCY_RATES) without which
    scheduling refuses a meeting whose attendees are paid in different
    currencies; each unless someone set it already."""
    policy = stub.GetSchedulingPolicy(policy_pb2.GetSchedulingPolicyRequest(),
                                      timeout=RPC_TIMEOUT_S)
    update = policy_pb2.SchedulingPolicy(etag=policy.etag)
    paths = []
    if policy.horizon.seconds < DEMO_HORIZON_DAYS * 86400:
        update.horizon.CopyFrom(days(DEMO_HORIZON_DAYS))
        paths.append("horizon")
    if not policy.currency_rates:
        update.reporting_currency = REPORTING_CURRENCY
        update.currency_rates.extend(
            policy_pb2.CurrencyRate(currency_code=code, rate=rate)
            for code, rate in CURRENCY_RATES.items())
        paths += ["reporting_currency", "currency_rates"]
    if not paths:
        return
    stub.UpdateSchedulingPolicy(policy_pb2.UpdateSchedulingPolicyRequest(
        policy=update, update_mask=field_mask_pb2.FieldMask(paths=paths)),
        timeout=RPC_TIMEOUT_S)


def create_unless_present(get, create, name, request):
    """Creates the resource called `name` unless it is already there, so that
    a run interrupted half-way can be repeated. Returns the create's response,
    or None when it was there already."""
    try:
        get(name)
        return None
    except grpc.RpcError as error:
        if error.code() != grpc.StatusCode.NOT_FOUND:
            raise
    return create(request, timeout=RPC_TIMEOUT_S)


def ensure_participant(stub, participant_id, participant):
    return None is not create_unless_present(
        lambda name: stub.GetParticipant(
            ps.GetParticipantRequest(name=name), timeout=RPC_TIMEOUT_S),
        stub.CreateParticipant, f"participants/{participant_id}",
        ps.CreateParticipantRequest(participant=participant,
                                    participant_id=participant_id,
                                    request_id=f"seed-demo-{participant_id}"))


def ensure_team(stub, team):
    # The manager is set once the employees exist (see assign_manager).
    return None is not create_unless_present(
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
    monday = clients.monday
    created = collections.Counter()
    for team in TEAMS:
        created["team"] += ensure_team(stub, team)
    for e in EMPLOYEES:
        created["employee"] += ensure_participant(stub, e.id,
                                                  employee_message(e, monday))
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


def meetings_are_empty(clients):
    page = clients.meetings.ListMeetings(
        ss.ListMeetingsRequest(page_size=1), timeout=RPC_TIMEOUT_S)
    return not page.meetings


def missing_people(clients):
    """Why the directory cannot take the meeting tables (it was changed by
    hand, or seeded by an older script), or "" when everyone is there."""
    wanted = sorted({f"participants/{who}"
                     for row in WEEKLY_SERIES + MEETINGS
                     for who in [row.organizer] + row.invitees.split()})
    try:
        clients.participants.BatchGetParticipants(
            ps.BatchGetParticipantsRequest(names=wanted), timeout=RPC_TIMEOUT_S)
    except grpc.RpcError as error:
        if error.code() != grpc.StatusCode.NOT_FOUND:
            raise
        return error.details()
    return ""


def book(stub, meeting_id, meeting):
    """Books a meeting under a readable id; None when the id is taken."""
    return create_unless_present(
        lambda name: stub.GetMeeting(ss.GetMeetingRequest(name=name),
                                     timeout=RPC_TIMEOUT_S),
        stub.CreateMeeting, f"meetings/{meeting_id}",
        ss.CreateMeetingRequest(meeting=meeting, meeting_id=meeting_id,
                                request_id=f"seed-demo-meeting-{meeting_id}"))


def work_around_time_off(stub, series, verdict, tally):
    """The only policy findings the tables allow are occurrences of a series
    on someone's day off (TIME_OFF). Such a one-to-one is cancelled that
    week; from a team meeting, the absent person sends their apologies."""
    name = f"meetings/{series.id}"
    cancelled = set()
    for finding in verdict.findings:
        occurrence = finding.occurrence_start_time
        if (finding.rule != policy_pb2.OUTSIDE_WORKING_HOURS
                or not finding.HasField("occurrence_start_time")):
            continue
        if series.format == ONE_ON_ONE:
            if occurrence.seconds in cancelled:
                continue
            cancelled.add(occurrence.seconds)
            stub.CancelOccurrence(ss.CancelOccurrenceRequest(
                name=name, original_start_time=occurrence,
                reason="Time off"), timeout=RPC_TIMEOUT_S)
            tally["cancelled"] += 1
        else:
            stub.RespondToMeeting(ss.RespondToMeetingRequest(
                name=name, attendee=finding.attendee,
                response=vocabulary.DECLINED,
                original_start_time=occurrence), timeout=RPC_TIMEOUT_S)
            tally["declined"] += 1


def seed_meetings(clients):
    """The weekly series first (everything else is planned around them),
    then single meetings, RSVPs, and the outcomes of the meetings that have
    ended. Returns a summary."""
    missing = missing_people(clients)
    if missing:
        return f"skipped, the directory is not the demo organisation: {missing}"
    stub = clients.meetings
    monday = clients.monday
    ensure_policy(stub)
    tally, warnings, booked = collections.Counter(), collections.Counter(), set()

    def booked_with(reply, meeting_id):
        booked.add(meeting_id)
        warnings.update(policy_pb2.PolicyRule.Name(f.rule)
                        for f in reply.verdict.findings)

    for series in WEEKLY_SERIES:
        reply = book(stub, series.id, series_message(series, monday))
        if reply is not None:
            booked_with(reply, series.id)
            tally["series"] += 1
            work_around_time_off(stub, series, reply.verdict, tally)
    for row in MEETINGS:
        start = local_start(monday, row.week, row.day, row.time, row.time_zone)
        reply = book(stub, row.id, meeting_message(row, start))
        if reply is not None:
            booked_with(reply, row.id)
            tally["meetings"] += 1
    for rsvp in RSVPS:
        if rsvp.meeting in booked:
            stub.RespondToMeeting(ss.RespondToMeetingRequest(
                name=f"meetings/{rsvp.meeting}",
                attendee=f"participants/{rsvp.who}", response=rsvp.response),
                timeout=RPC_TIMEOUT_S)
            tally["rsvps"] += 1
    weeks = {row.id: row.week for row in MEETINGS}
    for result in RESULTS:
        if result.meeting not in booked or weeks[result.meeting] >= 0:
            continue
        request = ss.CompleteMeetingRequest(
            name=f"meetings/{result.meeting}", outcome=result.outcome,
            notes=result.notes)
        if result.deal:
            request.deal_value.CopyFrom(deal_value(result.deal))
        stub.CompleteMeeting(request, timeout=RPC_TIMEOUT_S)
        tally["completed"] += 1
    warned = ", ".join(f"{n} {rule}" for rule, n in warnings.items()) or "none"
    first = min(row.week for row in MEETINGS)
    last = max(row.week for row in MEETINGS)
    return (f"booked {tally['series']} weekly series and {tally['meetings']} "
            f"meetings (weeks {first:+d} to {last:+d} of "
            f"{monday.isoformat()}), completed {tally['completed']} with "
            f"outcomes, {tally['rsvps']} RSVPs; for time off "
            f"{tally['cancelled']} one-to-ones cancelled and "
            f"{tally['declined']} declined; policy warnings: {warned}")


# Seeded in this order; each only when its service has no data yet. The
# meetings go after the directory they invite. client: the Clients field
# the section needs.
Section = collections.namedtuple("Section", "name client is_empty seed")
SECTIONS = [
    Section("directory", "participants", directory_is_empty, seed_directory),
    Section("meetings", "meetings", meetings_are_empty, seed_meetings),
]


def read_file(path, what):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as error:
        sys.exit(f"demo seed: cannot read the {what} {path}: {error.strerror}")


def channel_credentials(args):
    """None (plaintext) without --ca; else TLS trusting --ca, with the client
    certificate --cert/--key when given, and with --token_file's token sent
    as "authorization: Bearer" on every call when given."""
    if not args.ca:
        return None
    if bool(args.cert) != bool(args.key):
        sys.exit("demo seed: --cert and --key go together")
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read_file(args.ca, "CA certificate"),
        private_key=read_file(args.key, "client key") if args.key else None,
        certificate_chain=(read_file(args.cert, "client certificate")
                           if args.cert else None))
    if args.token_file:
        token = read_file(args.token_file, "token").decode("ascii").strip()
        if not token:
            sys.exit(f"demo seed: the token file {args.token_file} is empty")
        credentials = grpc.composite_channel_credentials(
            credentials, grpc.access_token_call_credentials(token))
    return credentials


def connect(address, what, timeout, credentials=None):
    if credentials is None:
        channel = grpc.insecure_channel(address)
    else:
        channel = grpc.secure_channel(address, credentials)
    try:
        grpc.channel_ready_future(channel).result(timeout=timeout)
    except grpc.FutureTimeoutError:
        channel.close()
        sys.exit(f"demo seed: no {what} service at {address}")
    return channel


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participant", default="localhost:50051",
                        help="participant service address (default %(default)s)")
    parser.add_argument("--scheduling", default="",
                        help="scheduling service address, e.g. localhost:50052; "
                             "without it no meetings are seeded")
    parser.add_argument("--connect_timeout", type=float, default=30,
                        help="seconds to wait for the services to answer")
    parser.add_argument("--now", default=os.environ.get(TESTING_NOW_ENV, ""),
                        help="testing only: lay the demo out around this "
                             "RFC 3339 time instead of now (default: $"
                             f"{TESTING_NOW_ENV}, which pins the services' "
                             "clocks too)")
    parser.add_argument("--ca", default="",
                        help="speak TLS, trusting this CA certificate (PEM); "
                             "without it the seed speaks plaintext")
    parser.add_argument("--cert", default="",
                        help="with --ca: the client certificate (PEM) for "
                             "services that want mutual TLS")
    parser.add_argument("--key", default="",
                        help="with --cert: its private key (PEM)")
    parser.add_argument("--token_file", default="",
                        help="with --ca: a file holding a bearer token (JWT) "
                             "sent as \"authorization: Bearer\" on every call")
    args = parser.parse_args()
    if (args.cert or args.key or args.token_file) and not args.ca:
        parser.error("--cert, --key and --token_file need --ca")
    credentials = channel_credentials(args)
    try:
        monday = monday_of(parse_now(args.now))
    except ValueError as error:
        parser.error(f"--now: {error}")

    with contextlib.ExitStack() as channels:
        participant_channel = channels.enter_context(
            connect(args.participant, "participant", args.connect_timeout,
                    credentials))
        clients = Clients(
            participants=ps_grpc.ParticipantServiceStub(participant_channel),
            meetings=None, monday=monday)
        if args.scheduling:
            scheduling_channel = channels.enter_context(
                connect(args.scheduling, "scheduling", args.connect_timeout,
                        credentials))
            clients = clients._replace(
                meetings=ss_grpc.SchedulingServiceStub(scheduling_channel))
        outcomes = []
        try:
            for section in SECTIONS:
                if getattr(clients, section.client) is None:
                    outcomes.append(f"{section.name}: skipped, no service address")
                elif section.is_empty(clients):
                    outcomes.append(f"{section.name}: {section.seed(clients)}")
                else:
                    outcomes.append(f"{section.name}: already has data, left as is")
        except grpc.RpcError as error:
            sys.exit(f"demo seed failed: {error.code().name}: {error.details()}")
    print("demo seed: " + "; ".join(outcomes))


if __name__ == "__main__":
    main()
