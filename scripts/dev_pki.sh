#!/usr/bin/env bash
# A development PKI and JWTs for salesmeet, made with openssl alone (OpenSSL
# 3.0, Debian 12), all in one directory. For development and tests only: the
# CA key sits next to everything it signs.
#
#   scripts/dev_pki.sh [init] DIR [--now EPOCH]
#       make what is missing, expired or no longer matching below; what is
#       still valid is kept, so a second run changes no file
#   scripts/dev_pki.sh reissue DIR NAME [--new-key]
#       re-issue the certificate NAME (participant, scheduling, analytics or
#       operator) from the same CA, with the same key unless --new-key: a new
#       serial and new dates, for testing rotation
#   scripts/dev_pki.sh token DIR SUBJECT GROUP[,GROUP...] [--ttl SECONDS]
#                      [--audience AUD] [--issuer ISS] [--now EPOCH]
#       print a new RS256 JWT for SUBJECT in those groups ("" for none) to
#       stdout; defaults: 30 days, audience salesmeet, issuer salesmeet-dev
#   scripts/dev_pki.sh expired-cert DIR NAME
#       an already expired client certificate DIR/NAME-expired.crt (and .key),
#       signed by the CA, SAN URI:spiffe://salesmeet/NAME; valid from two days
#       to one day ago
#
# Every subcommand first brings DIR up to date as init does. What lands in DIR
# (mode 0700; private keys and tokens 0600, certificates 0644):
#   ca.crt, ca.key           EC P-256 CA, CN=salesmeet-dev-ca, 3650 days
#   <svc>.crt, <svc>.key     for participant, scheduling and analytics: EC
#                            P-256, 365 days, SAN DNS:localhost, DNS:<svc>,
#                            IP:127.0.0.1, URI:spiffe://salesmeet/<svc>, EKU
#                            serverAuth and clientAuth (the server's
#                            certificate and its identity when it calls a peer)
#   operator.crt, .key       client certificate, SAN URI:spiffe://salesmeet/operator,
#                            EKU clientAuth, 365 days
#   jwt-signing.key, .pub    RSA 2048 (PKCS#8 PEM) and its public key (SPKI PEM)
#   tokens/<role>.jwt        for admin, scheduler, viewer and analyst: RS256,
#                            iss salesmeet-dev, aud salesmeet, sub dev-<role>,
#                            groups ["salesmeet-<role>s"], iat = nbf = now,
#                            exp = now + 30 days
#   .lock                    serializes runs on the same DIR (flock)
# All private keys are PKCS#8 PEM without a passphrase.
#
# A certificate is kept while its key matches, it has the subject and
# extensions above, it chains to ca.crt and has more than a day left (a new
# CA key re-issues every certificate); a key while it is a PKCS#8 key of the
# right type; a token while it verifies with jwt-signing.pub, has the claims
# above, was issued no later than now and expires more than a day after now.
# Certificates go by the real clock, as TLS does. Tokens go by "now": --now
# (epoch seconds), else SALESMEET_TESTING_NOW (RFC 3339, as the services'
# --testing_now), else the real clock.
#
# Sourced, it only defines its settings and functions (pki_*), and runs
# nothing.

PKI_SERVICES=(participant scheduling analytics)
PKI_ROLES=(admin scheduler viewer analyst)
PKI_CA_CN=salesmeet-dev-ca
PKI_CA_DAYS=3650
PKI_LEAF_DAYS=365
PKI_SPIFFE_PREFIX=spiffe://salesmeet
PKI_ISSUER=salesmeet-dev
PKI_AUDIENCE=salesmeet
PKI_TOKEN_TTL=$((30 * 86400))
# Certificates and tokens with less than this left are made anew.
PKI_MIN_LEFT=86400
PKI_JWT_HEADER='{"alg":"RS256","typ":"JWT"}'

if ! declare -F log >/dev/null; then
  # shellcheck source=scripts/lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi

PKI_DIR=""
PKI_TMP=""
PKI_NOW=""
PKI_MADE=0

