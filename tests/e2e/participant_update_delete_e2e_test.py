"""End-to-end tests of changing the participant directory: updating and
deleting participants (masks, etags, references that block or are cleared
by a delete), and teams. Builders and the base class are in
participant_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \
      /usr/bin/python3 -m unittest -v participant_update_delete_e2e_test
"""

import unittest

import grpc
from google.type import dayofweek_pb2
from salesmeet.participant.v1 import participant_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.type.v1 import people_pb2

from harness import RPC_TIMEOUT
from participant_fixtures import (ParticipantServerTestCase, block,
                                  customer_contact, employee, mask, money)

TEAM_TYPE = "salesmeet.participant.v1.Team"


# -- update ------------------------------------------------------------------

class UpdateTest(ParticipantServerTestCase):

    @classmethod
    def seed(cls):
        cls.create(employee("Owner Olga"), participant_id="olga")

    def fresh(self, participant_id, **fields):
        return self.create(employee(f"Person {participant_id}", **fields),
                           participant_id=participant_id)

    def update(self, participant, *paths):
        return self.stub.UpdateParticipant(
            ps.UpdateParticipantRequest(participant=participant,
                                        update_mask=mask(*paths)),
            timeout=RPC_TIMEOUT)

    def test_update_changes_only_the_masked_fields(self):
        before = self.fresh("u-mask", time_zone="Europe/Rome")
        patch = participant_pb2.Participant(
            name=before.name, display_name="Renamed", time_zone="Asia/Tokyo")
        after = self.update(patch, "display_name")
        self.assertEqual(after.display_name, "Renamed")
        self.assertEqual(after.time_zone, "Europe/Rome")
        self.assertEqual(after.email, before.email)
        self.assertNotEqual(after.etag, before.etag)
        self.assertEqual(self.get(before.name), after)

    def test_update_replaces_repeated_fields_instead_of_appending(self):
        before = self.fresh("u-hours")
        patch = participant_pb2.Participant(name=before.name, working_hours=[
            block(dayofweek_pb2.SATURDAY, (10, 0), (14, 0))])
        after = self.update(patch, "working_hours")
        self.assertEqual(list(after.working_hours), list(patch.working_hours))

    def test_update_without_mask_changes_the_fields_that_are_set(self):
        before = self.fresh("u-nomask")
        after = self.stub.UpdateParticipant(
            ps.UpdateParticipantRequest(participant=participant_pb2.Participant(
                name=before.name, hourly_cost=money(120, "USD"))),
            timeout=RPC_TIMEOUT)
        self.assertEqual(after.hourly_cost, money(120, "USD"))
        self.assertEqual(after.display_name, before.display_name)

    def test_update_with_unknown_mask_path_is_invalid_argument_naming_it(self):
        before = self.fresh("u-unknown")
        error = self.assert_invalid(
            self.stub.UpdateParticipant,
            ps.UpdateParticipantRequest(
                participant=participant_pb2.Participant(name=before.name,
                                                        display_name="X"),
                update_mask=mask("display_name", "nickname")),
            "update_mask.paths[1]")
        self.assertEqual(error.fields, ["update_mask.paths[1]"])
        self.assertEqual(self.get(before.name), before)

    def test_update_of_immutable_kind_is_invalid_argument(self):
        before = self.fresh("u-kind")
        self.assert_invalid(
            self.stub.UpdateParticipant,
            ps.UpdateParticipantRequest(
                participant=participant_pb2.Participant(
                    name=before.name, kind=people_pb2.PARTNER),
                update_mask=mask("kind")),
            "update_mask.paths[0]")

    def test_update_with_stale_etag_is_aborted_with_etag_mismatch(self):
        before = self.fresh("u-stale")
        self.update(participant_pb2.Participant(name=before.name,
                                                display_name="First"),
                    "display_name")
        stale = participant_pb2.Participant(name=before.name, etag=before.etag,
                                            display_name="Second")
        error = self.expect_rpc_error(
            grpc.StatusCode.ABORTED, self.stub.UpdateParticipant,
            ps.UpdateParticipantRequest(participant=stale,
                                        update_mask=mask("display_name")))
        self.assertEqual(error.error_info.reason, "ETAG_MISMATCH")
        self.assertEqual(self.get(before.name).display_name, "First")

    def test_concurrent_updates_with_one_etag_let_exactly_one_win(self):
        before = self.fresh("u-race")
        results = self.race(6, lambda stub, i: stub.UpdateParticipant(
            ps.UpdateParticipantRequest(
                participant=participant_pb2.Participant(
                    name=before.name, etag=before.etag, display_name=f"Writer {i}"),
                update_mask=mask("display_name")), timeout=RPC_TIMEOUT))
        winners = [r for r in results if not isinstance(r, Exception)]
        codes = [r.code() for r in results if isinstance(r, grpc.RpcError)]
        self.assertEqual(len(winners), 1, results)
        self.assertEqual(codes, [grpc.StatusCode.ABORTED] * 5)
        self.assertEqual(self.get(before.name), winners[0])

    def test_update_with_current_etag_succeeds(self):
        before = self.fresh("u-etag")
        after = self.update(participant_pb2.Participant(
            name=before.name, etag=before.etag, display_name="Fresh"),
            "display_name")
        self.assertEqual(after.display_name, "Fresh")

    def test_update_that_breaks_validation_is_rejected_and_changes_nothing(self):
        before = self.fresh("u-invalid")
        self.assert_invalid(
            self.stub.UpdateParticipant,
            ps.UpdateParticipantRequest(
                participant=participant_pb2.Participant(
                    name=before.name, time_zone="Mars/Olympus"),
                update_mask=mask("time_zone")),
            "participant.time_zone")
        self.assertEqual(self.get(before.name), before)

    def test_update_to_an_email_already_taken_is_already_exists(self):
        before = self.fresh("u-email")
        olga = self.get("participants/olga")
        self.expect_rpc_error(
            grpc.StatusCode.ALREADY_EXISTS, self.stub.UpdateParticipant,
            ps.UpdateParticipantRequest(
                participant=participant_pb2.Participant(name=before.name,
                                                        email=olga.email),
                update_mask=mask("email")))

    def test_update_of_missing_participant_is_not_found(self):
        self.expect_rpc_error(
            grpc.StatusCode.NOT_FOUND, self.stub.UpdateParticipant,
            ps.UpdateParticipantRequest(
                participant=participant_pb2.Participant(
                    name="participants/ghost", display_name="Boo"),
                update_mask=mask("display_name")))

    def test_account_owner_cannot_lose_the_sales_role(self):
        owner = self.fresh("u-owner")
        contact = self.create(customer_contact(owner.name))
        error = self.expect_rpc_error(
            grpc.StatusCode.FAILED_PRECONDITION, self.stub.UpdateParticipant,
            ps.UpdateParticipantRequest(
                participant=participant_pb2.Participant(
                    name=owner.name, role=people_pb2.DEVELOPER),
                update_mask=mask("role")))
        self.assertIn(("ACCOUNT_OWNER", contact.name), error.violations)
        self.assertEqual(self.get(owner.name).role, people_pb2.SALES_REP)

    def test_contact_can_be_given_a_new_account_owner(self):
        contact = self.create(customer_contact("participants/olga"))
        new_owner = self.fresh("u-new-owner", role=people_pb2.SALES_MANAGER)
        after = self.update(participant_pb2.Participant(
            name=contact.name,
            customer=participant_pb2.CustomerProfile(account_owner=new_owner.name)),
            "customer.account_owner")
        self.assertEqual(after.customer.account_owner, new_owner.name)
        self.assertEqual(after.customer.account, contact.customer.account)


