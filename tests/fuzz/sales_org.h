#ifndef SALESMEET_TESTS_FUZZ_SALES_ORG_H_
#define SALESMEET_TESTS_FUZZ_SALES_ORG_H_

// The sales organisation the targets book, read calendars and report
// against, as the participant service would answer for it: employees in
// Rome, New York and London working Monday to Friday 08:00-18:00 with a
// 10-hour weekly meeting budget, a customer contact and a partner.

#include <string>
#include <vector>

#include "salesmeet/participant/v1/participant.pb.h"
#include "tests/fuzz/fuzz_support.h"

namespace salesmeet::fuzz {

inline participant::v1::Participant Employee(const std::string& id,
                                             const std::string& role,
                                             const std::string& team,
                                             int hourly_eur,
                                             const std::string& zone) {
  participant::v1::Participant p = FromText<participant::v1::Participant>(
      "name: 'participants/" + id + "' display_name: '" + id +
      "' kind: EMPLOYEE role: " + role + " team: 'teams/" + team +
      "' time_zone: '" + zone + "' hourly_cost { currency_code: 'EUR' units: " +
      std::to_string(hourly_eur) +
      " } weekly_meeting_budget { seconds: 36000 }");
  for (int day = google::type::MONDAY; day <= google::type::FRIDAY; ++day) {
    salesmeet::type::v1::WorkingPeriod* period = p.add_working_hours();
    period->set_day(static_cast<google::type::DayOfWeek>(day));
    period->mutable_start_time()->set_hours(8);
    period->mutable_end_time()->set_hours(18);
  }
  return p;
}

inline std::vector<std::string> SalesOrgTeams() {
  return {"teams/emea", "teams/product"};
}

inline std::vector<participant::v1::Participant> SalesOrgPeople() {
  std::vector<participant::v1::Participant> people = {
      Employee("ada", "SALES_REP", "emea", 60, "Europe/Rome"),
      Employee("bob", "SALES_MANAGER", "emea", 90, "Europe/Rome"),
      Employee("dev", "DEVELOPER", "product", 70, "America/New_York"),
      Employee("eve", "TECHNICAL_EXPERT", "product", 80, "Europe/London")};
  people.push_back(FromText<participant::v1::Participant>(R"pb(
    name: "participants/cleo"
    display_name: "Cleo"
    kind: CUSTOMER_CONTACT
    time_zone: "America/New_York"
    customer {
      account: "Acme"
      lifecycle: PROSPECT
      account_owner: "participants/ada"
      contact_cadence { seconds: 1209600 }
    })pb"));
  people.push_back(FromText<participant::v1::Participant>(R"pb(
    name: "participants/pat"
    display_name: "Pat"
    kind: PARTNER
    time_zone: "Europe/London")pb"));
  return people;
}

}  // namespace salesmeet::fuzz

#endif  // SALESMEET_TESTS_FUZZ_SALES_ORG_H_