# pki_open DIR: creates DIR (0700) and takes its lock for the rest of the run.
pki_open() {
  command -v openssl >/dev/null || die "openssl not found; install Debian's openssl"
  PKI_DIR=$(realpath -m "$1")
  mkdir -p "$PKI_DIR/tokens"
  pki_chmod 700 "$PKI_DIR" "$PKI_DIR/tokens"
  local fd
  exec {fd}>>"$PKI_DIR/.lock"
  flock -w 120 "$fd" || die "$PKI_DIR/.lock: another run holds it"
}

# pki_tmp: a scratch directory in DIR (so that mv into place is atomic),
# made on first use and removed by pki_cleanup.
pki_tmp() {
  if [[ -z "$PKI_TMP" ]]; then PKI_TMP=$(mktemp -d "$PKI_DIR/.tmp.XXXXXX"); fi
}

pki_cleanup() {
  if [[ -n "$PKI_TMP" ]]; then rm -rf "$PKI_TMP"; fi
}

# pki_chmod MODE FILE...: chmod only what differs, so that a run that makes
# nothing touches nothing.
pki_chmod() {
  local mode=$1 file
  shift
  for file in "$@"; do
    [[ "$(stat -c %a "$file")" == "$mode" ]] || chmod "$mode" "$file"
  done
}

# pki_install SRC DEST MODE: moves SRC (in the scratch directory) to DEST.
pki_install() {
  chmod "$3" "$1"
  mv -f "$1" "$2"
  PKI_MADE=$((PKI_MADE + 1))
  log "made ${2#"$PKI_DIR"/}"
}

# pki_openssl ARG...: openssl, quiet unless it fails.
pki_openssl() {
  local out
  out=$(openssl "$@" 2>&1) || {
    printf '%s\n' "$out" >&2
    die "openssl $1 failed"
  }
}

# pki_now: "now" for tokens, in epoch seconds (see the top of this file).
pki_now() {
  if [[ -n "$PKI_NOW" ]]; then
    printf '%s\n' "$PKI_NOW"
  elif [[ -n "${SALESMEET_TESTING_NOW:-}" ]]; then
    date -u -d "$SALESMEET_TESTING_NOW" +%s 2>/dev/null ||
      die "SALESMEET_TESTING_NOW is not a time: $SALESMEET_TESTING_NOW"
  else
    date +%s
  fi
}

# pki_trim: each line of stdin without its leading and trailing blanks,
# joined with "|" (how certificates and keys are compared below).
pki_trim() {
  sed 's/^[[:blank:]]*//; s/[[:blank:]]*$//' | paste -sd '|'
}

# pki_public_key KEY KIND: prints KEY's public key (PEM) when KEY is an
# unencrypted PKCS#8 private key of KIND: ec (P-256) or rsa (2048 bits).
pki_public_key() {
  local key=$1 kind=$2 first out
  [[ -f "$key" ]] || return 1
  first=$(head -n 1 "$key")
  [[ "$first" == "-----BEGIN PRIVATE KEY-----" ]] || return 1
  out=$(openssl pkey -in "$key" -passin pass: -pubout -text_pub 2>/dev/null) || return 1
  case "$kind" in
    ec) [[ "$out" == *"NIST CURVE: P-256"* ]] || return 1 ;;
    rsa) [[ "$out" == *"Public-Key: (2048 bit)"* && "$out" == *"Modulus:"* ]] || return 1 ;;
    *) return 1 ;;
  esac
  printf '%s-----END PUBLIC KEY-----\n' "${out%%-----END PUBLIC KEY-----*}"
}

# pki_new_key DEST KIND: a new private key in the scratch directory, at DEST.
pki_new_key() {
  case "$2" in
    ec) pki_openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
    rsa) pki_openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" ;;
  esac
}

