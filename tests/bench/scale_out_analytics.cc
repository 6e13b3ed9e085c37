// scale_out_bench, scenario 3: analytics catch-up and restart over a long
// feed, on both backends.

#include "tests/bench/scale_out_env.h"

namespace salesmeet::bench {
namespace {

// ---------------------------------------------------------------------------
// Scenario 3: analytics catch-up over a long feed.

struct FeedData {
  int64_t events = 0;
  int meetings = 0;
  double seconds = 0;
};

// Writes `events` feed events through the store: `meetings` meetings, each
// created, then updated (retitled; every other time moved by half an hour
// and back), and last completed with an outcome when past, cancelled (one
// in ten future ones) or updated once more. Round r of every meeting comes
// before round r + 1 of any, so a transaction touches `batch` different
// meetings. Each event is an AppendChange; the meeting's row is put with
// its first and last event (with every one under --put_every_change): on
// PostgreSQL each statement is a round trip, and the rows in between would
// only be overwritten.
FeedData WriteFeed(scheduling::MeetingStore& store, const Env& env,
                   int64_t events) {
  const int per_meeting = absl::GetFlag(FLAGS_changes_per_meeting);
  const int batch = absl::GetFlag(FLAGS_batch);
  const int people = absl::GetFlag(FLAGS_people);
  const bool put_every_change = absl::GetFlag(FLAGS_put_every_change);
  FeedData data;
  data.events = events;
  data.meetings = static_cast<int>((events + per_meeting - 1) / per_meeting);
  const absl::Time start = absl::Now();
  const absl::Time now = absl::Now();
  const absl::Time check_until = now + absl::Hours(24 * 800);
  std::vector<sv1::Meeting> meetings(data.meetings);
  static constexpr sv1::MeetingOutcome kOutcomes[] = {
      sv1::WON, sv1::LOST, sv1::ADVANCED, sv1::HELD, sv1::NO_SHOW};
  static constexpr sv1::MeetingPurpose kPurposes[] = {
      sv1::SALES_DATA_REVIEW, sv1::CUSTOMER_PRESENTATION,
      sv1::SALES_DATA_REVIEW, sv1::PROSPECT_PITCH};

  // The e-th event: which meeting, in which state.
  auto next = [&](int64_t e) -> sv1::MeetingChange {
    const int round = static_cast<int>(e / data.meetings);
    const int i = static_cast<int>(e % data.meetings);
    sv1::Meeting& m = meetings[i];
    sv1::MeetingChange change;
    if (round == 0) {
      std::mt19937_64 rng(i * 0x9E3779B97F4A7C15ULL + 7);
      const int week = static_cast<int>(rng() % 52) - 26;
      const int day = static_cast<int>(rng() % 5);
      const int slot = static_cast<int>(rng() % 15);
      m = MeetingFor(RandomReps(rng, people, rng() % 10 < 6 ? 2 : 3),
                     env.calendar.SlotStart(week, day, slot),
                     rng() % 2 == 0 ? absl::Minutes(30) : absl::Minutes(60),
                     "Deal review");
      m.set_purpose(kPurposes[i % 4]);
      Check("BookAttendees",
            scheduling::BookAttendees(m, nullptr, env.org, now));
      m.set_state(sv1::SCHEDULED);
      m.set_name(absl::StrCat("meetings/f-", i));
      *m.mutable_create_time() = ToProtoTime(now);
      change.set_type(sv1::MEETING_CREATED);
    } else if (round == per_meeting - 1 &&
               ToAbslTime(m.end_time()) + absl::Hours(1) < now) {
      const sv1::MeetingOutcome outcome = kOutcomes[i % 5];
      m.set_state(sv1::COMPLETED);
      m.set_outcome(outcome);
      if (outcome == sv1::WON || outcome == sv1::LOST ||
          outcome == sv1::ADVANCED) {
        m.mutable_deal_value()->set_currency_code("EUR");
        m.mutable_deal_value()->set_units(5000 + 250 * (i % 40));
      }
      *m.mutable_complete_time() = ToProtoTime(now);
      change.set_type(sv1::MEETING_COMPLETED);
    } else if (round == per_meeting - 1 && i % 10 == 0) {
      m.set_state(sv1::CANCELLED);
      change.set_type(sv1::MEETING_CANCELLED);
    } else {
      m.set_title(absl::StrCat("Deal review, take ", round + 1));
      if (round % 2 == 1) {
        const absl::Duration shift =
            round % 4 == 1 ? absl::Minutes(30) : -absl::Minutes(30);
        SetTime(ToAbslTime(m.start_time()) + shift, m.mutable_start_time());
        SetTime(ToAbslTime(m.end_time()) + shift, m.mutable_end_time());
      }
      change.set_type(sv1::MEETING_UPDATED);
    }
    StampWrite(m, now);
    *change.mutable_meeting() = m;
    return change;
  };

  CpuMeter cpu;
  cpu.Start();
  absl::Time reported = start;
  for (int64_t e = 0; e < events; e += batch) {
    std::vector<sv1::MeetingChange> changes;
    for (int64_t k = e; k < std::min<int64_t>(events, e + batch); ++k) {
      changes.push_back(next(k));
      changes.back().set_sequence(k);  // Replaced by AppendChange.
    }
    Check("writing feed events",
          store.Write([&](scheduling::MeetingTransaction& tx) -> absl::Status {
            for (const sv1::MeetingChange& change : changes) {
              const int64_t k = change.sequence();  // The event index.
              if (put_every_change || k < data.meetings ||
                  k >= static_cast<int64_t>(per_meeting - 1) * data.meetings ||
                  k + data.meetings >= events) {
                auto series = SeriesOf(change.meeting(), check_until);
                if (!series.ok()) return series.status();
                absl::Status put = tx.PutMeeting(
                    change.meeting(), IndexOf(change.meeting(), *series));
                if (!put.ok()) return put;
              }
              auto appended = tx.AppendChange(change, now);
              if (!appended.ok()) return appended.status();
            }
            return absl::OkStatus();
          }));
    if (absl::Now() - reported > absl::Seconds(30)) {
      reported = absl::Now();
      std::printf("  ... %lld events written, %.0f s\n",
                  static_cast<long long>(e + batch),
                  absl::ToDoubleSeconds(reported - start));
      std::fflush(stdout);
    }
  }
  data.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("  writing: %s\n", cpu.Summary().c_str());
  return data;
}

av1::FeedStatus FeedStatusOf(const std::string& address) {
  auto stub = av1::AnalyticsService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  av1::FeedStatus status;
  Check("GetFeedStatus",
        stub->GetFeedStatus(&context, av1::GetFeedStatusRequest(), &status));
  return status;
}

// Polls FeedStatus until `head` is applied; the time since `since`.
absl::Duration WaitApplied(const std::string& address, int64_t head,
                           absl::Time since) {
  absl::Time reported = absl::Now();
  while (true) {
    const av1::FeedStatus status = FeedStatusOf(address);
    if (status.applied_sequence() >= head) return absl::Now() - since;
    if (absl::Now() - reported > absl::Seconds(30)) {
      reported = absl::Now();
      std::printf("  ... applied %lld of %lld, %.0f s\n",
                  static_cast<long long>(status.applied_sequence()),
                  static_cast<long long>(head),
                  absl::ToDoubleSeconds(reported - since));
      std::fflush(stdout);
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

struct CatchUpFigures {
  std::string backend;
  FeedData feed;
  double catch_up = 0, restart_serving = 0, restart_caught_up = 0;
};

CatchUpFigures CatchUpOn(Env& env, const std::string& backend,
                         const std::string& scheduling_db,
                         const std::string& analytics_db) {
  const int64_t events = absl::GetFlag(FLAGS_events);
  CatchUpFigures f;
  f.backend = backend;
  std::printf("\n%s: writing %lld feed events in-process...\n", backend.c_str(),
              static_cast<long long>(events));
  std::fflush(stdout);
  {
    std::unique_ptr<scheduling::MeetingStore> store = OpenStore(scheduling_db);
    f.feed = WriteFeed(*store, env, events);
    auto head = store->HeadSequence();
    Check("reading the feed head", head.status());
    if (*head != events) {
      Fail(absl::StrCat("the feed head is ", *head, ", not ", events));
    }
  }
  std::printf(
      "%s: %lld events over %d meetings written in %.1f s (%.0f events/s, "
      "%d per transaction)\n",
      backend.c_str(), static_cast<long long>(events), f.feed.meetings,
      f.feed.seconds, events / f.feed.seconds, absl::GetFlag(FLAGS_batch));

  Service scheduling("scheduling", absl::GetFlag(FLAGS_scheduling_binary),
                     SchedulingArgs(env, scheduling_db));
  const std::vector<std::string> args = {
      absl::StrCat("--db=", analytics_db),
      absl::StrCat("--scheduling=", scheduling.address()),
      absl::StrCat("--participant=", env.participant->address())};
  {
    CpuMeter cpu;
    cpu.Start();
    const absl::Time launched = absl::Now();
    Service analytics("analytics", absl::GetFlag(FLAGS_analytics_binary), args);
    f.catch_up = absl::ToDoubleSeconds(
        WaitApplied(analytics.address(), events, launched));
    std::printf(
        "%s: catch-up from 0: %lld events in %.1f s = %.0f events/s (from "
        "process start)\n  %s\n",
        backend.c_str(), static_cast<long long>(events), f.catch_up,
        events / f.catch_up, cpu.Summary().c_str());
    analytics.Kill();
  }
  const absl::Time relaunched = absl::Now();
  Service analytics("analytics", absl::GetFlag(FLAGS_analytics_binary), args);
  f.restart_serving = absl::ToDoubleSeconds(absl::Now() - relaunched);
  f.restart_caught_up = absl::ToDoubleSeconds(
      WaitApplied(analytics.address(), events, relaunched));
  std::printf(
      "%s: restart after SIGKILL: serving in %.2f s, caught up (applied "
      "%lld) in %.2f s\n",
      backend.c_str(), f.restart_serving, static_cast<long long>(events),
      f.restart_caught_up);
  std::fflush(stdout);
  return f;
}

}  // namespace

void AnalyticsScenario(Env& env) {
  std::printf(
      "\n== Analytics: catch-up from 0 and restart over %lld feed events "
      "(%d per meeting) ==\n",
      static_cast<long long>(absl::GetFlag(FLAGS_events)),
      absl::GetFlag(FLAGS_changes_per_meeting));
  std::vector<CatchUpFigures> figures;
  const std::string pg = env.Cluster().CreateDatabase("feed");
  figures.push_back(CatchUpOn(env, "PostgreSQL", pg, pg));
  if (absl::GetFlag(FLAGS_sqlite_analytics)) {
    figures.push_back(CatchUpOn(
        env, "SQLite",
        absl::StrCat("sqlite://", (env.work / "feed_scheduling.db").string()),
        absl::StrCat("sqlite://", (env.work / "feed_analytics.db").string())));
  }
  std::printf("\n%-12s %10s %12s %12s %14s %16s\n", "backend", "events",
              "write s", "catch-up s", "restart: serving s",
              "restart: caught up s");
  for (const CatchUpFigures& f : figures) {
    std::printf("%-12s %10lld %12.1f %12.1f %14.2f %16.2f\n", f.backend.c_str(),
                static_cast<long long>(f.feed.events), f.feed.seconds,
                f.catch_up, f.restart_serving, f.restart_caught_up);
  }
  std::fflush(stdout);
}

}  // namespace salesmeet::bench
