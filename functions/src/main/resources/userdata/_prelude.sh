#!/bin/bash
# Boot script of one server of a war-pipeline environment, rendered by the pipeline.
# It holds no secret. Credentials are read from SSM Parameter Store at boot with the instance role,
# kept in shell variables or 0600 files only, and never printed.
set -euo pipefail
set +x
umask 022
readonly LOG=/var/log/pipeline-userdata.log
touch "$LOG"
chmod 0600 "$LOG"
# To the log and to cloud-init's output, which is the console (GetConsoleOutput): a failed boot can be read
# without logging in. Nothing secret is ever printed.
exec > >(tee -a "$LOG") 2>&1

# Log lines go to stderr, so a function whose stdout is captured can still log.
log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
trap 'log "FAILED with exit code $? at line $LINENO"' ERR

# How the boot ended, on the instance's own tag pipeline:boot (complete | failed): provisioning and the release
# bake image or use this server only once it says complete (CreateImage would otherwise cut this script off).
boot_signal() {
  local rc=$? state=complete id region
  if [ "$rc" -ne 0 ]; then state=failed; fi
  log "boot script ended: $state (exit code $rc)"
  id=$(imds instance-id) && region=${REGION:-$(imds placement/region)} &&
    retry aws ec2 create-tags --region "$region" --resources "$id" --tags "Key=pipeline:boot,Value=$state" ||
    log "could not tag this instance pipeline:boot=$state"
  exit "$rc"
}
trap boot_signal EXIT

# Run a command until it succeeds (package mirrors, IAM and SSM can lag right after launch).
retry() {
  local attempt=1
  until "$@"; do
    if [ "$attempt" -ge 10 ]; then log "gave up after $attempt attempts: $1"; return 1; fi
    sleep $((attempt * 3))
    attempt=$((attempt + 1))
  done
}

# Instance metadata through IMDSv2: the instance refuses token-less requests (HttpTokens=required).
imds() {
  local token
  token=$(curl -sSf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
  curl -sSf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# The decrypted value of a SecureString on stdout, for capture in a variable; never echo it.
ssm_secret() {
  aws ssm get-parameter --region "$REGION" --with-decryption --name "$1" --query Parameter.Value --output text
}

# Waits until something listens on a local TCP port.
wait_for_port() {
  local port=$1 tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then log "nothing listens on port $port"; return 1; fi
    sleep 5
  done
}

readonly ENVIRONMENT={{ENVIRONMENT}}
readonly COMPONENT={{COMPONENT}}
REGION=$(retry imds placement/region)
readonly REGION
log "$COMPONENT of $ENVIRONMENT: boot script started in $REGION"