# pki_ensure_key KEY KIND: keeps KEY when it is a key of KIND, else makes it
# and sets PKI_KEY_MADE to 1. (Its callers test nothing it returns: set -e
# does not apply in a function run as a condition.)
PKI_KEY_MADE=0
pki_ensure_key() {
  local key=$1 kind=$2
  PKI_KEY_MADE=0
  if pki_public_key "$key" "$kind" >/dev/null; then
    pki_chmod 600 "$key"
    return 0
  fi
  pki_tmp
  pki_new_key "$PKI_TMP/new.key" "$kind"
  pki_install "$PKI_TMP/new.key" "$key" 600
  PKI_KEY_MADE=1
}

# pki_ext_config FILE EXTENSION...: an openssl config for req and ca whose
# section pki_ext holds the EXTENSION lines (name = value).
pki_ext_config() {
  local file=$1
  shift
  mkdir -p "$PKI_TMP/ca"
  : >"$PKI_TMP/ca/index.txt"
  {
    printf '%s\n' '[req]' 'distinguished_name = pki_dn' 'prompt = no' '[pki_dn]' \
      '[ca]' 'default_ca = pki_ca' '[pki_ca]' \
      "database = $PKI_TMP/ca/index.txt" "new_certs_dir = $PKI_TMP/ca" \
      "serial = $PKI_TMP/ca/serial" 'default_md = sha256' 'policy = pki_policy' \
      'unique_subject = no' 'copy_extensions = none' \
      '[pki_policy]' 'commonName = supplied' '[pki_ext]'
    printf '%s\n' "$@"
  } >"$file"
}

# The extensions of a leaf: pki_leaf_ext SAN EKU.
pki_leaf_ext() {
  printf '%s\n' 'basicConstraints = critical, CA:FALSE' \
    'keyUsage = critical, digitalSignature' "extendedKeyUsage = $2" \
    "subjectAltName = $1" 'subjectKeyIdentifier = hash' \
    'authorityKeyIdentifier = keyid:always'
}

# pki_cert_text CRT CHECKEND EXT: what is compared of a certificate: its
# subject, extensions EXT, public key and whether it expires within CHECKEND
# seconds, as pki_trim prints it.
pki_cert_text() {
  local out
  out=$(openssl x509 -in "$1" -noout -subject -ext "$3" -pubkey -checkend "$2" 2>/dev/null) || true
  printf '%s\n' "$out" | pki_trim
}

# The same as pki_cert_text prints, for a certificate with subject CN, key
# PUB (PEM), and extensions with the printed values BC KU [EKU SAN].
pki_want_text() {
  local cn=$1 pub=$2 expiry=$3 bc=$4 ku=$5 eku=${6:-} san=${7:-}
  {
    printf 'subject=CN = %s\n' "$cn"
    printf 'X509v3 Basic Constraints: critical\n%s\n' "$bc"
    printf 'X509v3 Key Usage: critical\n%s\n' "$ku"
    if [[ -n "$eku" ]]; then printf 'X509v3 Extended Key Usage:\n%s\n' "$eku"; fi
    if [[ -n "$san" ]]; then printf 'X509v3 Subject Alternative Name:\n%s\n' "$san"; fi
    printf '%s\n' "$pub"
    printf 'Certificate will %s\n' "$expiry"
  } | pki_trim
}

# pki_ensure_ca: the CA certificate and key. (A leaf that no longer chains
# to ca.crt gets a new certificate: pki_leaf_ok.)
pki_ensure_ca() {
  local crt="$PKI_DIR/ca.crt" key="$PKI_DIR/ca.key" pub
  pki_ensure_key "$key" ec
  pub=$(pki_public_key "$key" ec)
  if ((PKI_KEY_MADE == 0)) && [[ -f "$crt" ]] &&
    [[ "$(pki_cert_text "$crt" "$PKI_MIN_LEFT" basicConstraints,keyUsage)" == \
      "$(pki_want_text "$PKI_CA_CN" "$pub" "not expire" CA:TRUE "Certificate Sign, CRL Sign")" ]] &&
    openssl verify -x509_strict -CAfile "$crt" "$crt" >/dev/null 2>&1; then
    pki_chmod 644 "$crt"
    return 0
  fi
  pki_tmp
  pki_ext_config "$PKI_TMP/openssl.cnf" 'basicConstraints = critical, CA:TRUE' \
    'keyUsage = critical, keyCertSign, cRLSign' 'subjectKeyIdentifier = hash'
  pki_openssl req -x509 -new -key "$key" -subj "/CN=$PKI_CA_CN" -days "$PKI_CA_DAYS" \
    -config "$PKI_TMP/openssl.cnf" -extensions pki_ext -out "$PKI_TMP/new.crt"
  pki_install "$PKI_TMP/new.crt" "$crt" 644
}