# -- delete -------------------------------------------------------------------

class DeleteTest(ParticipantServerTestCase):

    def delete(self, name, etag="", force=False):
        return self.stub.DeleteParticipant(
            ps.DeleteParticipantRequest(name=name, etag=etag, force=force),
            timeout=RPC_TIMEOUT)

    def test_delete_with_current_etag_removes_the_participant(self):
        p = self.create(employee("Gone Soon"))
        self.delete(p.name, etag=p.etag)
        self.assert_not_found(p.name)
        self.assertNotIn(p.name, self.names())

    def test_delete_with_stale_etag_is_aborted_and_keeps_the_participant(self):
        p = self.create(employee("Still Here"))
        self.stub.UpdateParticipant(ps.UpdateParticipantRequest(
            participant=participant_pb2.Participant(name=p.name, display_name="Y"),
            update_mask=mask("display_name")), timeout=RPC_TIMEOUT)
        error = self.expect_rpc_error(
            grpc.StatusCode.ABORTED, self.stub.DeleteParticipant,
            ps.DeleteParticipantRequest(name=p.name, etag=p.etag))
        self.assertEqual(error.error_info.reason, "ETAG_MISMATCH")
        self.assertEqual(self.get(p.name).display_name, "Y")

    def test_delete_of_missing_participant_is_not_found(self):
        error = self.expect_rpc_error(
            grpc.StatusCode.NOT_FOUND, self.stub.DeleteParticipant,
            ps.DeleteParticipantRequest(name="participants/ghost"))
        self.assertEqual(error.resource_info.resource_name, "participants/ghost")

    def test_deleted_email_can_be_used_again(self):
        p = self.create(employee("Reused Mail"))
        self.delete(p.name)
        again = self.create(employee("Reused Mail", email=p.email))
        self.assertEqual(again.email, p.email)

    def test_delete_of_account_owner_without_force_is_failed_precondition(self):
        owner = self.create(employee("Owner Ola"), participant_id="owner-ola")
        a = self.create(customer_contact(owner.name), participant_id="acct-a")
        b = self.create(customer_contact(owner.name), participant_id="acct-b")
        error = self.expect_rpc_error(
            grpc.StatusCode.FAILED_PRECONDITION, self.stub.DeleteParticipant,
            ps.DeleteParticipantRequest(name=owner.name))
        self.assertEqual(error.error_info.reason, "PARTICIPANT_IN_USE")
        self.assertEqual(sorted(error.violations),
                         [("ACCOUNT_OWNER", a.name), ("ACCOUNT_OWNER", b.name)])
        self.assertEqual(self.get(owner.name), owner)

    def test_delete_of_team_manager_without_force_is_failed_precondition(self):
        manager = self.create(employee("Manager Mo", role=people_pb2.SALES_MANAGER))
        team = self.create_team("mo-team", "Mo's Team", manager=manager.name)
        error = self.expect_rpc_error(
            grpc.StatusCode.FAILED_PRECONDITION, self.stub.DeleteParticipant,
            ps.DeleteParticipantRequest(name=manager.name))
        self.assertEqual(error.error_info.reason, "PARTICIPANT_IN_USE")
        self.assertEqual(error.violations, [("TEAM_MANAGER", team.name)])

    def test_forced_delete_leaves_contacts_without_owner_and_team_without_manager(self):
        owner = self.create(employee("Forced Fred"), participant_id="fred")
        contact = self.create(customer_contact(owner.name), participant_id="fred-acct")
        team = self.create_team("fred-team", "Fred's Team", manager=owner.name)
        self.delete(owner.name, force=True)
        self.assert_not_found(owner.name)
        orphan = self.get(contact.name)
        self.assertEqual(orphan.customer.account_owner, "")
        self.assertNotEqual(orphan.etag, contact.etag)
        self.assertEqual(orphan.customer.account, contact.customer.account)
        self.assertEqual(self.stub.GetTeam(ps.GetTeamRequest(name=team.name),
                                           timeout=RPC_TIMEOUT).manager, "")
        self.assertEqual(self.names('customer.account_owner = "participants/fred"'), [])


    def test_contact_left_without_owner_needs_one_on_its_next_update(self):
        owner = self.create(employee("Leaving Lu"), participant_id="lu")
        contact = self.create(customer_contact(owner.name), participant_id="lu-acct")
        self.delete(owner.name, force=True)
        self.assert_invalid(self.stub.UpdateParticipant, ps.UpdateParticipantRequest(
            participant=participant_pb2.Participant(name=contact.name,
                                                    display_name="Renamed"),
            update_mask=mask("display_name")),
            "participant.customer.account_owner")
        heir = self.create(employee("Heir Hal", role=people_pb2.SALES_MANAGER))
        updated = self.stub.UpdateParticipant(ps.UpdateParticipantRequest(
            participant=participant_pb2.Participant(
                name=contact.name, display_name="Renamed",
                customer=participant_pb2.CustomerProfile(account_owner=heir.name)),
            update_mask=mask("display_name", "customer.account_owner")),
            timeout=RPC_TIMEOUT)
        self.assertEqual(updated.customer.account_owner, heir.name)


