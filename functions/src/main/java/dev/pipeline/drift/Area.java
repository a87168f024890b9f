package dev.pipeline.drift;

/** What one batch of describe calls reads; a denied read makes only its own area "not checked". */
public enum Area {
    SECURITY_GROUPS, INSTANCES, DNS_ZONE, DNS_RECORDS, TARGET_GROUP, LISTENERS, LOAD_BALANCER, FLEET, LAUNCH_TEMPLATE,
    IMAGE, BUCKET, ALARMS, CODEDEPLOY
}