# pki_leaf_san NAME, pki_leaf_eku NAME: the SAN and EKU of leaf NAME as
# config values, and pki_leaf_printed NAME as x509 prints them (SAN|EKU).
pki_leaf_san() {
  if [[ "$1" == operator || "$1" == *-expired ]]; then
    printf 'URI:%s/%s\n' "$PKI_SPIFFE_PREFIX" "${1%-expired}"
  else
    printf 'DNS:localhost, DNS:%s, IP:127.0.0.1, URI:%s/%s\n' "$1" "$PKI_SPIFFE_PREFIX" "$1"
  fi
}
pki_leaf_eku() {
  if [[ "$1" == operator || "$1" == *-expired ]]; then
    echo clientAuth
  else
    echo serverAuth, clientAuth
  fi
}

# pki_leaf_ok NAME: whether DIR/NAME.crt is a certificate that pki_issue
# would make with DIR/NAME.key and the current CA, still valid (an
# "-expired" one: still expired, and chaining to the CA otherwise).
pki_leaf_ok() {
  local name=$1 crt="$PKI_DIR/$1.crt" pub san eku expiry="not expire" checkend=$PKI_MIN_LEFT
  local verify=(openssl verify -x509_strict -CAfile "$PKI_DIR/ca.crt")
  [[ -f "$crt" ]] || return 1
  pub=$(pki_public_key "$PKI_DIR/$name.key" ec) || return 1
  san=$(pki_leaf_san "$name")
  san=${san//IP:/IP Address:}
  eku=$(pki_leaf_eku "$name")
  eku=${eku//serverAuth/TLS Web Server Authentication}
  eku=${eku//clientAuth/TLS Web Client Authentication}
  if [[ "$name" == *-expired ]]; then
    expiry=expire checkend=0
    verify+=(-no_check_time)
  fi
  [[ "$(pki_cert_text "$crt" "$checkend" basicConstraints,keyUsage,extendedKeyUsage,subjectAltName)" == \
    "$(pki_want_text "${name%-expired}" "$pub" "$expiry" CA:FALSE "Digital Signature" "$eku" "$san")" ]] &&
    "${verify[@]}" "$crt" >/dev/null 2>&1
}

# pki_issue NAME: a new DIR/NAME.crt for DIR/NAME.key from the CA; one named
# "<x>-expired" was valid from two days to one day ago.
pki_issue() {
  local name=$1 cn=$1 crt="$PKI_DIR/$1.crt" key="$PKI_DIR/$1.key"
  pki_tmp
  local -a ext
  mapfile -t ext < <(pki_leaf_ext "$(pki_leaf_san "$name")" "$(pki_leaf_eku "$name")")
  pki_ext_config "$PKI_TMP/openssl.cnf" "${ext[@]}"
  if [[ "$name" == *-expired ]]; then
    cn=${name%-expired}
    # OpenSSL 3.0's x509 and req take no start or end date (-not_before and
    # -not_after came in 3.4) and `x509 -days -1` makes notAfter precede
    # notBefore; `openssl ca` takes both, given a database of its own.
    local now start end
    now=$(date +%s)
    start=$(date -u -d "@$((now - 2 * 86400))" +%Y%m%d%H%M%SZ)
    end=$(date -u -d "@$((now - 86400))" +%Y%m%d%H%M%SZ)
    pki_openssl req -new -key "$key" -subj "/CN=$cn" -config "$PKI_TMP/openssl.cnf" \
      -out "$PKI_TMP/new.csr"
    pki_openssl ca -batch -config "$PKI_TMP/openssl.cnf" -cert "$PKI_DIR/ca.crt" \
      -keyfile "$PKI_DIR/ca.key" -in "$PKI_TMP/new.csr" -out "$PKI_TMP/new.crt" \
      -startdate "$start" -enddate "$end" -rand_serial -notext -extensions pki_ext
  else
    pki_openssl req -x509 -new -key "$key" -subj "/CN=$cn" -days "$PKI_LEAF_DAYS" \
      -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" \
      -config "$PKI_TMP/openssl.cnf" -extensions pki_ext -out "$PKI_TMP/new.crt"
  fi
  pki_install "$PKI_TMP/new.crt" "$crt" 644
}

# pki_ensure_leaf NAME: DIR/NAME.key and a valid DIR/NAME.crt.
pki_ensure_leaf() {
  pki_ensure_key "$PKI_DIR/$1.key" ec
  if pki_leaf_ok "$1"; then
    pki_chmod 644 "$PKI_DIR/$1.crt"
  else
    pki_issue "$1"
  fi
}

# pki_ensure_jwt_key: jwt-signing.key and the public key that goes with it.
pki_ensure_jwt_key() {
  local key="$PKI_DIR/jwt-signing.key" pub="$PKI_DIR/jwt-signing.pub" want
  pki_ensure_key "$key" rsa
  want=$(pki_public_key "$key" rsa)
  if [[ -f "$pub" && "$(cat "$pub")" == "$want" ]]; then
    pki_chmod 644 "$pub"
    return 0
  fi
  pki_tmp
  printf '%s\n' "$want" >"$PKI_TMP/new.pub"
  pki_install "$PKI_TMP/new.pub" "$pub" 644
}

pki_b64url() {
  base64 -w 0 | tr '+/' '-_' | tr -d '='
}

# pki_b64url_decode TEXT: the bytes that base64url TEXT (unpadded) stands for.
pki_b64url_decode() {
  local text=$1
  [[ "$text" =~ ^[A-Za-z0-9_-]*$ ]] || return 1
  case $((${#text} % 4)) in
    1) return 1 ;;
    2) text+="==" ;;
    3) text+="=" ;;
  esac
  printf '%s' "$text" | tr -- '-_' '+/' | base64 -d 2>/dev/null
}

# pki_json_string TEXT: TEXT (without control characters: pki_token checks)
# as a JSON string.
pki_json_string() {
  local text=$1
  text=${text//\\/\\\\}
  text=${text//\"/\\\"}
  printf '"%s"' "$text"
}

# pki_claims ISS AUD SUB GROUPS IAT EXP: the payload, compact JSON; GROUPS is
# comma-separated ("" for none).
pki_claims() {
  local iss=$1 aud=$2 sub=$3 groups=$4 iat=$5 exp=$6 group list="" sep=""
  local -a names=()
  if [[ -n "$groups" ]]; then IFS=, read -r -a names <<<"$groups"; fi
  for group in "${names[@]}"; do
    list+="$sep$(pki_json_string "$group")"
    sep=,
  done
  printf '{"iss":%s,"aud":%s,"sub":%s,"groups":[%s],"iat":%d,"nbf":%d,"exp":%d}' \
    "$(pki_json_string "$iss")" "$(pki_json_string "$aud")" "$(pki_json_string "$sub")" \
    "$list" "$iat" "$iat" "$exp"
}

# pki_sign CLAIMS: the JWT (RS256) with payload CLAIMS, signed by
# jwt-signing.key.
pki_sign() {
  local input sig
  input="$(printf '%s' "$PKI_JWT_HEADER" | pki_b64url).$(printf '%s' "$1" | pki_b64url)"
  sig=$(printf '%s' "$input" |
    openssl dgst -sha256 -sign "$PKI_DIR/jwt-signing.key" -binary | pki_b64url)
  [[ -n "$sig" ]] || die "signing with $PKI_DIR/jwt-signing.key failed"
  printf '%s.%s\n' "$input" "$sig"
}

# pki_token_ok FILE ROLE NOW: whether FILE holds ROLE's token, signed by the
# current key, issued no later than NOW and valid for more than a day after it.
pki_token_ok() {
  local file=$1 role=$2 now=$3 token header payload sig claims iat rest
  [[ -f "$file" ]] || return 1
  token=$(<"$file")
  IFS=. read -r header payload sig rest <<<"$token"
  [[ -z "$rest" && -n "$sig" ]] || return 1
  [[ "$header" == "$(printf '%s' "$PKI_JWT_HEADER" | pki_b64url)" ]] || return 1
  claims=$(pki_b64url_decode "$payload") || return 1
  iat=$(sed -n 's/.*"iat":\([0-9]\{1,15\}\),.*/\1/p' <<<"$claims")
  [[ -n "$iat" ]] || return 1
  [[ "$claims" == "$(pki_claims "$PKI_ISSUER" "$PKI_AUDIENCE" "dev-$role" \
    "salesmeet-${role}s" "$iat" "$((iat + PKI_TOKEN_TTL))")" ]] || return 1
  ((iat <= now && iat + PKI_TOKEN_TTL - now >= PKI_MIN_LEFT)) || return 1
  printf '%s' "$header.$payload" |
    openssl dgst -sha256 -verify "$PKI_DIR/jwt-signing.pub" \
      -signature <(pki_b64url_decode "$sig") >/dev/null 2>&1
}

# pki_ensure_tokens: tokens/<role>.jwt for every role.
pki_ensure_tokens() {
  local now role file
  now=$(pki_now)
  for role in "${PKI_ROLES[@]}"; do
    file="$PKI_DIR/tokens/$role.jwt"
    if pki_token_ok "$file" "$role" "$now"; then
      pki_chmod 600 "$file"
      continue
    fi
    pki_tmp
    pki_sign "$(pki_claims "$PKI_ISSUER" "$PKI_AUDIENCE" "dev-$role" "salesmeet-${role}s" \
      "$now" "$((now + PKI_TOKEN_TTL))")" >"$PKI_TMP/new.jwt"
    pki_install "$PKI_TMP/new.jwt" "$file" 600
  done
}

# pki_init [quiet]: everything, kept where still valid. Also re-makes the
# NAME-expired certificates already in DIR when they no longer chain to the CA.
# quiet: says nothing when nothing was made.
pki_init() {
  local name crt
  pki_ensure_ca
  for name in "${PKI_SERVICES[@]}" operator; do pki_ensure_leaf "$name"; done
  for crt in "$PKI_DIR"/*-expired.crt; do
    [[ -e "$crt" ]] || continue
    name=$(basename "$crt" .crt)
    pki_valid_name "${name%-expired}" || continue
    pki_ensure_leaf "$name"
  done
  pki_ensure_jwt_key
  pki_ensure_tokens
  if ((PKI_MADE == 0)) && [[ "${1:-}" != quiet ]]; then
    log "the PKI in $PKI_DIR is up to date"
  fi
}

pki_valid_name() {
  [[ "$1" =~ ^[a-z0-9][a-z0-9_-]*$ && "$1" != *-expired ]]
}

# pki_reissue_args NAME [--new-key]: dies unless reissue can do that.
pki_reissue_args() {
  local known=" ${PKI_SERVICES[*]} operator "
  [[ "$known" == *" $1 "* ]] || die "no certificate $1; one of:$known"
  [[ -z "${2:-}" || "$2" == --new-key ]] || die "unknown option: $2"
}

# pki_reissue NAME [--new-key]
pki_reissue() {
  local name=$1
  if [[ "${2:-}" == --new-key ]]; then
    pki_tmp
    pki_new_key "$PKI_TMP/new.key" ec
    pki_install "$PKI_TMP/new.key" "$PKI_DIR/$name.key" 600
  fi
  pki_issue "$name"
  log "$name.crt: serial $(openssl x509 -in "$PKI_DIR/$name.crt" -noout -serial | cut -d= -f2)"
}

# pki_expired_cert NAME
pki_expired_cert() {
  pki_ensure_leaf "$1-expired"
  printf '%s\n' "$PKI_DIR/$1-expired.crt"
}

# pki_token_args SUBJECT GROUPS [OPTION...]: checks the arguments of token
# and sets PKI_TOKEN_ARGS (subject, groups, ttl, audience, issuer) and PKI_NOW.
PKI_TOKEN_ARGS=()
pki_token_args() {
  local subject=$1 groups=$2 ttl=$PKI_TOKEN_TTL aud=$PKI_AUDIENCE iss=$PKI_ISSUER
  shift 2
  while (($# > 0)); do
    (($# >= 2)) || die "$1 needs a value"
    case "$1" in
      --ttl) ttl=$2 ;;
      --audience) aud=$2 ;;
      --issuer) iss=$2 ;;
      --now) PKI_NOW=$2 ;;
      *) die "unknown option: $1" ;;
    esac
    shift 2
  done
  if [[ ! "$ttl" =~ ^[0-9]{1,12}$ ]] || ((10#$ttl == 0)); then
    die "--ttl must be a number of seconds above 0: $ttl"
  fi
  [[ -z "$PKI_NOW" || "$PKI_NOW" =~ ^[0-9]{1,15}$ ]] || die "--now must be epoch seconds: $PKI_NOW"
  local text
  for text in "$subject" "$groups" "$aud" "$iss"; do
    [[ "$text" != *[[:cntrl:]]* ]] || die "control characters are not allowed in a token: ${text@Q}"
  done
  [[ -n "$subject" ]] || die "the subject is empty"
  [[ -z "$groups" || ",$groups," != *,,* ]] || die "empty group in: $groups"
  PKI_TOKEN_ARGS=("$subject" "$groups" "$((10#$ttl))" "$aud" "$iss")
}

# pki_token: prints a new token for PKI_TOKEN_ARGS.
pki_token() {
  local now
  now=$(pki_now)
  pki_sign "$(pki_claims "${PKI_TOKEN_ARGS[4]}" "${PKI_TOKEN_ARGS[3]}" "${PKI_TOKEN_ARGS[0]}" \
    "${PKI_TOKEN_ARGS[1]}" "$now" "$((now + PKI_TOKEN_ARGS[2]))")"
}

pki_main() {
  local usage="usage: $0 [init] DIR [--now EPOCH] | reissue DIR NAME [--new-key] | token DIR SUBJECT GROUP[,GROUP...] [--ttl SECONDS] [--audience AUD] [--issuer ISS] [--now EPOCH] | expired-cert DIR NAME"
  local command=${1:-}
  case "$command" in
    init | reissue | token | expired-cert) shift ;;
    "" | -h | --help | help) die "$usage" ;;
    -*) die "$usage" ;;
    *) command=init ;;
  esac
  local dir=${1:-}
  [[ -n "$dir" ]] || die "$usage"
  shift
  umask 077
  trap pki_cleanup EXIT
  case "$command" in
    init)
      if (($# == 2)) && [[ "$1" == --now ]]; then
        [[ "$2" =~ ^[0-9]{1,15}$ ]] || die "--now must be epoch seconds: $2"
        PKI_NOW=$2
      elif (($# > 0)); then
        die "$usage"
      fi
      pki_open "$dir"
      pki_init
      ;;
    reissue)
      (($# == 1 || $# == 2)) || die "$usage"
      pki_reissue_args "$@"
      pki_open "$dir"
      pki_init quiet
      pki_reissue "$@"
      ;;
    expired-cert)
      (($# == 1)) || die "$usage"
      pki_valid_name "$1" || die "bad name: $1 (lowercase letters, digits, - and _)"
      pki_open "$dir"
      pki_init quiet
      pki_expired_cert "$1"
      ;;
    token)
      (($# >= 2)) || die "$usage"
      pki_token_args "$@"
      pki_open "$dir"
      # stdout is the token's alone.
      pki_init quiet >&2
      pki_token
      ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  pki_main "$@"
fi
