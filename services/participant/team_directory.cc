#include "services/participant/team_directory.h"

#include <limits>
#include <utility>

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

constexpr absl::string_view kTeamType = "salesmeet.participant.v1.Team";
constexpr absl::string_view kCreateMethod = "CreateTeam";
constexpr absl::string_view kListScope = "ListTeams";

const UpdateMaskRules& MaskRules() {
  static const auto* rules = new UpdateMaskRules{
      {"display_name", "description", "manager"},
      {{"name", "identifies the team and cannot be changed"},
       {"create_time", "is output only"},
       {"update_time", "is output only"},
       {"etag", "is output only; send it in team.etag instead"}}};
  return *rules;
}

absl::Status CheckManager(ParticipantTransaction& tx, const v1::Team& team) {
  if (team.manager().empty()) return absl::OkStatus();
  std::optional<v1::Participant> manager;
  ASSIGN_OR_RETURN(manager, tx.FindParticipant(IdFromName(team.manager())));
  if (!manager.has_value()) {
    return InvalidFieldError("team.manager",
                             absl::StrCat(team.manager(), " does not exist"));
  }
  if (manager->kind() != salesmeet::type::v1::EMPLOYEE) {
    return InvalidFieldError(
        "team.manager", absl::StrCat(team.manager(), " is not an employee"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Participant>> MembersOf(
    ParticipantTransaction& tx, const std::string& team_name) {
  ParticipantQuery query;
  query.team = team_name;
  query.limit = std::numeric_limits<int>::max();
  return tx.ListParticipants(query);
}

}  // namespace

absl::StatusOr<v1::Team> TeamDirectory::Create(
    const v1::CreateTeamRequest& request) {
  FieldErrors errors;
  if (!request.team_id().empty() && !IsValidResourceId(request.team_id())) {
    errors.Add("team_id",
               "must be 1-63 lowercase letters, digits or hyphens, starting "
               "with a letter and not ending with a hyphen");
  }
  CheckRequestId(request.request_id(), "request_id", errors);
  if (!request.has_team()) {
    errors.Add("team", "is required");
  } else {
    ValidateTeam(request.team(), "team", errors);
  }
  RETURN_IF_ERROR(errors.ToStatus());

  const absl::Time now = clock_();
  v1::Team team = request.team();
  team.set_name(absl::StrCat("teams/", request.team_id().empty()
                                           ? GenerateResourceId('t')
                                           : request.team_id()));
  *team.mutable_create_time() = ToProtoTime(now);
  team.clear_etag();
  StampWrite(team, now);

  v1::Team result;
  RETURN_IF_ERROR(store_.Write([&](ParticipantTransaction& tx) -> absl::Status {
    std::optional<std::string> earlier;
    ASSIGN_OR_RETURN(earlier, FindRetriedCreate(tx, kCreateMethod,
                                                request.request_id(), request));
    if (earlier.has_value()) {
      std::optional<v1::Team> original;
      ASSIGN_OR_RETURN(original, tx.FindTeam(IdFromName(*earlier)));
      if (!original.has_value())
        return ResourceNotFoundError(kTeamType, *earlier);
      result = *std::move(original);
      return absl::OkStatus();
    }
    std::optional<v1::Team> existing;
    ASSIGN_OR_RETURN(existing, tx.FindTeam(IdFromName(team.name())));
    if (existing.has_value()) {
      return ResourceExistsError(kTeamType, team.name(),
                                 absl::StrCat(team.name(), " already exists"));
    }
    RETURN_IF_ERROR(CheckManager(tx, team));
    RETURN_IF_ERROR(tx.PutTeam(team));
    RETURN_IF_ERROR(RecordCreate(tx, kCreateMethod, request.request_id(),
                                 request, team.name(), now));
    result = team;
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<v1::Team> TeamDirectory::Get(const v1::GetTeamRequest& request) {
  FieldErrors errors;
  const std::string id =
      ParseResourceName(request.name(), "teams", "name", errors);
  RETURN_IF_ERROR(errors.ToStatus());
  std::optional<v1::Team> found;
  RETURN_IF_ERROR(store_.Read([&](ParticipantTransaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(found, tx.FindTeam(id));
    return absl::OkStatus();
  }));
  if (!found.has_value())
    return ResourceNotFoundError(kTeamType, request.name());
  return *std::move(found);
}

absl::StatusOr<v1::ListTeamsResponse> TeamDirectory::List(
    const v1::ListTeamsRequest& request) {
  int page_size = 0;
  ASSIGN_OR_RETURN(page_size, EffectivePageSize(request.page_size(), 50, 1000));
  std::vector<FilterTerm> terms;
  ASSIGN_OR_RETURN(terms, ParseFilter(request.filter(), {"manager"}));
  TeamQuery query;
  FieldErrors errors;
  for (const FilterTerm& term : terms) {
    ParseResourceName(term.value, "participants", "filter", errors);
    query.manager = term.value;
  }
  RETURN_IF_ERROR(errors.ToStatus());
  const std::string canonical = CanonicalFilter(terms);
  using Page = std::pair<std::vector<v1::Team>, std::string>;
  ASSIGN_OR_RETURN(Page page,
                   ReadPageById<v1::Team>(
                       tokens_, kListScope, canonical, request.page_token(),
                       page_size, clock_(),
                       [&](const std::string& after_id,
                           int limit) -> absl::StatusOr<std::vector<v1::Team>> {
                         query.after_id = after_id;
                         query.limit = limit;
                         std::vector<v1::Team> rows;
                         RETURN_IF_ERROR(store_.Read(
                             [&](ParticipantTransaction& tx) -> absl::Status {
                               ASSIGN_OR_RETURN(rows, tx.ListTeams(query));
                               return absl::OkStatus();
                             }));
                         return rows;
                       }));
  v1::ListTeamsResponse response;
  for (v1::Team& item : page.first) *response.add_teams() = std::move(item);
  response.set_next_page_token(page.second);
  return response;
}

absl::StatusOr<v1::Team> TeamDirectory::Update(
    const v1::UpdateTeamRequest& request) {
  FieldErrors errors;
  const v1::Team& patch = request.team();
  const std::string id =
      ParseResourceName(patch.name(), "teams", "team.name", errors);
  RETURN_IF_ERROR(errors.ToStatus());
  std::vector<std::string> paths;
  ASSIGN_OR_RETURN(
      paths, ResolveUpdateMask(request.update_mask(), patch, MaskRules()));
  v1::Team result;
  RETURN_IF_ERROR(store_.Write([&](ParticipantTransaction& tx) -> absl::Status {
    std::optional<v1::Team> current;
    ASSIGN_OR_RETURN(current, tx.FindTeam(id));
    if (!current.has_value())
      return ResourceNotFoundError(kTeamType, patch.name());
    RETURN_IF_ERROR(CheckEtag(patch.etag(), current->etag(), patch.name()));
    v1::Team updated = *current;
    ApplyUpdateMask(paths, patch, &updated);
    FieldErrors invalid;
    ValidateTeam(updated, "team", invalid);
    RETURN_IF_ERROR(invalid.ToStatus());
    RETURN_IF_ERROR(CheckManager(tx, updated));
    StampWrite(updated, clock_());
    RETURN_IF_ERROR(tx.PutTeam(updated));
    result = std::move(updated);
    return absl::OkStatus();
  }));
  return result;
}

absl::Status TeamDirectory::Delete(const v1::DeleteTeamRequest& request) {
  FieldErrors errors;
  const std::string id =
      ParseResourceName(request.name(), "teams", "name", errors);
  RETURN_IF_ERROR(errors.ToStatus());
  return store_.Write([&](ParticipantTransaction& tx) -> absl::Status {
    std::optional<v1::Team> current;
    ASSIGN_OR_RETURN(current, tx.FindTeam(id));
    if (!current.has_value())
      return ResourceNotFoundError(kTeamType, request.name());
    RETURN_IF_ERROR(CheckEtag(request.etag(), current->etag(), request.name()));
    std::vector<v1::Participant> members;
    ASSIGN_OR_RETURN(members, MembersOf(tx, current->name()));
    if (!members.empty() && !request.force()) {
      std::vector<PreconditionViolation> violations;
      for (const v1::Participant& member : members) {
        if (violations.size() == kMaxReportedViolations) break;
        violations.push_back(
            {"TEAM_MEMBER", member.name(), "belongs to this team"});
      }
      return FailedPreconditionError(
          "TEAM_NOT_EMPTY",
          absl::StrCat(request.name(), " has ",
                       CountOf(members.size(), "member", "members"),
                       "; move them first, or delete with force"),
          violations);
    }
    const absl::Time now = clock_();
    for (v1::Participant& member : members) {
      member.clear_team();
      StampWrite(member, now);
      RETURN_IF_ERROR(tx.PutParticipant(member));
    }
    return tx.DeleteTeam(id);
  });
}

}  // namespace salesmeet::participant
