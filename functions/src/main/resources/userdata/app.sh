{{PRELUDE}}
# Tomcat with the application as ROOT. Its credentials are not in this script: pipeline-config.service
# fetches them from SSM into application.properties at every boot and scrubs them at every shutdown, so
# the golden image made from this server (CreateImage reboots it) holds no password.
readonly DB_PASSWORD_PARAMETER={{DB_PASSWORD_PARAMETER}}
readonly BROKER_PASSWORD_PARAMETER={{BROKER_PASSWORD_PARAMETER}}
readonly ARTIFACT_BUCKET={{ARTIFACT_BUCKET}}
readonly WAR_KEY={{WAR_KEY}}
readonly DB_HOST={{DB_HOST}}
readonly DB_PORT={{DB_PORT}}
readonly DB_NAME={{DB_NAME}}
readonly DB_USER={{DB_USER}}
readonly MC_HOST={{MC_HOST}}
readonly MC_PORT={{MC_PORT}}
readonly RMQ_HOST={{RMQ_HOST}}
readonly RMQ_PORT={{RMQ_PORT}}
readonly BROKER_USER={{BROKER_USER}}
readonly APP_PORT={{APP_PORT}}
readonly HEALTH_PATH={{HEALTH_PATH}}
readonly HEALTH_CODES={{HEALTH_CODES}}
# Tomcat 9 (javax.servlet): the seed's vprofile-v2.war is a javax application and ran on Ubuntu's tomcat9.
# A jakarta.* build of the application needs tomcat10 instead. Package names on AL2023 are not verified here.
readonly TOMCAT=tomcat9

log "installing $TOMCAT"
retry dnf install -y "$TOMCAT" unzip
TOMCAT_SERVICE=
for unit in "$TOMCAT" tomcat; do
  if systemctl cat "$unit.service" >/dev/null 2>&1; then TOMCAT_SERVICE=$unit; break; fi
done
WEBAPPS=
for dir in "/var/lib/$TOMCAT/webapps" "/usr/share/$TOMCAT/webapps" /var/lib/tomcat/webapps; do
  if [ -d "$dir" ]; then WEBAPPS=$(readlink -f "$dir"); break; fi
done
if [ -z "$TOMCAT_SERVICE" ] || [ -z "$WEBAPPS" ]; then
  log "cannot find the $TOMCAT service or its webapps directory"
  exit 1
fi
if getent group tomcat >/dev/null; then TOMCAT_GROUP=tomcat; else TOMCAT_GROUP=$TOMCAT; fi

install -d -m 0755 /etc/pipeline
# What the boot-time helpers need: names and paths only, shell-quoted.
{
  printf 'TOMCAT_SERVICE=%q\n' "$TOMCAT_SERVICE"
  printf 'TOMCAT_GROUP=%q\n' "$TOMCAT_GROUP"
  printf 'WEBAPPS=%q\n' "$WEBAPPS"
  printf 'DB_PASSWORD_PARAMETER=%q\n' "$DB_PASSWORD_PARAMETER"
  printf 'BROKER_PASSWORD_PARAMETER=%q\n' "$BROKER_PASSWORD_PARAMETER"
} > /etc/pipeline/app.env
# The application's settings that differ from the WAR's own application.properties; no password.
cat > /etc/pipeline/application.properties <<PROPS
jdbc.url=jdbc:mysql://$DB_HOST:$DB_PORT/$DB_NAME?useUnicode=true&characterEncoding=UTF-8&zeroDateTimeBehavior=convertToNull
jdbc.username=$DB_USER
memcached.active.host=$MC_HOST
memcached.active.port=$MC_PORT
memcached.standBy.host=127.0.0.2
memcached.standBy.port=$MC_PORT
rabbitmq.address=$RMQ_HOST
rabbitmq.port=$RMQ_PORT
rabbitmq.username=$BROKER_USER
PROPS

cat > /usr/local/sbin/pipeline-config <<'HELPER'
#!/bin/bash
# pipeline-config start: writes the application's settings, with the passwords read from SSM, into the
#                        deployed application (WEB-INF/classes/application.properties, 0640 root:tomcat).
# pipeline-config stop:  writes them again without the passwords.
set -euo pipefail
set +x
source /etc/pipeline/app.env
classes="$WEBAPPS/ROOT/WEB-INF/classes"
target="$classes/application.properties"
original="$classes/application.properties.war"
# Keys this host sets: dropped from the WAR's own file so each appears once.
keys='jdbc\.url|jdbc\.username|jdbc\.password|memcached\.(active|standBy)\.(host|port)|rabbitmq\.(address|port|username|password)'

