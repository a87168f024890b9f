{{PRELUDE}}
# MariaDB for the application: database, application user, and the application's schema.
readonly DB_PASSWORD_PARAMETER={{DB_PASSWORD_PARAMETER}}
readonly ARTIFACT_BUCKET={{ARTIFACT_BUCKET}}
readonly SCHEMA_KEY={{SCHEMA_KEY}}
readonly DB_NAME={{DB_NAME}}
readonly DB_USER={{DB_USER}}
readonly DB_PORT={{DB_PORT}}
# MariaDB account hosts (address/netmask) of the app subnets, instead of the seed's any-host account.
readonly APP_HOSTS={{APP_HOSTS}}

log "installing MariaDB"
retry dnf install -y mariadb105-server
cat > /etc/my.cnf.d/zz-pipeline.cnf <<CNF
[mysqld]
bind-address=0.0.0.0
port=$DB_PORT
# Accounts are matched by subnet address; reverse DNS lookups would only slow every connection down.
skip-name-resolve
CNF
systemctl enable mariadb
systemctl restart mariadb
wait_for_port "$DB_PORT"

WORK=$(mktemp -d)
chmod 0700 "$WORK"
trap 'rm -rf "$WORK"' EXIT
umask 077

# A value as a single-quoted SQL string literal.
sql_string() { local s=${1//\\/\\\\}; s=${s//\'/\\\'}; printf "'%s'" "$s"; }

set +x
DB_PASSWORD=$(retry ssm_secret "$DB_PASSWORD_PARAMETER")
# The client reads the password from an option file only root can read, never from its command line.
option_value=${DB_PASSWORD//\\/\\\\}
option_value=${option_value//\"/\\\"}
printf '[client]\nuser=root\npassword="%s"\n' "$option_value" > "$WORK/root.cnf"
PW=$(sql_string "$DB_PASSWORD")
{
  # Root keeps socket login (for root on this host) and gets the password too, as the seed set one.
  printf "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD(%s);\n" "$PW"
  printf "DELETE FROM mysql.global_priv WHERE User='';\n"
  printf "DELETE FROM mysql.global_priv WHERE User='root' AND Host NOT IN ('localhost', '127.0.0.1', '::1');\n"
  printf "DROP DATABASE IF EXISTS test;\n"
  printf "DELETE FROM mysql.db WHERE Db='test' OR Db='test\\\\_%%';\n"
  printf "CREATE DATABASE IF NOT EXISTS \`%s\`;\n" "$DB_NAME"
  for host in localhost $APP_HOSTS; do
    printf "CREATE USER IF NOT EXISTS '%s'@'%s' IDENTIFIED BY %s;\n" "$DB_USER" "$host" "$PW"
    printf "ALTER USER '%s'@'%s' IDENTIFIED BY %s;\n" "$DB_USER" "$host" "$PW"
    printf "GRANT ALL PRIVILEGES ON \`%s\`.* TO '%s'@'%s';\n" "$DB_NAME" "$DB_USER" "$host"
  done
  printf "FLUSH PRIVILEGES;\n"
} > "$WORK/setup.sql"
unset DB_PASSWORD PW option_value
mysql --defaults-extra-file="$WORK/root.cnf" < "$WORK/setup.sql"
rm -f "$WORK/setup.sql"
log "database $DB_NAME and user $DB_USER ready (hosts: localhost $APP_HOSTS)"

if aws s3 cp --region "$REGION" --only-show-errors "s3://$ARTIFACT_BUCKET/$SCHEMA_KEY" "$WORK/schema.sql"; then
  tables=$(mysql --defaults-extra-file="$WORK/root.cnf" -N -B -e \
    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$DB_NAME'")
  if [ "$tables" = "0" ]; then
    mysql --defaults-extra-file="$WORK/root.cnf" "$DB_NAME" < "$WORK/schema.sql"
    log "loaded s3://$ARTIFACT_BUCKET/$SCHEMA_KEY into $DB_NAME"
  else
    log "$DB_NAME already has $tables tables: schema not loaded again"
  fi
else
  log "s3://$ARTIFACT_BUCKET/$SCHEMA_KEY is absent or not readable: schema not loaded"
fi
rm -f "$WORK/root.cnf"

if systemctl is-active --quiet firewalld; then
  firewall-cmd --permanent --add-port="$DB_PORT/tcp"
  firewall-cmd --reload
fi
log "MariaDB ready on port $DB_PORT"
