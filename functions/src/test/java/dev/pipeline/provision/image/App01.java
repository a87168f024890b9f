package dev.pipeline.provision.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.List;

/** app01 launched with the SDK as ProvisionAppServer would, and the workflow state that names it. */
record App01(String instanceId, String privateIp) {
    static final String AMI = "ami-0123456789abcdef0";

    /** app01 whose boot script has finished (it tags itself pipeline:boot=complete, as userdata/_prelude.sh does). */
    static App01 launch(Ec2Client ec2, LandingZone zone) {
        return launch(ec2, zone, "complete");
    }

    /** app01 whose boot script is still running: no pipeline:boot tag yet. */
    static App01 launchStillBooting(Ec2Client ec2, LandingZone zone) {
        return launch(ec2, zone, null);
    }

    private static App01 launch(Ec2Client ec2, LandingZone zone, String boot) {
        java.util.List<Tag> tags = new java.util.ArrayList<>(List.of(
                tag("pipeline:environment", LandingZone.ENVIRONMENT), tag("pipeline:component", "app01"),
                tag("Name", "vprofile-app01")));
        if (boot != null) tags.add(tag("pipeline:boot", boot));
        Instance i = ec2.runInstances(r -> r.imageId(AMI).instanceType("t3.small").minCount(1).maxCount(1)
                .subnetId(zone.appSubnets().getFirst())
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tags))).instances().getFirst();
        return new App01(i.instanceId(), i.privateIpAddress());
    }

    /** A fresh execution's state (new run token) with $.appServer naming this app01. */
    ObjectNode state(LandingZone zone) {
        ObjectNode state = StageHarness.state(zone.spec());
        state.set("appServer", JsonHandler.JSON.createObjectNode().put("ready", true).put("instanceId", instanceId)
                .put("privateIp", privateIp).put("skipped", false));
        return state;
    }

    /** A fresh execution's state where ProvisionAppServer found a golden image and launched nothing. */
    static ObjectNode skippedState(LandingZone zone) {
        ObjectNode state = StageHarness.state(zone.spec());
        state.set("appServer", JsonHandler.JSON.createObjectNode().put("ready", true).put("skipped", true));
        return state;
    }

    String state(Ec2Client ec2) {
        return ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations().getFirst().instances().getFirst()
                .state().nameAsString();
    }

    static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /** The account's images tagged as the environment's golden image, in any state EC2 still lists. */
    static List<Image> goldenImages(Ec2Client ec2) {
        return ec2.describeImages(b -> b.owners("self").filters(
                Filter.builder().name("tag:pipeline:environment").values(LandingZone.ENVIRONMENT).build(),
                Filter.builder().name("tag:pipeline:component").values("golden-ami").build())).images();
    }
}