retry() {
  local attempt=1
  until "$@"; do
    if [ "$attempt" -ge 10 ]; then return 1; fi
    sleep $((attempt * 3)); attempt=$((attempt + 1))
  done
}
imds() {
  local token
  token=$(curl -sSf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
  curl -sSf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}
secret() {
  aws ssm get-parameter --region "$region" --with-decryption --name "$1" --query Parameter.Value --output text
}
# A properties value: backslash is the escape character of java.util.Properties.
escape() { printf '%s' "${1//\\/\\\\}"; }

write() {
  if [ ! -d "$classes" ]; then echo "no application deployed under $WEBAPPS/ROOT yet"; return 0; fi
  local tmp
  tmp=$(mktemp "$classes/.application.properties.XXXXXX")
  chmod 0640 "$tmp"
  chgrp "$TOMCAT_GROUP" "$tmp"
  {
    if [ -f "$original" ]; then grep -Ev "^[[:space:]]*($keys)[[:space:]]*[=:]" "$original" || true; fi
    cat /etc/pipeline/application.properties
  } > "$tmp"
  if [ "$1" = with-passwords ]; then
    region=$(retry imds placement/region)
    local db mq
    db=$(retry secret "$DB_PASSWORD_PARAMETER")
    mq=$(retry secret "$BROKER_PASSWORD_PARAMETER")
    printf 'jdbc.password=%s\nrabbitmq.password=%s\n' "$(escape "$db")" "$(escape "$mq")" >> "$tmp"
    unset db mq
  fi
  mv -f "$tmp" "$target"
  echo "application.properties written ($1)"
}

case "${1:-}" in
  start) write with-passwords ;;
  stop) write without-passwords ;;
  *) echo "usage: pipeline-config start|stop" >&2; exit 2 ;;
esac
HELPER
chmod 0755 /usr/local/sbin/pipeline-config

cat > /usr/local/sbin/pipeline-install-war <<'HELPER'
#!/bin/bash
# pipeline-install-war s3://bucket/key|file:///path [version-id [sha256]]: makes that WAR the ROOT application and restarts
# Tomcat. With a sha256 (64 lowercase hex digits) the download must match it, or nothing is installed.
# The release bake checks for the next line before it passes a sha256 (older images ignored a third argument).
# capabilities: sha256
# capabilities: file
set -euo pipefail
source /etc/pipeline/app.env
source_uri=$1
version=${2:-}
expected_sha256=${3:-}
if [ -n "$expected_sha256" ] && ! [[ $expected_sha256 =~ ^[0-9a-f]{64}$ ]]; then
  echo "pipeline-install-war: the sha256 must be 64 lowercase hex digits" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
