# A local certificate authority and one server certificate for the TLS modes of
# kafka.sh (--sasl-ssl) and redis.sh (--tls), made with openssl (sourced, not executed).
# Callers set LOG_PREFIX and source common.sh first.
# shellcheck shell=bash

# ensure_tls_material DIR: makes, once, in DIR (mode 700):
#   ca.pem          the self-signed CA certificate (what clients trust)
#   ca.key          its private key
#   server.pem      the server certificate (SAN 127.0.0.1, ::1, localhost), signed by the CA
#   server.key      its private key (PKCS#8, unencrypted)
#   server-keystore.pem  server.key then server.pem (a Kafka PEM keystore)
# Idempotent; concurrent callers are serialised with flock when it exists.
ensure_tls_material() {
  local dir="$1"
  command -v openssl >/dev/null 2>&1 || die "openssl not found (needed for the local TLS certificates)"
  mkdir -p "$dir"
  chmod 700 "$dir"
  (
    if command -v flock >/dev/null 2>&1; then
      exec 8>"$dir/.lock"
      flock -w 60 8 || die "timed out waiting for $dir/.lock"
    fi
    [[ -s "$dir/server-keystore.pem" ]] && exit 0
    log "making a local CA and a server certificate in $dir"
    local tmp="$dir/tmp"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
      -subj "/CN=Sluice local CA" -keyout "$tmp/ca.key" -out "$tmp/ca.pem" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null \
      || die "openssl could not make the CA"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/server.key" 2>/dev/null \
      || die "openssl could not make the server key"
    openssl req -new -key "$tmp/server.key" -subj "/CN=localhost" -out "$tmp/server.csr" 2>/dev/null \
      || die "openssl could not make the server request"
    printf '%s\n' "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" "extendedKeyUsage=serverAuth,clientAuth" \
      "basicConstraints=CA:FALSE" >"$tmp/server.ext"
    openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
      -days 3650 -sha256 -extfile "$tmp/server.ext" -out "$tmp/server.pem" 2>/dev/null \
      || die "openssl could not sign the server certificate"
    cat "$tmp/server.key" "$tmp/server.pem" >"$tmp/server-keystore.pem"
    chmod 600 "$tmp"/*.key "$tmp/server-keystore.pem"
    mv -f "$tmp/ca.key" "$tmp/ca.pem" "$tmp/server.key" "$tmp/server.pem" "$dir/"
    mv -f "$tmp/server-keystore.pem" "$dir/"
    rm -rf "$tmp"
  ) || exit 1
}

# random_secret: 24 URL-safe random characters (a generated password).
random_secret() {
  head -c 18 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}
