{{PRELUDE}}
# RabbitMQ for the application, with our own user instead of the seed's shared test account, and without guest.
readonly BROKER_PASSWORD_PARAMETER={{BROKER_PASSWORD_PARAMETER}}
readonly BROKER_USER={{BROKER_USER}}
readonly RMQ_PORT={{RMQ_PORT}}

# Amazon Linux 2023 ships neither Erlang nor RabbitMQ. Team RabbitMQ's el9 RPM repositories are used
# (EL9 is the closest to AL2023). Not verified on AL2023 by this project's tests; see local/README.md.
log "installing Erlang and RabbitMQ from Team RabbitMQ's repositories"
readonly KEYS=https://github.com/rabbitmq/signing-keys/releases/download/3.0
retry rpm --import "$KEYS/rabbitmq-release-signing-key.asc"
retry rpm --import "$KEYS/cloudsmith.rabbitmq-erlang.E495BB49CC4BBE5B.key"
retry rpm --import "$KEYS/cloudsmith.rabbitmq-server.9F4587F226208342.key"
cat > /etc/yum.repos.d/rabbitmq.repo <<'REPO'
[modern-erlang]
name=modern-erlang-el9
baseurl=https://yum1.rabbitmq.com/erlang/el/9/$basearch
        https://yum2.rabbitmq.com/erlang/el/9/$basearch
repo_gpgcheck=1
gpgcheck=1
enabled=1
gpgkey=https://github.com/rabbitmq/signing-keys/releases/download/3.0/cloudsmith.rabbitmq-erlang.E495BB49CC4BBE5B.key
sslverify=1
sslcacert=/etc/pki/tls/certs/ca-bundle.crt
metadata_expire=300
type=rpm-md

[rabbitmq-el9]
name=rabbitmq-el9
baseurl=https://yum2.rabbitmq.com/rabbitmq/el/9/noarch
        https://yum1.rabbitmq.com/rabbitmq/el/9/noarch
repo_gpgcheck=1
gpgcheck=1
enabled=1
gpgkey=https://github.com/rabbitmq/signing-keys/releases/download/3.0/cloudsmith.rabbitmq-server.9F4587F226208342.key
       https://github.com/rabbitmq/signing-keys/releases/download/3.0/rabbitmq-release-signing-key.asc
sslverify=1
sslcacert=/etc/pki/tls/certs/ca-bundle.crt
metadata_expire=300
type=rpm-md
REPO
retry dnf install -y socat logrotate erlang rabbitmq-server
systemctl enable rabbitmq-server
systemctl restart rabbitmq-server
wait_for_port "$RMQ_PORT"
retry rabbitmqctl --quiet await_startup

# The list is read in full first: with pipefail, grep -q closing the pipe early would fail the test.
user_exists() {
  local users
  users=$(rabbitmqctl --silent list_users | awk '{print $1}')
  grep -qx -- "$1" <<<"$users"
}

set +x
BROKER_PASSWORD=$(retry ssm_secret "$BROKER_PASSWORD_PARAMETER")
# rabbitmqctl reads the password from standard input when it is not an argument, so it never appears in
# the process list.
if user_exists "$BROKER_USER"; then
  printf '%s\n' "$BROKER_PASSWORD" | rabbitmqctl --quiet change_password "$BROKER_USER"
else
  printf '%s\n' "$BROKER_PASSWORD" | rabbitmqctl --quiet add_user "$BROKER_USER"
fi
unset BROKER_PASSWORD
rabbitmqctl set_user_tags "$BROKER_USER" administrator
rabbitmqctl set_permissions -p / "$BROKER_USER" '.*' '.*' '.*'
if user_exists guest; then
  rabbitmqctl delete_user guest
fi

if systemctl is-active --quiet firewalld; then
  firewall-cmd --permanent --add-port="$RMQ_PORT/tcp"
  firewall-cmd --reload
fi
log "RabbitMQ ready on port $RMQ_PORT with user $BROKER_USER"
