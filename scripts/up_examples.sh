# shellcheck shell=bash
# What scripts/up.sh prints once everything runs: grpcurl commands to try,
# with the ports in use, where the scheduling replicas and PostgreSQL are,
# and with SALESMEET_SECURE=1 the same commands with a certificate and a
# token, and which token is which. Sourced by up.sh, whose settings
# (SERVICES, SECURE, PKI_DIR, LOG_DIR, ...) and binary_of it uses.

# The examples below name the default ports; show the ones in use.
with_our_ports() {
  sed -e "s/localhost:50051/localhost:$PARTICIPANT_PORT/g" \
    -e "s/localhost:50052/localhost:$SCHEDULING_PORT/g" \
    -e "s/localhost:50053/localhost:$ANALYTICS_PORT/g"
}

print_try_it() {
  local entry name port
  cat <<'EOF'

Try it with grpcurl (reflection is on, so no .proto files are needed):

EOF
  for entry in "${SERVICES[@]}"; do
    read -r name port _ <<<"$entry"
    if [[ -x "$(binary_of "$name")" ]]; then
      echo "  grpcurl -plaintext localhost:$port list"
    fi
  done
  cat <<'EOF'
  grpcurl -plaintext localhost:50051 describe salesmeet.participant.v1.ParticipantService
  grpcurl -plaintext -d '{"service":""}' localhost:50051 grpc.health.v1.Health/Check

  grpcurl -plaintext -d '{"name":"participants/maria-rossi"}' \
    localhost:50051 salesmeet.participant.v1.ParticipantService/GetParticipant

  grpcurl -plaintext -d '{"filter":"role = SALES_REP AND team = \"teams/emea-sales\"","pageSize":10}' \
    localhost:50051 salesmeet.participant.v1.ParticipantService/ListParticipants

  grpcurl -plaintext -d '{"filter":"customer.lifecycle = PROSPECT"}' \
    localhost:50051 salesmeet.participant.v1.ParticipantService/ListParticipants

  grpcurl -plaintext -d '{"participantId":"noah-fischer","requestId":"try-noah-fischer",
      "participant":{"displayName":"Noah Fischer","email":"noah.fischer@meridian.example",
        "kind":"EMPLOYEE","role":"SALES_REP","team":"teams/emea-sales","timeZone":"Europe/Berlin",
        "hourlyCost":{"currencyCode":"EUR","units":"60"},"weeklyMeetingBudget":"28800s"}}' \
    localhost:50051 salesmeet.participant.v1.ParticipantService/CreateParticipant

  grpcurl -plaintext -d '{"participant":{"name":"participants/luca-bianchi","weeklyMeetingBudget":"21600s"},
      "updateMask":{"paths":["weekly_meeting_budget"]}}' \
    localhost:50051 salesmeet.participant.v1.ParticipantService/UpdateParticipant

EOF
  [[ -x "$(binary_of scheduling)" ]] || return 0
  cat <<'EOF'
  grpcurl -plaintext -d '{"name":"meetings/emea-weekly-sales"}' \
    localhost:50052 salesmeet.scheduling.v1.SchedulingService/GetMeeting

  grpcurl -plaintext -d '{"name":"meetings/emea-weekly-sales","pageSize":5}' \
    localhost:50052 salesmeet.scheduling.v1.SchedulingService/ListOccurrences

  grpcurl -plaintext -d '{"filter":"participant = \"participants/priya-sharma\" AND purpose = PROSPECT_PITCH"}' \
    localhost:50052 salesmeet.scheduling.v1.SchedulingService/ListMeetings

  grpcurl -plaintext -d '{"afterSequence":"0"}' \
    localhost:50052 salesmeet.scheduling.v1.SchedulingService/WatchMeetingChanges

EOF
  # With tokens booking takes a role of its own: preview a booking (which
  # writes nothing) with the scheduler's.
  if ((SECURE)); then
    cat <<'EOF'
  grpcurl -plaintext -d '{"validateOnly":true,"meeting":{"title":"Northwind: technical deep dive",
      "agenda":"Integration with their fleet software","purpose":"PROSPECT_PITCH","format":"VIDEO_CONFERENCE",
      "videoConference":{"provider":"ZOOM","joinUri":"https://zoom.meridian.example/j/northwind-deep-dive"},
      "organizer":"participants/james-carter","attendees":[{"participant":"participants/james-carter"},
        {"participant":"participants/contact-northwind-2"},{"participant":"participants/priya-sharma"}],
      "startTime":"2028-09-18T14:00:00Z","endTime":"2028-09-18T15:00:00Z","timeZone":"America/New_York"}}' \
    localhost:50052 salesmeet.scheduling.v1.SchedulingService/CreateMeeting

EOF
  fi
  if [[ -x "$(binary_of analytics)" ]]; then
    cat <<'EOF'
  grpcurl -plaintext -d '{"scope":{},"groupBy":"TEAM"}' \
    localhost:50053 salesmeet.analytics.v1.AnalyticsService/GetCostReport

  grpcurl -plaintext -d '{"scope":{}}' \
    localhost:50053 salesmeet.analytics.v1.AnalyticsService/GetMeetingLoadReport

  grpcurl -plaintext -d '{}' \
    localhost:50053 salesmeet.analytics.v1.AnalyticsService/GetContactCadenceReport

  grpcurl -plaintext -d '{"scope":{},"metric":"WON_DEAL_VALUE","minMeetings":1}' \
    localhost:50053 salesmeet.analytics.v1.AnalyticsService/GetTopPerformers

EOF
  fi
  cat <<'EOF'
More, booking meetings and every report, in README.md ("Trying it with
grpcurl").

EOF
}

