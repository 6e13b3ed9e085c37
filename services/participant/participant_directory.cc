#include "services/participant/participant_directory.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "common/list_filter.h"
#include "common/status_macros.h"
#include "common/update_mask.h"
#include "services/participant/directory_rules.h"
#include "services/participant/participant_validation.h"

namespace salesmeet::participant {
namespace {

using salesmeet::type::v1::CustomerLifecycle;
using salesmeet::type::v1::ParticipantKind;
using salesmeet::type::v1::Role;

constexpr absl::string_view kCreateMethod = "CreateParticipant";
constexpr absl::string_view kListScope = "ListParticipants";
constexpr int kMaxBatchGet = 1000;

const UpdateMaskRules& MaskRules() {
  static const auto* rules = new UpdateMaskRules{
      {"display_name", "email", "role", "team", "time_zone", "working_hours",
       "time_off", "hourly_cost", "weekly_meeting_budget", "customer",
       "customer.account", "customer.lifecycle", "customer.account_owner",
       "customer.contact_cadence"},
      {{"name", "identifies the participant and cannot be changed"},
       {"kind", "cannot be changed after creation"},
       {"create_time", "is output only"},
       {"update_time", "is output only"},
       {"etag", "is output only; send it in participant.etag instead"}}};
  return *rules;
}

std::string ParticipantName(absl::string_view id) {
  return absl::StrCat("participants/", id);
}

// The references a participant holds must point at records that exist and
// fit: its team, and a customer contact's account owner, who must sell.
absl::Status CheckReferences(ParticipantTransaction& tx,
                             const v1::Participant& p) {
  FieldErrors errors;
  if (!p.team().empty()) {
    std::optional<v1::Team> team;
    ASSIGN_OR_RETURN(team, tx.FindTeam(IdFromName(p.team())));
    if (!team.has_value()) {
      errors.Add("participant.team", absl::StrCat(p.team(), " does not exist"));
    }
  }
  const std::string& owner_name = p.customer().account_owner();
  if (p.has_customer() && !owner_name.empty()) {
    std::optional<v1::Participant> owner;
    ASSIGN_OR_RETURN(owner, tx.FindParticipant(IdFromName(owner_name)));
    if (!owner.has_value()) {
      errors.Add("participant.customer.account_owner",
                 absl::StrCat(owner_name, " does not exist"));
    } else if (owner->kind() != salesmeet::type::v1::EMPLOYEE ||
               !IsSalesRole(owner->role())) {
      errors.Add("participant.customer.account_owner",
                 absl::StrCat(owner_name,
                              " must be an employee with a sales role "
                              "(SALES_REP or SALES_MANAGER)"));
    }
  }
  return errors.ToStatus();
}

absl::Status CheckEmailFree(ParticipantTransaction& tx,
                            const v1::Participant& p) {
  std::optional<std::string> holder;
  ASSIGN_OR_RETURN(holder, tx.FindParticipantByEmail(p.email()));
  if (holder.has_value() && ParticipantName(*holder) != p.name()) {
    // Who holds it stays unsaid: that would tell callers without the
    // "pii" permission whose address it is.
    return ResourceExistsError("salesmeet.participant.v1.Participant", "",
                               "participant.email is already in use");
  }
  return absl::OkStatus();
}

// Turns the filter's terms into a store query; values are checked here so a
// typo is an error rather than an empty list.
absl::StatusOr<ParticipantQuery> QueryFromFilter(
    const std::vector<FilterTerm>& terms) {
  ParticipantQuery query;
  FieldErrors errors;
  for (const FilterTerm& term : terms) {
    if (term.field == "kind") {
      ParticipantKind kind;
      if (salesmeet::type::v1::ParticipantKind_Parse(term.value, &kind) &&
          kind != salesmeet::type::v1::PARTICIPANT_KIND_UNSPECIFIED) {
        query.kind = kind;
      } else {
        errors.Add("filter",
                   "kind must be EMPLOYEE, CUSTOMER_CONTACT or PARTNER");
      }
    } else if (term.field == "role") {
      Role role;
      if (salesmeet::type::v1::Role_Parse(term.value, &role) &&
          role != salesmeet::type::v1::ROLE_UNSPECIFIED) {
        query.role = role;
      } else {
        errors.Add("filter", absl::StrCat(Quoted(term.value),
                                          " is not a role, e.g. SALES_REP"));
      }
    } else if (term.field == "customer.lifecycle") {
      CustomerLifecycle lifecycle;
      if (salesmeet::type::v1::CustomerLifecycle_Parse(term.value,
                                                       &lifecycle) &&
          lifecycle != salesmeet::type::v1::CUSTOMER_LIFECYCLE_UNSPECIFIED) {
        query.lifecycle = lifecycle;
      } else {
        errors.Add("filter",
                   "customer.lifecycle must be PROSPECT, NEW_CUSTOMER or "
                   "EXISTING_CUSTOMER");
      }
    } else if (term.field == "team") {
      ParseResourceName(term.value, "teams", "filter", errors);
      query.team = term.value;
    } else if (term.field == "customer.account_owner") {
      ParseResourceName(term.value, "participants", "filter", errors);
      query.account_owner = term.value;
    }
  }
  RETURN_IF_ERROR(errors.ToStatus());
  return query;
}

}  // namespace

absl::StatusOr<v1::Participant> ParticipantDirectory::Create(
    const v1::CreateParticipantRequest& request) {
  FieldErrors errors;
  if (!request.participant_id().empty() &&
      !IsValidResourceId(request.participant_id())) {
    errors.Add("participant_id",
               "must be 1-63 lowercase letters, digits or hyphens, starting "
               "with a letter and not ending with a hyphen");
  }
  CheckRequestId(request.request_id(), "request_id", errors);
  v1::Participant participant = request.participant();
  if (!request.has_participant()) {
    errors.Add("participant", "is required");
  } else {
    ApplyParticipantDefaults(participant);
    ValidateParticipant(participant, "participant", errors);
  }
  RETURN_IF_ERROR(errors.ToStatus());

  const absl::Time now = clock_();
  participant.set_name(ParticipantName(request.participant_id().empty()
                                           ? GenerateResourceId('p')
                                           : request.participant_id()));
  *participant.mutable_create_time() = ToProtoTime(now);
  participant.clear_etag();
  StampWrite(participant, now);

  v1::Participant result;
  RETURN_IF_ERROR(store_.Write([&](ParticipantTransaction& tx) -> absl::Status {
    std::optional<std::string> earlier;
    ASSIGN_OR_RETURN(earlier, FindRetriedCreate(tx, kCreateMethod,
                                                request.request_id(), request));
    if (earlier.has_value()) {
      std::optional<v1::Participant> original;
      ASSIGN_OR_RETURN(original, tx.FindParticipant(IdFromName(*earlier)));
      if (!original.has_value()) {
        return ResourceNotFoundError("salesmeet.participant.v1.Participant",
                                     *earlier);
      }
      result = *std::move(original);
      return absl::OkStatus();
    }
    std::optional<v1::Participant> existing;
    ASSIGN_OR_RETURN(existing,
                     tx.FindParticipant(IdFromName(participant.name())));
    if (existing.has_value()) {
      return ResourceExistsError(
          "salesmeet.participant.v1.Participant", participant.name(),
          absl::StrCat(participant.name(), " already exists"));
    }
    RETURN_IF_ERROR(CheckEmailFree(tx, participant));
    RETURN_IF_ERROR(CheckReferences(tx, participant));
    RETURN_IF_ERROR(tx.PutParticipant(participant));
    RETURN_IF_ERROR(RecordCreate(tx, kCreateMethod, request.request_id(),
                                 request, participant.name(), now));
    result = participant;
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<v1::Participant> ParticipantDirectory::Get(
    const v1::GetParticipantRequest& request) {
  FieldErrors errors;
  const std::string id =
      ParseResourceName(request.name(), "participants", "name", errors);
  RETURN_IF_ERROR(errors.ToStatus());
  std::optional<v1::Participant> found;
  RETURN_IF_ERROR(store_.Read([&](ParticipantTransaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(found, tx.FindParticipant(id));
    return absl::OkStatus();
  }));
  if (!found.has_value()) {
    return ResourceNotFoundError("salesmeet.participant.v1.Participant",
                                 request.name());
  }
  return *std::move(found);
}

absl::StatusOr<v1::BatchGetParticipantsResponse> ParticipantDirectory::BatchGet(
    const v1::BatchGetParticipantsRequest& request) {
  FieldErrors errors;
  if (request.names_size() == 0) {
    errors.Add("names", "must name at least one participant");
  } else if (request.names_size() > kMaxBatchGet) {
    errors.Add("names", "must name at most 1000 participants");
  }
  std::vector<std::string> ids;
  for (int i = 0; i < request.names_size() && i < kMaxBatchGet; ++i) {
    ids.push_back(ParseResourceName(request.names(i), "participants",
                                    absl::StrCat("names[", i, "]"), errors));
  }
  RETURN_IF_ERROR(errors.ToStatus());

  v1::BatchGetParticipantsResponse response;
  RETURN_IF_ERROR(store_.Read([&](ParticipantTransaction& tx) -> absl::Status {
    absl::flat_hash_map<std::string, v1::Participant> seen;
    for (size_t i = 0; i < ids.size(); ++i) {
      auto it = seen.find(ids[i]);
      if (it == seen.end()) {
        std::optional<v1::Participant> found;
        ASSIGN_OR_RETURN(found, tx.FindParticipant(ids[i]));
        if (!found.has_value()) {
          return ResourceNotFoundError("salesmeet.participant.v1.Participant",
                                       request.names(static_cast<int>(i)));
        }
        it = seen.emplace(ids[i], *std::move(found)).first;
      }
      *response.add_participants() = it->second;
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListParticipantsResponse> ParticipantDirectory::List(
    const v1::ListParticipantsRequest& request) {
  int page_size = 0;
  ASSIGN_OR_RETURN(page_size, EffectivePageSize(request.page_size(), 50, 1000));
  std::vector<FilterTerm> terms;
  ASSIGN_OR_RETURN(terms,
                   ParseFilter(request.filter(),
                               {"kind", "role", "team", "customer.lifecycle",
                                "customer.account_owner"}));
  ParticipantQuery query;
  ASSIGN_OR_RETURN(query, QueryFromFilter(terms));
  const std::string canonical = CanonicalFilter(terms);
  using Page = std::pair<std::vector<v1::Participant>, std::string>;
  ASSIGN_OR_RETURN(
      Page page,
      ReadPageById<v1::Participant>(
          tokens_, kListScope, canonical, request.page_token(), page_size,
          clock_(),
          [&](const std::string& after_id,
              int limit) -> absl::StatusOr<std::vector<v1::Participant>> {
            query.after_id = after_id;
            query.limit = limit;
            std::vector<v1::Participant> rows;
            RETURN_IF_ERROR(
                store_.Read([&](ParticipantTransaction& tx) -> absl::Status {
                  ASSIGN_OR_RETURN(rows, tx.ListParticipants(query));
                  return absl::OkStatus();
                }));
            return rows;
          }));
  v1::ListParticipantsResponse response;
  for (v1::Participant& item : page.first)
    *response.add_participants() = std::move(item);
  response.set_next_page_token(page.second);
  return response;
}

absl::StatusOr<v1::Participant> ParticipantDirectory::Update(
    const v1::UpdateParticipantRequest& request) {
  FieldErrors errors;
  const v1::Participant& patch = request.participant();
  const std::string id = ParseResourceName(patch.name(), "participants",
                                           "participant.name", errors);
  RETURN_IF_ERROR(errors.ToStatus());
  std::vector<std::string> paths;
  ASSIGN_OR_RETURN(
      paths, ResolveUpdateMask(request.update_mask(), patch, MaskRules()));

  v1::Participant result;
  RETURN_IF_ERROR(store_.Write([&](ParticipantTransaction& tx) -> absl::Status {
    std::optional<v1::Participant> current;
    ASSIGN_OR_RETURN(current, tx.FindParticipant(id));
    if (!current.has_value()) {
      return ResourceNotFoundError("salesmeet.participant.v1.Participant",
                                   patch.name());
    }
    RETURN_IF_ERROR(CheckEtag(patch.etag(), current->etag(), patch.name()));
    v1::Participant updated = *current;
    ApplyUpdateMask(paths, patch, &updated);
    ApplyParticipantDefaults(updated);
    FieldErrors invalid;
    ValidateParticipant(updated, "participant", invalid);
    RETURN_IF_ERROR(invalid.ToStatus());
    RETURN_IF_ERROR(CheckEmailFree(tx, updated));
    RETURN_IF_ERROR(CheckReferences(tx, updated));
    if (IsSalesRole(current->role()) && !IsSalesRole(updated.role())) {
      std::vector<v1::Participant> owned;
      ASSIGN_OR_RETURN(owned, AccountsOwnedBy(tx, updated.name()));
      if (!owned.empty()) {
        std::vector<PreconditionViolation> violations;
        for (const v1::Participant& contact : owned) {
          if (violations.size() == kMaxReportedViolations) break;
          violations.push_back({"ACCOUNT_OWNER", contact.name(),
                                "is owned by this participant"});
        }
        return FailedPreconditionError(
            "OWNER_NEEDS_SALES_ROLE",
            absl::StrCat(
                updated.name(), " owns ",
                CountOf(owned.size(), "customer account", "customer accounts"),
                ", so their role must stay a sales role; reassign "
                "the accounts first"),
            violations);
      }
    }
    StampWrite(updated, clock_());
    RETURN_IF_ERROR(tx.PutParticipant(updated));
    result = std::move(updated);
    return absl::OkStatus();
  }));
  return result;
}

absl::Status ParticipantDirectory::Delete(
    const v1::DeleteParticipantRequest& request) {
  FieldErrors errors;
  const std::string id =
      ParseResourceName(request.name(), "participants", "name", errors);
  RETURN_IF_ERROR(errors.ToStatus());
  return store_.Write([&](ParticipantTransaction& tx) -> absl::Status {
    std::optional<v1::Participant> current;
    ASSIGN_OR_RETURN(current, tx.FindParticipant(id));
    if (!current.has_value()) {
      return ResourceNotFoundError("salesmeet.participant.v1.Participant",
                                   request.name());
    }
    RETURN_IF_ERROR(CheckEtag(request.etag(), current->etag(), request.name()));
    std::vector<v1::Participant> owned;
    ASSIGN_OR_RETURN(owned, AccountsOwnedBy(tx, current->name()));
    std::vector<v1::Team> managed;
    ASSIGN_OR_RETURN(managed, TeamsManagedBy(tx, current->name()));
    if (!request.force() && (!owned.empty() || !managed.empty())) {
      std::vector<PreconditionViolation> violations;
      for (const v1::Team& team : managed) {
        if (violations.size() == kMaxReportedViolations) break;
        violations.push_back(
            {"TEAM_MANAGER", team.name(), "is managed by this participant"});
      }
      for (const v1::Participant& contact : owned) {
        if (violations.size() == kMaxReportedViolations) break;
        violations.push_back({"ACCOUNT_OWNER", contact.name(),
                              "has this participant as account owner"});
      }
      return FailedPreconditionError(
          "PARTICIPANT_IN_USE",
          absl::StrCat(
              request.name(), " owns ",
              CountOf(owned.size(), "customer account", "customer accounts"),
              " and manages ", CountOf(managed.size(), "team", "teams"),
              "; reassign them, or delete with force"),
          violations);
    }
    const absl::Time now = clock_();
    for (v1::Participant& contact : owned) {
      contact.mutable_customer()->clear_account_owner();
      StampWrite(contact, now);
      RETURN_IF_ERROR(tx.PutParticipant(contact));
    }
    for (v1::Team& team : managed) {
      team.clear_manager();
      StampWrite(team, now);
      RETURN_IF_ERROR(tx.PutTeam(team));
    }
    return tx.DeleteParticipant(id);
  });
}

}  // namespace salesmeet::participant
