#!/bin/sh
# tls.sh - an office reaches a PostgreSQL central over TLS with sslmode=verify-full
# (README: production set-up): a test CA signs the server's certificate for
# "localhost"; with that CA the office syncs, with another CA or under another host
# name libpq refuses the connection and motcua says it cannot reach central.
. "$ROOT/tests/lib.sh"
TLS=$T/tls
mkdir -p "$TLS"
(
	cd "$TLS" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=motcua test CA" -keyout ca.key -out ca.crt
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" -keyout other.key -out other.crt
	openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
	printf 'subjectAltName=DNS:localhost\n' >ext
	openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile ext -out server.crt
) >/dev/null 2>&1
chmod 600 "$TLS/server.key"
[ "$(id -u)" = 0 ] && chown postgres "$TLS/server.key" "$TLS/server.crt" && chmod 755 "$TLS"
PG_LISTEN=127.0.0.1
PG_EXTRA_OPTS="-c ssl=on -c ssl_cert_file=$TLS/server.crt -c ssl_key_file=$TLS/server.key"
. "$ROOT/tests/sync/lib.inc"
MOTCUA=${SYNC_MOTCUA:-$ROOT/motcua}
pg_start_or_skip
check "the test CA signed the server's certificate" test -s "$TLS/server.crt"
pg_newdb tls
tls_url() { echo "postgresql://postgres@$1:$PGPORT/tls?sslmode=verify-full&sslrootcert=$2"; }
URL=$(tls_url localhost "$TLS/ca.crt")
DA=$T/a.db; DB_=$T/b.db
check "central init over verify-full" m "$DA" central init --central "$URL"
mt "2024-03-11 08:00:00" "$DA" demo --dossiers 5 >/dev/null
check "publish over verify-full" m "$DA" central publish --central "$URL"
check "an office syncs over verify-full" m "$DA" sync --central "$URL"
check_eq "its events are at central" "$(sqlite3 "$DA" "select count(*) from events")" \
	"$(psql -At "$URL" -c "select count(*) from c_events")"
check_eq "the connection is encrypted" "t" "$(psql -At "$URL" -c "select ssl from pg_stat_ssl where pid = pg_backend_pid()")"
m "$DB_" init --office 000.00.31.H45 --name "Huyện" >/dev/null
out=$(m "$DB_" sync --central "$(tls_url localhost "$TLS/other.crt")" 2>&1); rc=$?
check "a server signed by another CA is refused" test "$rc" -ne 0
check_match "... saying central cannot be reached and why" "cannot reach central .*certificate verify failed" "$out"
out=$(m "$DB_" sync --central "$(tls_url 127.0.0.1 "$TLS/ca.crt")" 2>&1); rc=$?
check "a certificate for another host name is refused" test "$rc" -ne 0
check_match "... naming the host" "does not match host name \"127.0.0.1\"" "$out"
check_eq "nothing reached the office over a refused connection" 0 "$(sqlite3 "$DB_" "select count(*) from events")"
