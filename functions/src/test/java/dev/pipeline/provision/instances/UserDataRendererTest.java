package dev.pipeline.provision.instances;

import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserDataRendererTest {

    private static final String ZONE = "corp.internal";
    private static final SecretParameters SECRETS =
            new SecretParameters("/pipeline/shop/database-password", "/pipeline/shop/broker-password");

    private static final EnvironmentSpec SPEC = EnvironmentSpecs.parse("""
            {
              "specVersion": 1,
              "name": "shop",
              "network": {
                "vpcId": "vpc-0a1b2c3d4e5f60718",
                "publicSubnets": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
                "appSubnets": ["subnet-0a1b2c3d4e5f60713", "subnet-0a1b2c3d4e5f60714"],
                "adminCidr": "198.51.100.7/32"
              },
              "privateZone": "%s",
              "loadBalancer": {"healthCheck": {"path": "/login", "successCodes": "200,302"}},
              "artifacts": {"bootstrapWarKey": "bootstrap/vprofile-v2.war"}
            }
            """.formatted(ZONE));

    private final UserDataRenderer renderer = new UserDataRenderer();

    private String render(Role role) {
        return renderer.render(role, new UserDataRenderer.Inputs(SPEC, "shop-artifacts", SECRETS,
                List.of("10.40.10.0/24", "10.40.11.0/24")));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyScript_isValidBash_strict_andLogsToItsFile(Role role) throws Exception {
        String script = render(role);

        assertThat(bashSyntaxErrors(script)).as(role + " script").isEmpty();
        assertThat(script).startsWith("#!/bin/bash\n")
                .contains("set -euo pipefail")
                .contains("/var/log/pipeline-userdata.log")
                .doesNotContain("set -x")
                .doesNotContainPattern("\\{\\{[A-Z_]+}}");
        assertThat(script.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(UserDataRenderer.MAX_BYTES);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void noScript_holdsAPassword_onlyParameterNames(Role role) {
        String script = render(role);

        // The seed's literals, and anything that sets a password from a literal.
        assertThat(script).doesNotContain("admin123", "admin1234")
                .doesNotContainPattern("(?i)add_user[ \\t]+\\S+[ \\t]+[^\\s|;]+")
                .doesNotContainPattern("(?i)\\btest\\s*/\\s*test\\b")
                .doesNotContainPattern("(?im)^\\s*[A-Z_]*PASS(WORD)?='[^/]")
                .doesNotContainPattern("(?i)password=test\\b")
                .doesNotContainPattern("(?i)mysql[^\\n]*\\s-p\\S");
        if (role == Role.DB || role == Role.APP) {
            assertThat(script).contains("readonly DB_PASSWORD_PARAMETER='/pipeline/shop/database-password'");
        }
        if (role == Role.RMQ || role == Role.APP) {
            assertThat(script).contains("readonly BROKER_PASSWORD_PARAMETER='/pipeline/shop/broker-password'");
        }
    }

    @Test
    void secrets_areReadAtBoot_withTheInstanceRole_andRegionFromImdsV2() {
        for (Role role : List.of(Role.DB, Role.RMQ, Role.APP)) {
            String script = render(role);
            assertThat(script).as(role.toString())
                    .contains("aws ssm get-parameter --region \"$", "--with-decryption --name \"$1\"")
                    .contains("X-aws-ec2-metadata-token-ttl-seconds", "X-aws-ec2-metadata-token: $token");
        }
    }

    @Test
    void appServer_pointsAtTheBackends_byTheSpecsZone_andInstallsTheBootstrapWar() {
        String app = render(Role.APP);

        assertThat(app).contains("readonly DB_HOST='db01." + ZONE + "'", "readonly MC_HOST='mc01." + ZONE + "'",
                "readonly RMQ_HOST='rmq01." + ZONE + "'", "readonly WAR_KEY='bootstrap/vprofile-v2.war'",
                "readonly ARTIFACT_BUCKET='shop-artifacts'", "readonly HEALTH_PATH='/login'",
                "readonly HEALTH_CODES='200,302'", "readonly BROKER_USER='vprofile'")
                .contains("jdbc.url=jdbc:mysql://$DB_HOST:$DB_PORT/$DB_NAME?useUnicode=true&characterEncoding=UTF-8&zeroDateTimeBehavior=convertToNull")
                .contains("memcached.standBy.host=127.0.0.2", "rabbitmq.username=$BROKER_USER")
                .contains("ExecStart=/usr/local/sbin/pipeline-config start", "ExecStop=/usr/local/sbin/pipeline-config stop",
                        "RemainAfterExit=yes", "Before=$TOMCAT_SERVICE.service")
                .doesNotContain("vprofile.in");
    }

    @Test
    void appServer_installsTheCodeDeployAgent_asAwsDocumentsItForAmazonLinux_andChecksItRuns() {
        String app = render(Role.APP);

        assertThat(app).containsSubsequence("dnf install -y ruby wget",
                "wget -q \"https://aws-codedeploy-$REGION.s3.$REGION.amazonaws.com/latest/install\"",
                "chmod +x ./install", "./install auto", "systemctl status codedeploy-agent");
        assertThat(render(Role.DB)).doesNotContain("codedeploy");
    }

    @Test
    void database_grantsTheAppUser_toTheAppSubnets_notToEveryHost() {
        String db = render(Role.DB);

        assertThat(db).contains("readonly APP_HOSTS='10.40.10.0/255.255.255.0 10.40.11.0/255.255.255.0'",
                        "readonly DB_NAME='accounts'", "readonly DB_USER='admin'",
                        "readonly SCHEMA_KEY='bootstrap/db_backup.sql'", "mariadb105-server")
                .doesNotContain("'%'", "@'%'");
    }

    @Test
    void memcached_listensOnTcpOnly() {
        assertThat(render(Role.MC)).contains("OPTIONS=\"-l 0.0.0.0 -U 0\"", "readonly MC_PORT='11211'");
    }

    @Test
    void broker_replacesGuest_withOurUser() {
        assertThat(render(Role.RMQ)).contains("rabbitmqctl delete_user guest",
                "rabbitmqctl set_user_tags \"$BROKER_USER\" administrator", "el/9");
    }

    @Test
    void rendering_isDeterministic_soARetriedLaunchMatchesItsClientToken() {
        for (Role role : Role.values()) {
            assertThat(render(role)).isEqualTo(render(role));
        }
    }

    @Test
    void aValue_cannotEscapeItsQuotes() throws Exception {
        String hostile = "it's $(touch /tmp/pwned) `id` \"x\" \\ ;";

        String word = UserDataRenderer.shellQuote(hostile);

        assertThat(runBash("printf '%s' " + word)).isEqualTo(hostile);
    }

    @Test
    void cidrBlocks_becomeMariaDbNetmaskHosts() {
        assertThat(UserDataRenderer.mariaDbHost("10.40.10.0/24")).isEqualTo("10.40.10.0/255.255.255.0");
        assertThat(UserDataRenderer.mariaDbHost("172.31.77.9/20")).isEqualTo("172.31.64.0/255.255.240.0");
        assertThat(UserDataRenderer.mariaDbHost("0.0.0.0/0")).isEqualTo("0.0.0.0/0.0.0.0");
        assertThatThrownBy(() -> UserDataRenderer.mariaDbHost("2001:db8::/64")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserDataRenderer.mariaDbHost("10.0.0.300/8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingSecretNames_failInAUsersWords() {
        var inputs = new UserDataRenderer.Inputs(SPEC, "shop-artifacts", new SecretParameters(null, null), List.of());

        assertThatThrownBy(() -> renderer.render(Role.DB, inputs)).hasMessageContaining("ProvisionSecrets must run first");
    }

    /** What {@code bash -n} says about a script: empty when it parses. */
    private static String bashSyntaxErrors(String script) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("/bin/bash", "-n").redirectErrorStream(true).start();
        try (OutputStream in = bash.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return bash.exitValue() == 0 ? out : "exit " + bash.exitValue() + ": " + out;
    }

    private static String runBash(String command) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("/bin/bash", "-c", command).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
