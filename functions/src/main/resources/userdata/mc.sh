{{PRELUDE}}
# Memcached for the application's session and object cache.
readonly MC_PORT={{MC_PORT}}

log "installing Memcached"
retry dnf install -y memcached
# TCP on every address; the backend security group decides who reaches it. The seed also listened on UDP
# 11111: not here (-U 0). Memcached over UDP was the reflector of record-size DDoS amplification, the
# application (spymemcached) speaks TCP only, and the security group opens no UDP port anyway.
cat > /etc/sysconfig/memcached <<CONF
PORT="$MC_PORT"
USER="memcached"
MAXCONN="1024"
CACHESIZE="64"
OPTIONS="-l 0.0.0.0 -U 0"
CONF
systemctl enable memcached
systemctl restart memcached
wait_for_port "$MC_PORT"

if systemctl is-active --quiet firewalld; then
  firewall-cmd --permanent --add-port="$MC_PORT/tcp"
  firewall-cmd --reload
fi
log "Memcached ready on port $MC_PORT"
