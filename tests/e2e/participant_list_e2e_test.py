"""End-to-end tests of listing participants and teams: paging (page sizes,
page tokens and their tampering, consistency while the data changes) and
filters. Builders and the base class are in participant_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \
      /usr/bin/python3 -m unittest -v participant_list_e2e_test
"""

import base64
import os
import unittest

from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.type.v1 import people_pb2

import harness
from harness import RPC_TIMEOUT
from participant_fixtures import (ParticipantServerTestCase, customer_contact,
                                  employee, partner)


# -- list: paging and filters -------------------------------------------------

class ListPagingTest(ParticipantServerTestCase):
    PAGING = 'team = "teams/paging"'

    @classmethod
    def seed(cls):
        cls.create_team("paging", "Paging Team")
        cls.create_team("live", "Live Team")
        # Created out of order, so name order is not creation order.
        for i in [7, 3, 22, 0, 15] + [i for i in range(23)
                                       if i not in (7, 3, 22, 0, 15)]:
            cls.create(employee(f"Pager {i:02d}", team="teams/paging"),
                       participant_id=f"pg-{i:02d}")

    def list_page(self, filter, page_size, token=""):
        return self.stub.ListParticipants(
            ps.ListParticipantsRequest(filter=filter, page_size=page_size,
                                       page_token=token), timeout=RPC_TIMEOUT)

    def test_list_pages_through_every_participant_once_in_name_order(self):
        pages = [[p.name for p in page.participants] for page in harness.list_pages(
            self.stub.ListParticipants,
            ps.ListParticipantsRequest(filter=self.PAGING, page_size=5))]
        self.assertEqual([len(p) for p in pages], [5, 5, 5, 5, 3])
        seen = [name for page in pages for name in page]
        self.assertEqual(seen, [f"participants/pg-{i:02d}" for i in range(23)])

    def test_list_paging_stays_consistent_while_participants_change(self):
        for i in range(0, 20, 2):
            self.create(employee(f"Live {i:02d}", team="teams/live"),
                        participant_id=f"live-{i:02d}")
        live = 'team = "teams/live"'
        first = self.list_page(live, 4)
        self.assertEqual([p.name for p in first.participants],
                         [f"participants/live-{i:02d}" for i in (0, 2, 4, 6)])
        # Behind the cursor (never shown), ahead of it (shown), and a deletion
        # ahead of it (not shown).
        self.create(employee("Live 01", team="teams/live"), participant_id="live-01")
        self.create(employee("Live 11", team="teams/live"), participant_id="live-11")
        self.stub.DeleteParticipant(
            ps.DeleteParticipantRequest(name="participants/live-14"),
            timeout=RPC_TIMEOUT)
        seen = [p.name for p in first.participants]
        for page in harness.list_pages(
                self.stub.ListParticipants,
                ps.ListParticipantsRequest(filter=live, page_size=4,
                                           page_token=first.next_page_token)):
            seen.extend(p.name for p in page.participants)
        expected = [f"participants/live-{i:02d}"
                    for i in (0, 2, 4, 6, 8, 10, 11, 12, 16, 18)]
        self.assertEqual(seen, expected)

    def test_page_size_above_the_limit_is_capped_not_rejected(self):
        page = self.list_page(self.PAGING, 100000)
        self.assertEqual(len(page.participants), 23)
        self.assertEqual(page.next_page_token, "")

    def test_negative_page_size_is_invalid_argument_naming_page_size(self):
        self.assert_invalid(self.stub.ListParticipants,
                            ps.ListParticipantsRequest(page_size=-1), "page_size")

    def test_tampered_page_token_is_invalid_argument_naming_page_token(self):
        token = self.list_page(self.PAGING, 5).next_page_token
        # Flip one character in the middle of the token (web-safe base64).
        i = len(token) // 2
        tampered = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]
        error = self.assert_invalid(
            self.stub.ListParticipants,
            ps.ListParticipantsRequest(filter=self.PAGING, page_size=5,
                                       page_token=tampered), "page_token")
        self.assertEqual(error.error_info.reason, "INVALID_PAGE_TOKEN")

    def test_forged_page_token_is_invalid_argument_naming_page_token(self):
        # Shaped like a real token (version, issue time, cursor, 16-byte MAC)
        # but signed with a guessed key, plus plain garbage.
        shaped = base64.urlsafe_b64encode(
            b"\x01" + int(harness.now()).to_bytes(8, "big") + b"pg-10" +
            os.urandom(16)).decode().rstrip("=")
        for forged in (shaped, "not-a-token", "%%%", "A" * 400):
            with self.subTest(token=forged):
                self.assert_invalid(
                    self.stub.ListParticipants,
                    ps.ListParticipantsRequest(filter=self.PAGING,
                                               page_token=forged), "page_token")

    def test_page_token_of_another_filter_is_invalid_argument(self):
        token = self.list_page(self.PAGING, 5).next_page_token
        self.assert_invalid(
            self.stub.ListParticipants,
            ps.ListParticipantsRequest(filter="kind = EMPLOYEE", page_size=5,
                                       page_token=token), "page_token")

    def test_page_token_of_list_teams_is_rejected_by_list_participants(self):
        token = self.stub.ListTeams(ps.ListTeamsRequest(page_size=1),
                                    timeout=RPC_TIMEOUT).next_page_token
        self.assertTrue(token)
        self.assert_invalid(self.stub.ListParticipants,
                            ps.ListParticipantsRequest(page_size=1, page_token=token),
                            "page_token")

    def test_page_token_survives_reordered_filter_terms(self):
        # The same filter written the other way round is the same query.
        token = self.list_page('kind = EMPLOYEE AND team = "teams/paging"',
                               20).next_page_token
        page = self.list_page('team = "teams/paging" AND kind = EMPLOYEE', 20,
                              token)
        self.assertEqual([p.name for p in page.participants],
                         ["participants/pg-20", "participants/pg-21",
                          "participants/pg-22"])

    def test_teams_list_pages_in_name_order(self):
        for team_id in ("t-c", "t-a", "t-b"):
            self.create_team(team_id, team_id.upper())
        seen = [t.name for page in harness.list_pages(
            self.stub.ListTeams, ps.ListTeamsRequest(page_size=2))
            for t in page.teams]
        self.assertEqual(seen, sorted(seen))
        self.assertTrue({"teams/t-a", "teams/t-b", "teams/t-c",
                         "teams/paging"} <= set(seen))
        self.assertEqual(len(seen), len(set(seen)))