# -- teams ---------------------------------------------------------------------

class TeamTest(ParticipantServerTestCase):

    @classmethod
    def seed(cls):
        cls.mgr = cls.create(employee("Mara Manager", role=people_pb2.SALES_MANAGER),
                             participant_id="mara")
        cls.create(employee("Rick Rep"), participant_id="rick")
        cls.create(customer_contact("participants/rick"), participant_id="cust")

    def get_team(self, name):
        return self.stub.GetTeam(ps.GetTeamRequest(name=name), timeout=RPC_TIMEOUT)

    def test_create_and_get_team_with_manager(self):
        created = self.stub.CreateTeam(ps.CreateTeamRequest(
            team=participant_pb2.Team(display_name="EMEA Sales",
                                      description="Europe and Africa",
                                      manager=self.mgr.name),
            team_id="emea-sales"), timeout=RPC_TIMEOUT)
        self.assertEqual(created.name, "teams/emea-sales")
        self.assertEqual(created.manager, "participants/mara")
        self.assertTrue(created.etag)
        self.assertEqual(self.get_team("teams/emea-sales"), created)

    def test_team_without_id_gets_a_server_chosen_name(self):
        created = self.create_team("", "Nameless")
        self.assertRegex(created.name, r"^teams/[a-z][a-z0-9-]*$")

    def test_team_manager_that_does_not_exist_is_invalid_argument(self):
        self.assert_invalid(self.stub.CreateTeam, ps.CreateTeamRequest(
            team=participant_pb2.Team(display_name="Ghost Team",
                                      manager="participants/ghost")),
            "team.manager")

    def test_team_manager_must_be_an_employee(self):
        self.assert_invalid(self.stub.CreateTeam, ps.CreateTeamRequest(
            team=participant_pb2.Team(display_name="Customer Team",
                                      manager="participants/cust")),
            "team.manager")

    def test_team_without_display_name_is_invalid_argument(self):
        self.assert_invalid(self.stub.CreateTeam, ps.CreateTeamRequest(
            team=participant_pb2.Team(display_name="  ")), "team.display_name")

    def test_duplicate_team_id_is_already_exists(self):
        self.create_team("dup-team", "Dup")
        error = self.expect_rpc_error(
            grpc.StatusCode.ALREADY_EXISTS, self.stub.CreateTeam,
            ps.CreateTeamRequest(team=participant_pb2.Team(display_name="Dup 2"),
                                 team_id="dup-team"))
        self.assertEqual(error.resource_info.resource_name, "teams/dup-team")

    def test_get_missing_team_is_not_found(self):
        error = self.expect_rpc_error(grpc.StatusCode.NOT_FOUND, self.stub.GetTeam,
                                      ps.GetTeamRequest(name="teams/nowhere"))
        self.assertEqual(error.resource_info.resource_type, TEAM_TYPE)

    def test_update_team_manager_with_mask(self):
        team = self.create_team("upd-team", "Before")
        updated = self.stub.UpdateTeam(ps.UpdateTeamRequest(
            team=participant_pb2.Team(name=team.name, etag=team.etag,
                                      manager=self.mgr.name, display_name="Ignored"),
            update_mask=mask("manager")), timeout=RPC_TIMEOUT)
        self.assertEqual(updated.manager, self.mgr.name)
        self.assertEqual(updated.display_name, "Before")

    def test_update_team_with_stale_etag_is_aborted(self):
        team = self.create_team("stale-team", "Stale")
        self.stub.UpdateTeam(ps.UpdateTeamRequest(
            team=participant_pb2.Team(name=team.name, description="changed"),
            update_mask=mask("description")), timeout=RPC_TIMEOUT)
        error = self.expect_rpc_error(
            grpc.StatusCode.ABORTED, self.stub.UpdateTeam,
            ps.UpdateTeamRequest(team=participant_pb2.Team(
                name=team.name, etag=team.etag, description="lost update"),
                update_mask=mask("description")))
        self.assertEqual(error.error_info.reason, "ETAG_MISMATCH")

    def test_participant_in_unknown_team_is_invalid_argument(self):
        self.assert_invalid(self.stub.CreateParticipant, ps.CreateParticipantRequest(
            participant=employee("Lost", team="teams/atlantis")),
            "participant.team")

    def test_delete_team_with_members_needs_force(self):
        team = self.create_team("members", "Members")
        member = self.create(employee("Member Meg", team=team.name))
        error = self.expect_rpc_error(
            grpc.StatusCode.FAILED_PRECONDITION, self.stub.DeleteTeam,
            ps.DeleteTeamRequest(name=team.name))
        self.assertEqual(error.violations, [("TEAM_MEMBER", member.name)])
        self.stub.DeleteTeam(ps.DeleteTeamRequest(name=team.name, force=True),
                             timeout=RPC_TIMEOUT)
        self.expect_rpc_error(grpc.StatusCode.NOT_FOUND, self.stub.GetTeam,
                              ps.GetTeamRequest(name=team.name))
        self.assertEqual(self.get(member.name).team, "")

    def test_delete_empty_team_with_current_etag(self):
        team = self.create_team("empty", "Empty")
        self.stub.DeleteTeam(ps.DeleteTeamRequest(name=team.name, etag=team.etag),
                             timeout=RPC_TIMEOUT)
        self.expect_rpc_error(grpc.StatusCode.NOT_FOUND, self.stub.GetTeam,
                              ps.GetTeamRequest(name=team.name))


if __name__ == "__main__":
    unittest.main()
