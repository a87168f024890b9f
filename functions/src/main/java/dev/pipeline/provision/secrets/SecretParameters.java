package dev.pipeline.provision.secrets;

import java.util.List;

/**
 * Where an environment's generated credentials live in SSM Parameter Store: {@code /pipeline/<env>/db/password}
 * (MariaDB's application user) and {@code /pipeline/<env>/rmq/password} (RabbitMQ's), both SecureString under
 * the AWS managed key {@code aws/ssm}. The instance roles may read {@code /pipeline/<env>/*}; nothing else gets
 * the values. Also names the applied manifest the teardown removes.
 */
public final class SecretParameters {
    public static final String DB_COMPONENT = "db-password";
    public static final String RMQ_COMPONENT = "rmq-password";

    private SecretParameters() {
    }

    public static String prefix(String environment) {
        return "/pipeline/" + environment + "/";
    }

    public static String database(String environment) {
        return prefix(environment) + "db/password";
    }

    public static String broker(String environment) {
        return prefix(environment) + "rmq/password";
    }

    public static List<String> all(String environment) {
        return List.of(database(environment), broker(environment));
    }

    /** The S3 key of the applied manifest in the artifact bucket (written by SaveManifest). */
    public static String manifestKey(String environment) {
        return "pipeline/" + environment + "/manifest.json";
    }
}