# With PostgreSQL: where each scheduling replica and the database are.
print_postgresql() {
  local entry name port metrics_port
  local replicas="$SCHEDULING_REPLICAS replicas"
  if ((SCHEDULING_REPLICAS == 1)); then replicas="1 replica"; fi
  printf '\nScheduling runs as %s on one PostgreSQL database; each serves\n' "$replicas"
  printf 'every call and sees what the others wrote (analytics and the seed use the\nfirst):\n\n'
  for entry in "${SERVICES[@]}"; do
    read -r name port metrics_port _ <<<"$entry"
    [[ "$name" == scheduling* && -x "$(binary_of "$name")" ]] || continue
    if ((SECURE)); then
      # The command on a line of its own, for with_credentials.
      printf '  %s (metrics on :%s, log %s):\n  grpcurl -plaintext localhost:%s list\n' \
        "$name" "$metrics_port" "$LOG_DIR/$name.log" "$port"
    else
      printf '  %-13s grpcurl -plaintext localhost:%s list    (metrics on :%s, log %s)\n' \
        "$name" "$port" "$metrics_port" "$LOG_DIR/$name.log"
    fi
  done
  printf '\nPostgreSQL 15, which every service uses (each keeps its tables in a schema\nof its own):\n\n'
  printf "  psql '%s'\n" "$(pg_cluster_dsn "$PG_PORT")"
  printf '  data in %s, log %s\n\n' "$PG_DIR" "$LOG_DIR/postgresql.log"
}

# example_role COMMAND: the dev token whose role the default access policy
# grants COMMAND's method: scheduler for booking and changing meetings,
# admin for participant writes, analyst for reports, viewer for the rest
# (reads, reflection, health).
example_role() {
  case "$1" in
    *AnalyticsService/*) echo analyst ;;
    *SchedulingService/UpdateSchedulingPolicy*) echo admin ;;
    *SchedulingService/Create* | *SchedulingService/Update* | \
      *SchedulingService/Cancel* | *SchedulingService/Complete* | \
      *SchedulingService/Respond* | *SchedulingService/Move* | \
      *SchedulingService/Restore* | *SchedulingService/Truncate*) echo scheduler ;;
    *ParticipantService/Create* | *ParticipantService/Update* | \
      *ParticipantService/Delete*) echo admin ;;
    *) echo viewer ;;
  esac
}

# print_with_credentials LINE...: one grpcurl command (LINE... are its
# lines) with the dev CA, the operator's certificate and its role's token in
# place of -plaintext on the first line.
print_with_credentials() {
  local first=$1 role indent
  shift
  role=$(example_role "$first $*")
  indent=${first%%[! ]*}
  # shellcheck disable=SC2016  # $(cat ...) is for the reader's shell
  printf '%s-cacert %q -cert %q -key %q \\\n%s    -H "authorization: Bearer $(cat %q)"%s\n' \
    "${first%%-plaintext*}" "$PKI_DIR/ca.crt" "$PKI_DIR/operator.crt" \
    "$PKI_DIR/operator.key" "$indent" "$PKI_DIR/tokens/$role.jwt" "${first#*-plaintext}"
  if (($# > 0)); then printf '%s\n' "$@"; fi
}

# with_credentials: copies stdin to stdout; with SALESMEET_SECURE=1 each
# grpcurl command goes through print_with_credentials: its lines up to one
# that neither ends in a backslash nor leaves a '...' (the JSON) open.
with_credentials() {
  if ((!SECURE)); then
    cat
    return 0
  fi
  local line command=() quotes quote="'"
  while IFS= read -r line; do
    if ((${#command[@]} == 0)) && [[ "$line" != *"grpcurl -plaintext"* ]]; then
      printf '%s\n' "$line"
      continue
    fi
    command+=("$line")
    quotes=$(printf '%s' "${command[@]}")
    quotes=${quotes//[!$quote]/}
    if [[ "$line" == *\\ ]] || ((${#quotes} % 2)); then continue; fi
    print_with_credentials "${command[@]}"
    command=()
  done
  if ((${#command[@]} > 0)); then print_with_credentials "${command[@]}"; fi
}

role_summary() {
  case "$1" in
    admin) echo "everything, and customer contacts' emails" ;;
    scheduler) echo "book, change and answer meetings; read them and people" ;;
    viewer) echo "the reads only (customer contacts' emails come empty)" ;;
    analyst) echo "analytics' reports; read people and teams" ;;
  esac
}

# With SALESMEET_SECURE=1: what the options above are, which token is which
# role, and where the audit lines are.
print_security() {
  ((SECURE)) || return 0
  local role
  cat <<EOF
Security is on (SALESMEET_SECURE=1): every service speaks TLS only and wants
a client certificate from the dev CA, so plaintext is refused (grpcurl
-plaintext fails; put the options above in the README's examples in its
place). Every call but the health checks needs a token too. What
scripts/dev_pki.sh made in $PKI_DIR:

  ca.crt                 the dev CA (-cacert)
  operator.crt, .key     the operator's client certificate (-cert, -key);
                         without a token it may only list and describe
EOF
  for role in admin scheduler viewer analyst; do
    printf '  %-22s role %s: %s\n' "tokens/$role.jwt" "$role" "$(role_summary "$role")"
  done
  cat <<EOF

Who may call what: $ACCESS_POLICY (README.md, "Security").
Every call that changes state, refused ones too, writes an audit line
("msg":"audit") to its service's log in $LOG_DIR:

EOF
  printf "  grep -h '\"msg\":\"audit\"' %q/*.log\n\n" "$LOG_DIR"
}