class ListFilterTest(ParticipantServerTestCase):

    @classmethod
    def seed(cls):
        cls.create_team("emea", "EMEA Sales")
        cls.create_team("apac", "APAC Sales")
        cls.create(employee("Ada", team="teams/emea"), participant_id="ada")
        cls.create(employee("Bob", role=people_pb2.SALES_MANAGER, team="teams/emea"),
                   participant_id="bob")
        cls.create(employee("Cy", role=people_pb2.SALES_REP, team="teams/apac",
                            time_zone="Asia/Tokyo"), participant_id="cy")
        cls.create(employee("Dev", role=people_pb2.DEVELOPER, team="teams/apac"),
                   participant_id="dev")
        cls.create(employee("Exec", role=people_pb2.EXECUTIVE), participant_id="exec")
        cls.create(partner("Pia"), participant_id="pia")
        cls.create(customer_contact("participants/ada", lifecycle=people_pb2.PROSPECT),
                   participant_id="c-prospect")
        cls.create(customer_contact("participants/ada",
                                    lifecycle=people_pb2.EXISTING_CUSTOMER),
                   participant_id="c-existing")
        cls.create(customer_contact("participants/bob",
                                    lifecycle=people_pb2.NEW_CUSTOMER),
                   participant_id="c-new")

    def assert_filter(self, filter, *ids):
        self.assertEqual(self.names(filter), [f"participants/{i}" for i in ids])

    def test_no_filter_lists_everyone(self):
        self.assertEqual(len(self.names()), 9)

    def test_filter_by_role(self):
        self.assert_filter("role = SALES_REP", "ada", "cy")

    def test_filter_by_kind(self):
        self.assert_filter("kind = CUSTOMER_CONTACT",
                           "c-existing", "c-new", "c-prospect")
        self.assert_filter("kind = PARTNER", "pia")

    def test_filter_by_team(self):
        self.assert_filter('team = "teams/apac"', "cy", "dev")

    def test_filter_by_customer_lifecycle(self):
        self.assert_filter("customer.lifecycle = PROSPECT", "c-prospect")

    def test_filter_by_account_owner(self):
        self.assert_filter('customer.account_owner = "participants/ada"',
                           "c-existing", "c-prospect")

    def test_filter_terms_combine_with_and(self):
        self.assert_filter('kind = EMPLOYEE AND team = "teams/emea" AND '
                           "role = SALES_MANAGER", "bob")

    def test_filter_matching_nobody_is_an_empty_list(self):
        self.assert_filter('team = "teams/nowhere"')

    def test_malformed_filters_are_invalid_argument_naming_filter(self):
        for bad in ("role = SALES_REP OR kind = EMPLOYEE",
                    'nickname = "ada"',
                    "role = WIZARD",
                    "kind = CUSTOMER",
                    "role",
                    "role = ",
                    'team = "teams/apac',
                    "role != SALES_REP",
                    'team = "apac"',
                    "role = SALES_REP AND role = DEVELOPER"):
            with self.subTest(filter=bad):
                self.assert_invalid(self.stub.ListParticipants,
                                    ps.ListParticipantsRequest(filter=bad),
                                    "filter")

    def test_list_teams_by_manager(self):
        self.create_team("mgd", "Managed", manager="participants/bob")
        page = self.stub.ListTeams(
            ps.ListTeamsRequest(filter='manager = "participants/bob"'),
            timeout=RPC_TIMEOUT)
        self.assertEqual([t.name for t in page.teams], ["teams/mgd"])


if __name__ == "__main__":
    unittest.main()
