#include "common/request_limits.h"

#include <gtest/gtest.h>

#include <string>

#include "common/error_test_support.h"
#include "common/errors.h"
#include "salesmeet/participant/v1/participant_service.pb.h"

namespace salesmeet {
namespace {

namespace pv1 = salesmeet::participant::v1;

TEST(RequestLimitsTest, AcceptsAnOrdinaryRequest) {
  pv1::CreateParticipantRequest request;
  request.mutable_participant()->set_display_name("Maria Rossi");
  request.mutable_participant()->set_time_zone("Europe/Rome");
  EXPECT_TRUE(CheckRequestLimits(request).ok());
}

TEST(RequestLimitsTest, RefusesAnOverlongStringNamingItsPath) {
  pv1::CreateParticipantRequest request;
  request.mutable_participant()->set_time_zone(std::string(100'000, 'x'));
  const absl::Status status = CheckRequestLimits(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(status), "participant.time_zone");
  EXPECT_LT(status.message().size(), 200u);
}

TEST(RequestLimitsTest, RefusesTooManyEntriesWithoutLookingAtThem) {
  pv1::UpdateParticipantRequest request;
  for (int i = 0; i < 100'000; ++i) {
    request.mutable_update_mask()->add_paths(std::string(1, '\0'));
  }
  const absl::Status status = CheckRequestLimits(request);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"update_mask.paths"});
}

TEST(RequestLimitsTest, RefusesControlCharactersButNotLineBreaksOrTabs) {
  pv1::CreateParticipantRequest request;
  request.mutable_participant()->set_display_name(std::string("Ma\0ria", 6));
  EXPECT_EQ(FirstBadField(CheckRequestLimits(request)),
            "participant.display_name");
  request.mutable_participant()->set_display_name("Maria\x1b[31m");
  EXPECT_EQ(FirstBadField(CheckRequestLimits(request)),
            "participant.display_name");
  request.mutable_participant()->set_display_name("Maria\tRossi\r\n");
  EXPECT_TRUE(CheckRequestLimits(request).ok());
}

TEST(RequestLimitsTest, NamesRepeatedEntriesByIndex) {
  pv1::BatchGetParticipantsRequest request;
  request.add_names("participants/maria");
  request.add_names(std::string("participants/\x01", 14));
  EXPECT_EQ(FirstBadField(CheckRequestLimits(request)), "names[1]");
}

TEST(RequestLimitsTest, RefusesEnumNumbersTheEnumDoesNotDefine) {
  pv1::CreateParticipantRequest request;
  request.mutable_participant()->set_kind(
      static_cast<salesmeet::type::v1::ParticipantKind>(999));
  EXPECT_EQ(FirstBadField(CheckRequestLimits(request)), "participant.kind");
}

TEST(RequestLimitsTest, RefusesDurationsAndTimestampsOutsideTheirRanges) {
  pv1::CreateParticipantRequest request;
  request.mutable_participant()->mutable_weekly_meeting_budget()->set_nanos(
      2'000'000'000);
  EXPECT_EQ(FirstBadField(CheckRequestLimits(request)),
            "participant.weekly_meeting_budget");
  request.mutable_participant()->mutable_weekly_meeting_budget()->set_seconds(
      -5);
  request.mutable_participant()->mutable_weekly_meeting_budget()->set_nanos(5);
  EXPECT_EQ(FirstBadField(CheckRequestLimits(request)),
            "participant.weekly_meeting_budget");
  request.mutable_participant()->clear_weekly_meeting_budget();
  request.mutable_participant()->mutable_create_time()->set_seconds(
      253'402'300'800);  // 10000-01-01
  EXPECT_EQ(FirstBadField(CheckRequestLimits(request)),
            "participant.create_time");
}

TEST(RequestLimitsTest, RefusesMoneyBeyondTheBoundOrMalformed) {
  pv1::CreateParticipantRequest request;
  google::type::Money* cost =
      request.mutable_participant()->mutable_hourly_cost();
  cost->set_currency_code("IDR");
  cost->set_units(kMaxMoneyUnits);
  EXPECT_TRUE(CheckRequestLimits(request).ok());
  cost->set_units(kMaxMoneyUnits + 1);
  EXPECT_EQ(FirstBadField(CheckRequestLimits(request)),
            "participant.hourly_cost");
  cost->set_units(1);
  cost->set_nanos(-1);
  EXPECT_EQ(FirstBadField(CheckRequestLimits(request)),
            "participant.hourly_cost");
}

}  // namespace
}  // namespace salesmeet