token=$(curl -sSf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
region=$(curl -sSf -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/placement/region)
if [[ $source_uri == file://* ]]; then
  # a WAR already on this instance: a CodeDeploy revision's copy (the in-place release's AfterInstall hook)
  cp "${source_uri#file://}" "$work/app.war"
elif [ -n "$version" ]; then
  path=${source_uri#s3://}
  aws s3api get-object --region "$region" --bucket "${path%%/*}" --key "${path#*/}" --version-id "$version" "$work/app.war" >/dev/null
else
  aws s3 cp --region "$region" --only-show-errors "$source_uri" "$work/app.war"
fi
# A download that is not exactly the validated upload, or is truncated or not a WAR, fails here, before the
# running application is touched.
if [ -n "$expected_sha256" ]; then
  actual_sha256=$(sha256sum "$work/app.war" | cut -d' ' -f1)
  if [ "$actual_sha256" != "$expected_sha256" ]; then
    echo "pipeline-install-war: $source_uri ${version:+(version $version) }has sha256 $actual_sha256, expected $expected_sha256; nothing installed" >&2
    exit 3
  fi
fi
unzip -tq "$work/app.war" >/dev/null
systemctl stop "$TOMCAT_SERVICE"
rm -rf "$WEBAPPS/ROOT" "$WEBAPPS/ROOT.war"
mkdir -p "$WEBAPPS/ROOT"
# -DD: every file dated now, not as the zip dates it. A reproducible build dates all its entries alike, so a new
# version's JSP would carry the very time of the old one, and Jasper (which recompiles a JSP only when its time
# differs from the compiled class's) would go on serving the old page from Tomcat's work directory.
unzip -q -DD "$work/app.war" -d "$WEBAPPS/ROOT"
classes="$WEBAPPS/ROOT/WEB-INF/classes"
mkdir -p "$classes"
if [ -f "$classes/application.properties" ]; then
  # Keep the WAR's own settings (e.g. elasticsearch.*) as the base, minus its built-in passwords.
  grep -Ev '^[[:space:]]*(jdbc|rabbitmq)\.password[[:space:]]*[=:]' "$classes/application.properties" \
    > "$classes/application.properties.war" || true
  rm -f "$classes/application.properties"
fi
chown -R "root:$TOMCAT_GROUP" "$WEBAPPS/ROOT"
chmod -R u=rwX,g=rX,o= "$WEBAPPS/ROOT"
systemctl restart pipeline-config.service
systemctl start "$TOMCAT_SERVICE"
echo "installed $source_uri ${version:+(version $version) }${expected_sha256:+(sha256 $expected_sha256) }as ROOT"
HELPER
chmod 0755 /usr/local/sbin/pipeline-install-war

cat > /etc/systemd/system/pipeline-config.service <<UNIT
[Unit]
Description=Application credentials from SSM into application.properties (removed again at stop)
Wants=network-online.target
After=network-online.target
Before=$TOMCAT_SERVICE.service

[Service]
Type=oneshot
RemainAfterExit=yes
TimeoutStartSec=300
ExecStart=/usr/local/sbin/pipeline-config start
ExecStop=/usr/local/sbin/pipeline-config stop

[Install]
WantedBy=multi-user.target
UNIT
install -d -m 0755 "/etc/systemd/system/$TOMCAT_SERVICE.service.d"
# Tomcat never starts without its configuration, and stops before the passwords are scrubbed.
cat > "/etc/systemd/system/$TOMCAT_SERVICE.service.d/pipeline.conf" <<UNIT
[Unit]
Requires=pipeline-config.service
After=pipeline-config.service
UNIT
systemctl daemon-reload
systemctl enable pipeline-config.service "$TOMCAT_SERVICE"

# The CodeDeploy agent, so in-place releases reach this server and every instance of the golden image made from it
# (the unit is enabled: it starts at every boot). As AWS documents it for Amazon Linux (CodeDeploy user guide,
# "Install the CodeDeploy agent for Amazon Linux or RHEL",
# https://docs.aws.amazon.com/codedeploy/latest/userguide/codedeploy-agent-operations-install-linux.html; yum is dnf
# on AL2023): ruby and wget, the installer from the region's resource kit bucket, "install auto", then the agent
# must be running. The agent reads its credentials from the instance role; nothing secret is passed here.
log "installing the CodeDeploy agent"
retry dnf install -y ruby wget
agent_dir=$(mktemp -d)
(
  cd "$agent_dir"
  retry wget -q "https://aws-codedeploy-$REGION.s3.$REGION.amazonaws.com/latest/install"
  chmod +x ./install
  ./install auto
)
rm -rf "$agent_dir"
systemctl status codedeploy-agent

log "installing s3://$ARTIFACT_BUCKET/$WAR_KEY as ROOT"
retry /usr/local/sbin/pipeline-install-war "s3://$ARTIFACT_BUCKET/$WAR_KEY"

if systemctl is-active --quiet firewalld; then
  firewall-cmd --permanent --add-port="$APP_PORT/tcp"
  firewall-cmd --reload
fi

# True when an HTTP status matches the target group's matcher ("200", "200,302" or "200-299").
code_matches() {
  local code=$1 part
  local -a parts
  IFS=',' read -ra parts <<<"$HEALTH_CODES"
  for part in "${parts[@]}"; do
    if [[ $part == *-* ]]; then
      if ((code >= ${part%-*} && code <= ${part#*-})); then return 0; fi
    elif [ "$code" = "$part" ]; then
      return 0
    fi
  done
  return 1
}

code=none
for _ in $(seq 1 60); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$APP_PORT$HEALTH_PATH" || true)
  if code_matches "$code"; then
    log "Tomcat answers $HEALTH_PATH with $code"
    exit 0
  fi
  sleep 10
done
log "Tomcat did not answer $HEALTH_PATH with $HEALTH_CODES within 10 minutes (last status: $code)"
exit 1
