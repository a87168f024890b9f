package dev.pipeline.local.instances;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.iam.IamClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Instances as little machines: user data runs, Tomcat serves, the console shows the script, images copy disks. */
@ExtendWith(LocalCloudExtension.class)
class InstanceBootIT {
    static final String SERVE_JSP = """
            #!/bin/bash
            set -euo pipefail
            echo "boot script of this instance starts"
            dnf install -y tomcat9
            mkdir -p /var/lib/tomcat9/webapps/ROOT
            echo '<%= "served by " + "a JSP" %>' > /var/lib/tomcat9/webapps/ROOT/index.jsp
            systemctl enable tomcat9
            systemctl start tomcat9
            token=$(curl -sSf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
            id=$(curl -sSf -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id)
            aws ec2 create-tags --region us-east-1 --resources "$id" --tags Key=pipeline:boot,Value=complete
            """;

    @Test
    void userData_runs_tomcatServesItsWebapps_andTheScriptTagsItsInstanceWithItsRole(LocalCloud cloud, Ec2Client ec2, IamClient iam) throws Exception {
        String profile = givenProfile(iam, "web-role", "web-profile");

        String id = launch(ec2, SERVE_JSP, profile, givenImage(ec2));

        String page = await(() -> get(cloud, id).filter(b -> b.contains("served by")), "the instance's Tomcat to serve its JSP");
        assertThat(page).contains("served by a JSP");
        await(() -> tag(ec2, id, "pipeline:boot"), "the script's own tag");
        assertThat(console(ec2, id)).contains("boot script of this instance starts").contains("Installed: tomcat9");
    }

    @Test
    void failedScript_showsInTheConsole_andNothingServes(LocalCloud cloud, Ec2Client ec2) throws Exception {
        String id = launch(ec2, "#!/bin/bash\nset -e\necho installing\ndnf install -y tomcat99\nsystemctl start tomcat9\n", null, givenImage(ec2));

        String out = await(() -> Optional.of(console(ec2, id)).filter(c -> c.contains("Failed to run module scripts-user")), "the boot to fail");

        assertThat(out).contains("Error: Unable to find a match: tomcat99");
        assertThat(cloud.instanceEndpoints().resolve(id, 8080)).isEmpty();
    }

    @Test
    void imageOfABootedInstance_bootsItsEnabledTomcat_withoutUserData(LocalCloud cloud, Ec2Client ec2) throws Exception {
        String builder = launch(ec2, SERVE_JSP.replace("aws ec2 create-tags", "true"), null, givenImage(ec2));
        await(() -> get(cloud, builder).filter(b -> b.contains("served by")), "the builder to serve");

        String image = ec2.createImage(b -> b.instanceId(builder).name("golden")).imageId();
        assertThat(ec2.describeImages(b -> b.imageIds(image)).images().getFirst().stateAsString()).isEqualTo("pending");
        await(() -> Optional.of(ec2.describeImages(b -> b.imageIds(image)).images().getFirst().stateAsString())
                .filter("available"::equals), "the image to become available");
        String fromImage = launch(ec2, null, null, image);

        assertThat(await(() -> get(cloud, fromImage).filter(b -> b.contains("served by")), "the instance from the image to serve"))
                .contains("served by a JSP");
        assertThat(console(ec2, fromImage)).doesNotContain("boot script of this instance starts");
    }

    @Test
    void imageTakenWhileTheBootScriptRuns_cutsItOff_andInstancesFromItNeverServe(LocalCloud cloud, Ec2Client ec2) throws Exception {
        // the script is still "installing" (a long sleep on the clock) when CreateImage reboots the instance
        String slow = SERVE_JSP.replace("dnf install -y tomcat9", "echo installing; sleep 3600; dnf install -y tomcat9")
                .replace("aws ec2 create-tags", "true");
        String builder = launch(ec2, slow, null, givenImage(ec2));
        await(() -> Optional.of(console(ec2, builder)).filter(c -> c.contains("installing")), "the script to start");

        String image = ec2.createImage(b -> b.instanceId(builder).name("too-early")).imageId();
        await(() -> Optional.of(ec2.describeImages(b -> b.imageIds(image)).images().getFirst().stateAsString())
                .filter("available"::equals), "the image to become available");
        String fromImage = launch(ec2, null, null, image);
        await(() -> Optional.of(console(ec2, fromImage)).filter(c -> c.contains("Cloud-init")), "the instance from the image to finish booting");

        assertThat(console(ec2, builder)).contains("cut off");
        assertThat(cloud.instanceEndpoints().resolve(fromImage, 8080)).isEmpty();
        assertThat(cloud.instanceEndpoints().resolve(builder, 8080)).isEmpty();
    }

    static String givenImage(Ec2Client ec2) {
        return ec2.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
    }

    static String givenProfile(IamClient iam, String role, String profile) {
        iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
        String arn = iam.createInstanceProfile(b -> b.instanceProfileName(profile)).instanceProfile().arn();
        iam.addRoleToInstanceProfile(b -> b.instanceProfileName(profile).roleName(role));
        // what the boot script may do as this role: report its end on an instance (the local cloud evaluates IAM)
        iam.putRolePolicy(b -> b.roleName(role).policyName("report-boot").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:CreateTags",
                 "Resource":"arn:aws:ec2:us-east-1:123456789012:instance/*",
                 "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["pipeline:boot"]}}}]}"""));
        return arn;
    }

    static String launch(Ec2Client ec2, String userData, String profileArn, String image) {
        return ec2.runInstances(b -> {
            b.imageId(image).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1);
            if (userData != null) b.userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)));
            if (profileArn != null) b.iamInstanceProfile(p -> p.arn(profileArn));
        }).instances().getFirst().instanceId();
    }

    static String console(Ec2Client ec2, String id) {
        String out = ec2.getConsoleOutput(b -> b.instanceId(id)).output();
        return out == null ? "" : new String(Base64.getDecoder().decode(out), StandardCharsets.UTF_8);
    }

    static Optional<String> tag(Ec2Client ec2, String id, String key) {
        Instance i = ec2.describeInstances(b -> b.instanceIds(id)).reservations().getFirst().instances().getFirst();
        return i.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst();
    }

    static Optional<String> get(LocalCloud cloud, String id) {
        return cloud.instanceEndpoints().resolve(id, 8080).flatMap(a -> {
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                return Optional.of(r.statusCode() + " " + r.body());
            } catch (Exception e) {
                return Optional.empty();
            }
        });
    }

    static <T> T await(Supplier<Optional<T>> probe, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(240);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> v = probe.get();
            if (v.isPresent()) return v.get();
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
